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
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Connection } from "../db.ts";
import { isPrimary, type SdcGraph, suppress } from "./graph.ts";
import { collectRequirements, nonNegativeOf } from "./lp.ts";
import type { SdcRules } from "./rules.ts";
import type { TableSpec } from "./tables.ts";
import { loadUnits, proveByWitnesses, type WitnessSpec, type WitnessUnits } from "./witness.ts";

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
   * The requirements proven before any cell was hidden: cell → positions among the cell's
   * requirements (cellRequirements). Their witnesses stand for any later pattern, which only
   * hides more, so the LP's first round need not build them again.
   */
  proofs: Map<number, number[]>;
}

/** Primary cells of units from which the witness step runs on two threads (below, at full scale
 * about 450,000; at scale 0.01 about 90,000 a year). */
const PARALLEL_CELLS = 20_000;

/**
 * Gives every requirement of the cells of units a witness, hiding published cells where needed.
 * Tables (`graph.tk`: one indicator) share no relation, and a witness never leaves its table, so
 * each table's witnesses and the cells they hide do not depend on the others: with many cells the
 * tables are split in two halves by requirements, the upper half decided on a worker thread while
 * this one decides the lower, and the results joined in table order — the same as on one thread.
 */
export async function repairByWitnesses(
  con: Connection,
  prefix: string,
  spec: TableSpec,
  rules: SdcRules,
  graph: SdcGraph,
  passes: number[] = REPAIR_PASSES,
  threads: { workers?: number; parallelFrom?: number } = {},
): Promise<WitnessRepairResult> {
  if (!spec.witnessUnits || spec.additive.length === 0) return emptyResult();
  graph.units ??= await loadUnits(con, prefix, spec, graph.cells);
  const units = graph.units;
  if (!units) return emptyResult();
  const primary: number[] = [];
  for (let c = 0; c < graph.cells; c++) if (units.unitOf[c] && isPrimary(graph, c)) primary.push(c);
  const witnessSpec: WitnessSpec = {
    name: spec.name,
    additive: spec.additive,
    quantities: spec.quantities,
    witnessUnits: spec.witnessUnits,
  };
  const split =
    (threads.workers ?? Math.min(2, availableParallelism())) > 1 ? halves(graph, primary) : undefined;
  if (!split || primary.length < (threads.parallelFrom ?? PARALLEL_CELLS))
    return witnessRepairOf(graph, witnessSpec, rules, units, primary, passes);
  const [lower, upper] = split;
  const elsewhere = onWorkerThread(graph, witnessSpec, rules, upper, passes);
  const here = witnessRepairOf(graph, witnessSpec, rules, units, lower, passes);
  const there = await elsewhere;
  // The upper half's hidden cells, hidden here too; its cells follow the lower half's in the order
  // one thread would have hidden them within each table.
  for (const c of there.hidden) suppress(graph, c);
  return {
    requirements: here.requirements + there.requirements,
    witnessed: here.witnessed + there.witnessed,
    repaired: here.repaired + there.repaired,
    hidden: [...here.hidden, ...there.hidden],
    open: here.open + there.open,
    proofs: new Map([...here.proofs, ...there.proofs]),
  };
}

function emptyResult(): WitnessRepairResult {
  return { requirements: 0, witnessed: 0, repaired: 0, hidden: [], open: 0, proofs: new Map() };
}

/**
 * The cells split at a table boundary into two halves of about equal cell counts (cells of a table
 * are never split); undefined when all lie in one table.
 */
function halves(graph: SdcGraph, cells: number[]): [number[], number[]] | undefined {
  const byTable = new Map<number, number>();
  for (const c of cells) byTable.set(graph.tk[c], (byTable.get(graph.tk[c]) ?? 0) + 1);
  const tables = [...byTable.keys()].sort((a, b) => a - b);
  if (tables.length < 2) return undefined;
  let below = 0;
  let cut = tables[tables.length - 1];
  for (const t of tables) {
    if (below + (byTable.get(t) ?? 0) > cells.length / 2 && below > 0) {
      cut = t;
      break;
    }
    below += byTable.get(t) ?? 0;
  }
  return [cells.filter((c) => graph.tk[c] < cut), cells.filter((c) => graph.tk[c] >= cut)];
}

/** The witness step of `cells` on a worker thread of its own (witness-worker.ts), given a copy of
 * the graph. */
function onWorkerThread(
  graph: SdcGraph,
  spec: WitnessSpec,
  rules: SdcRules,
  cells: number[],
  passes: number[],
): Promise<WitnessRepairResult> {
  const worker = new Worker(new URL("./typescript-worker.mjs", import.meta.url), {
    workerData: {
      entry: new URL("./witness-worker.ts", import.meta.url).href,
      graph,
      spec,
      rules,
      cells,
      passes,
    },
  });
  return new Promise((resolve, reject) => {
    worker.once("message", (result: WitnessRepairResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) =>
      reject(new Error(`disclosure control: the witness worker thread stopped with code ${code}`)),
    );
  });
}

/** The witness step of the primary cells `primary` (all of units): first without hiding, then
 * with repairs, pass by pass. */
export function witnessRepairOf(
  graph: SdcGraph,
  spec: WitnessSpec,
  rules: SdcRules,
  units: WitnessUnits,
  primary: number[],
  passes: number[],
): WitnessRepairResult {
  const result = emptyResult();
  const { requirements, byCell } = collectRequirements(graph, spec, rules, primary);
  result.requirements = requirements.length;
  const proven = new Uint8Array(requirements.length);
  const nonNegative = nonNegativeOf(graph, spec);
  // Exchanges across levels only with the LP on: see proveByWitnesses.
  const acrossLevels = rules.lpMaxVariables > 0;
  result.witnessed = proveByWitnesses(graph, spec, units, requirements, byCell, proven, nonNegative, {
    acrossLevels,
  });
  for (const [c, own] of byCell) {
    const positions = own.flatMap((r, k) => (proven[r] ? [k] : []));
    if (positions.length > 0) result.proofs.set(c, positions);
  }
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
    });
  }
  result.open = requirements.length - result.witnessed - result.repaired;
  return result;
}
