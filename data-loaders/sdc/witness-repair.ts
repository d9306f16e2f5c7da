/**
 * Protection by witness tables. After the group rules, every requirement of a small-area cell
 * (a cell of `spec.witnessUnits`) is given a witness table (witness.ts): one the attacker cannot
 * rule out, in which the cell's quantity reaches what its rule requires. Where none exists with
 * the cells suppressed so far, a witness may run through a few published cells of the units,
 * which are then suppressed too — the classic secondary suppression, but chosen so that the
 * protection comes with its proof. Each pass allows more hidden cells per witness, so the cheap
 * repairs are made first and later witnesses reuse the cells they hid.
 *
 * Requirements left without a witness go on to the bounds and the LP as before.
 */
import type { Connection } from "../db.ts";
import { type CertificateData, CertificateLog, inTableOrder } from "./certificates.ts";
import { isPrimary, type SdcGraph, suppress } from "./graph.ts";
import { collectRequirements, nonNegativeOf } from "./lp.ts";
import type { SdcRules } from "./rules.ts";
import type { TableSpec } from "./tables.ts";
import {
  loadUnits,
  proveByWitnesses,
  type WitnessSpec,
  type WitnessUnits,
  witnessSpecOf,
} from "./witness.ts";
import { inTwoHalves } from "./witness-threads.ts";

/** Published cells a witness may hide, pass by pass. */
export const REPAIR_PASSES = [8];

export interface WitnessRepairResult {
  /** Requirements of the cells of units. */
  requirements: number;
  /** Proven by witnesses over the cells suppressed before the repair. */
  witnessed: number;
  /** Proven by witnesses that hid published cells. */
  repaired: number;
  /** The cells hidden, in the order hidden. */
  hidden: number[];
  /** Left without a witness. */
  open: number;
  /**
   * The requirements proven: cell → positions among the cell's requirements (cellRequirements).
   * Their witnesses stand for any later pattern, which only hides more, so the LP's first round
   * need not build them again. Without `certify`, those proven before any cell was hidden only:
   * the audit's own witness search does not find all of the repairs' witnesses, and without
   * their tables it would need LPs for them.
   */
  proofs: Map<number, number[]>;
  /** With `certify`: every witness table that proved something (the first pass's and the
   * repairs'), in table order, for the audit to check (certificates.ts). */
  certificates?: CertificateData;
}

/**
 * Gives every requirement of the cells of units a witness, hiding published cells where needed;
 * the tables in two halves on two threads when there are many cells (witness-threads.ts).
 */
export async function repairByWitnesses(
  con: Connection,
  prefix: string,
  spec: TableSpec,
  rules: SdcRules,
  graph: SdcGraph,
  options: {
    /** Published cells a witness may hide, pass by pass (default REPAIR_PASSES). */
    passes?: number[];
    /** Cells from which the step runs on two threads (witness-threads.ts). */
    parallelFrom?: number;
    /** Keep the witness tables for the audit and hand all proofs on (with the LP on). */
    certify?: boolean;
  } = {},
): Promise<WitnessRepairResult> {
  const { passes = REPAIR_PASSES, parallelFrom, certify = false } = options;
  if (!spec.witnessUnits || spec.additive.length === 0) return emptyResult();
  graph.units ??= await loadUnits(con, prefix, spec, graph.cells);
  const units = graph.units;
  if (!units) return emptyResult();
  const primary: number[] = [];
  for (let c = 0; c < graph.cells; c++) if (units.unitOf[c] && isPrimary(graph, c)) primary.push(c);
  const witnessSpec = witnessSpecOf(spec);
  const decide = (cells: number[]) =>
    witnessRepairOf(graph, witnessSpec, rules, units, cells, passes, certify);
  const split = await inTwoHalves<WitnessRepairResult, WitnessRepairResult>(graph, primary, parallelFrom, {
    here: decide,
    there: (upper) => ({ kind: "repair", spec: witnessSpec, rules, cells: upper, passes, certify }),
  });
  // Certificates in table order, as one thread finds them (certificates.ts).
  const tableOf = (c: number) => graph.tk[c];
  if (!split) {
    const result = decide(primary);
    if (result.certificates) result.certificates = inTableOrder([result.certificates], tableOf);
    return result;
  }
  const { here, there } = split;
  // The upper half's hidden cells, hidden here too. Its cells follow the lower half's: within each
  // table in the order one thread would have hidden them, which is all that the group rules after
  // the step depend on (they act within a table).
  for (const c of there.hidden) suppress(graph, c);
  // Every table of the lower half lies before every table of the upper (halves split by table).
  const certificates =
    here.certificates && there.certificates
      ? inTableOrder([here.certificates, there.certificates], tableOf)
      : undefined;
  return {
    requirements: here.requirements + there.requirements,
    witnessed: here.witnessed + there.witnessed,
    repaired: here.repaired + there.repaired,
    hidden: [...here.hidden, ...there.hidden],
    open: here.open + there.open,
    proofs: new Map([...here.proofs, ...there.proofs]),
    certificates,
  };
}

function emptyResult(): WitnessRepairResult {
  return { requirements: 0, witnessed: 0, repaired: 0, hidden: [], open: 0, proofs: new Map() };
}

/** The witness step of the primary cells `primary` (all of units): first without hiding, then
 * with repairs, pass by pass; with `certify`, every table that proved something is kept, and the
 * repairs' proofs are handed on with the others. */
export function witnessRepairOf(
  graph: SdcGraph,
  spec: WitnessSpec,
  rules: SdcRules,
  units: WitnessUnits,
  primary: number[],
  passes: number[],
  certify = false,
): WitnessRepairResult {
  const result = emptyResult();
  const { requirements, byCell } = collectRequirements(graph, spec, rules, primary);
  result.requirements = requirements.length;
  const proven = new Uint8Array(requirements.length);
  const nonNegative = nonNegativeOf(graph, spec);
  // Exchanges across levels only with the LP on: see proveByWitnesses.
  const acrossLevels = rules.lpMaxVariables > 0;
  const log = certify ? new CertificateLog() : undefined;
  result.witnessed = proveByWitnesses(graph, spec, units, requirements, byCell, proven, nonNegative, {
    acrossLevels,
    log,
  });
  const handOn = () => {
    for (const [c, own] of byCell) {
      const positions = own.flatMap((r, k) => (proven[r] ? [k] : []));
      if (positions.length > 0) result.proofs.set(c, positions);
    }
  };
  if (!certify) handOn();
  for (const maxHidden of passes) {
    if (result.witnessed + result.repaired === requirements.length) break;
    result.repaired += proveByWitnesses(graph, spec, units, requirements, byCell, proven, nonNegative, {
      repair: {
        // Only cells of units: a witness moves persons between small areas and kommuner, never
        // through län or riket.
        mayHide: (c) => units.unitOf[c] !== 0,
        maxHidden,
        hide: (cells) => {
          for (const c of cells) suppress(graph, c);
          result.hidden.push(...cells);
        },
      },
      log,
    });
  }
  result.open = requirements.length - result.witnessed - result.repaired;
  if (log) {
    handOn();
    result.certificates = log.data();
  }
  return result;
}
