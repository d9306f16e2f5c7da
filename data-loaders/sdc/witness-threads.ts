/**
 * Witness tables on two threads. Tables (`graph.tk`: one indicator of a partition) share no
 * relation, and a witness never leaves its table, so what the witnesses of one table prove, and
 * which cells they hide, does not depend on any other table. With many cells the tables are split
 * in two halves at a table boundary: a worker thread (witness-worker.ts, given a copy of the graph)
 * decides the upper half while the calling thread decides the lower, and the results are joined
 * in table order — the same as on one thread.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { CertificateData, CertificateLog } from "./certificates.ts";
import type { SdcGraph } from "./graph.ts";
import type { Requirement } from "./lp.ts";
import type { SdcRules } from "./rules.ts";
import { proveByWitnesses, type WitnessSpec, type WitnessUnits } from "./witness.ts";

/**
 * Cells (with requirements) from which witnesses are decided on two threads: starting a thread and
 * copying the graph to it costs about a second. (Primary cells of units per year: about 370,000 at
 * full scale, 2.1 million at scale 0.01, where nearly every small-area cell is hidden.)
 */
export const PARALLEL_CELLS = 20_000;

/** What a witness thread is asked: the witness step with its repairs (witness-repair.ts), or the
 * witness search of `findExposures` (lp.ts) for requirements not yet `proven` (in the order of
 * `collectRequirements` over `cells`). */
export type WitnessJob =
  | {
      kind: "repair";
      spec: WitnessSpec;
      rules: SdcRules;
      cells: number[];
      passes: number[];
      certify: boolean;
    }
  | {
      kind: "prove";
      spec: WitnessSpec;
      rules: SdcRules;
      cells: number[];
      proven: Uint8Array;
      acrossLevels: boolean;
      /** Keep the tables that prove something (certificates.ts). */
      certify: boolean;
    };

/** A "prove" job's answer: the proven flags of its requirements, and with `certify` its tables. */
export interface ProveAnswer {
  proven: Uint8Array;
  certificates?: CertificateData;
}

/**
 * The cells split at a table boundary into two halves of about equal size (a table's cells stay
 * together); undefined when they should stay on one thread: fewer than `parallelFrom`, one table
 * only, or one core.
 */
function halves(
  graph: SdcGraph,
  cells: number[],
  parallelFrom = PARALLEL_CELLS,
): [number[], number[]] | undefined {
  if (cells.length < parallelFrom || availableParallelism() < 2) return undefined;
  const byTable = new Map<number, number>();
  for (const c of cells) byTable.set(graph.tk[c], (byTable.get(graph.tk[c]) ?? 0) + 1);
  const tables = [...byTable.keys()].sort((a, b) => a - b);
  if (tables.length < 2) return undefined;
  let below = 0;
  let cut = tables[tables.length - 1];
  for (const t of tables) {
    const n = byTable.get(t) ?? 0;
    if (below > 0 && below + n > cells.length / 2) {
      cut = t;
      break;
    }
    below += n;
  }
  return [cells.filter((c) => graph.tk[c] < cut), cells.filter((c) => graph.tk[c] >= cut)];
}

/** Runs the job on a worker thread of its own, given a copy of the graph as it is now. */
function onWitnessThread<T>(graph: SdcGraph, job: WitnessJob): Promise<T> {
  const worker = new Worker(new URL("../typescript-worker.mjs", import.meta.url), {
    workerData: { entry: new URL("./witness-worker.ts", import.meta.url).href, graph, job },
  });
  const result = new Promise<T>((resolve, reject) => {
    worker.once("message", (value: T) => {
      resolve(value);
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) =>
      reject(new Error(`disclosure control: a witness thread stopped with code ${code}`)),
    );
  });
  // Awaited only after the calling thread's half: should that half fail first, this thread's
  // failure must not surface on its own as an unhandled rejection.
  result.catch(() => undefined);
  return result;
}

/**
 * Decides `cells` in two halves (`halves`): the upper half on a worker thread, as the job `there`
 * makes of it, started first; the lower half meanwhile on this thread (`here`). Undefined when the
 * cells stay on one thread.
 */
export async function inTwoHalves<H, T>(
  graph: SdcGraph,
  cells: number[],
  parallelFrom: number | undefined,
  decide: { here: (lower: number[]) => H; there: (upper: number[]) => WitnessJob },
): Promise<{ here: H; there: T; upper: number[] } | undefined> {
  const split = halves(graph, cells, parallelFrom);
  if (!split) return undefined;
  const [lower, upper] = split;
  const elsewhere = onWitnessThread<T>(graph, decide.there(upper));
  const here = decide.here(lower);
  return { here, there: await elsewhere, upper };
}

/**
 * `proveByWitnesses` (witness.ts) over the requirements of `byCell`, on two threads when there are
 * many (`inTwoHalves`): marks what it proves in `proven` and returns how many. With `log`, the
 * tables that prove something go there, in table order (the lower half's, then the upper's).
 */
export async function proveOnThreads(
  graph: SdcGraph,
  spec: WitnessSpec,
  rules: SdcRules,
  units: WitnessUnits,
  requirements: Requirement[],
  byCell: Map<number, number[]>,
  proven: Uint8Array,
  nonNegative: (cell: number, column: number) => boolean,
  options: { acrossLevels: boolean; parallelFrom?: number; log?: CertificateLog },
): Promise<number> {
  const { acrossLevels, log } = options;
  const prove = (cells: Map<number, number[]>) =>
    proveByWitnesses(graph, spec, units, requirements, cells, proven, nonNegative, {
      acrossLevels,
      log,
    });
  /** The requirements of the cells, in the order the worker rebuilds them (collectRequirements). */
  const requirementsOf = (cells: number[]) => cells.flatMap((c) => byCell.get(c) ?? []);
  const open = [...byCell.keys()].filter((c) => (byCell.get(c) ?? []).some((r) => !proven[r]));
  const split = await inTwoHalves<number, ProveAnswer>(graph, open, options.parallelFrom, {
    here: (lower) => prove(new Map(lower.map((c) => [c, byCell.get(c) ?? []]))),
    there: (upper) => ({
      kind: "prove",
      spec,
      rules,
      cells: upper,
      proven: Uint8Array.from(requirementsOf(upper), (r) => proven[r]),
      acrossLevels,
      certify: log !== undefined,
    }),
  });
  // On one thread, too, only the open cells: the search walks the units of every table that holds
  // one of them, and after the certificates of a full-scale year only a thousand are left open
  // (the audit searched all tables for them: 5 s instead of a fraction of one).
  if (!split) return prove(new Map(open.map((c) => [c, byCell.get(c) ?? []])));
  let count = split.here;
  if (split.there.certificates) log?.append(split.there.certificates);
  requirementsOf(split.upper).forEach((r, k) => {
    if (split.there.proven[k] && !proven[r]) {
      proven[r] = 1;
      count++;
    }
  });
  return count;
}
