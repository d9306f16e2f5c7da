/**
 * The segregation measures on worker threads. A region's rows depend only on its counts per DeSO
 * and its seed (rows.ts), so the regions of a year are handed out one at a time to the threads as
 * they become free, and their rows are written in the order one thread would write them: the same
 * table, byte for byte, on any number of threads.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import {
  type DesoCounts,
  type GroupingShape,
  type RowBuffer,
  type RowSink,
  regionsOf,
  replayRows,
  type SimulationOptions,
  writeRegion,
} from "./rows.ts";

/**
 * Person-years from which the threads are used: starting one costs about half a second, and the
 * measures take about 10 s a year on one thread once most of the 6,000 DeSO are populated (as
 * they are from 100,000 persons, scale 0.01).
 */
export const PARALLEL_PERSONS = 20_000;

/** What the calling thread posts: a year's counts, then the regions (index per grouping) to compute. */
export type ThreadMessage =
  | {
      kind: "year";
      year: number;
      groupings: GroupingShape[];
      /** Per grouping, its DeSO and their counts. */
      desos: [string, DesoCounts][][];
      options: SimulationOptions;
    }
  | { kind: "job"; id: number; grouping: number; region: number };

/** Regions each thread is given ahead, so that it does not wait for the next while its result travels. */
const AHEAD = 2;

/** Threads for the measures of one `computeSegregation` call; `close` ends them. */
export class SegregationThreads {
  private readonly workers: Worker[];
  /** Set when a year failed: results of its regions may still be on their way. */
  private failed = false;

  private constructor(count: number) {
    this.workers = Array.from(
      { length: count },
      () =>
        new Worker(new URL("../typescript-worker.mjs", import.meta.url), {
          workerData: { entry: new URL("./worker.ts", import.meta.url).href },
        }),
    );
  }

  /** Threads when there are cores to spare (`threads`, default every core), else null. */
  static start(threads = availableParallelism()): SegregationThreads | null {
    return threads >= 2 ? new SegregationThreads(threads) : null;
  }

  /** Computes the rows of every region of a year, grouping by grouping, into `sink` in order. */
  async writeYear(
    sink: RowSink,
    year: number,
    groupings: readonly GroupingShape[],
    byDeso: Map<string, DesoCounts>[],
    options: SimulationOptions,
  ): Promise<void> {
    if (this.failed)
      throw new Error("segregation: the measure threads failed on an earlier year; close them");
    const shapes = groupings.map(({ indelning, groups, pairwise }) => ({ indelning, groups, pairwise }));
    const jobs = byDeso.flatMap((desos, grouping) =>
      regionsOf(desos).map((_, region) => ({ grouping, region })),
    );
    const message: ThreadMessage = {
      kind: "year",
      year,
      groupings: shapes,
      desos: byDeso.map((desos) => [...desos.entries()]),
      options: { draws: options.draws, tolerance: options.tolerance, seed: options.seed },
    };
    for (const worker of this.workers) worker.postMessage(message);
    const done = new Map<number, RowBuffer>();
    let next = 0;
    let written = 0;
    await new Promise<void>((resolve, reject) => {
      const fail = (error: unknown) => {
        this.failed = true;
        cleanup();
        reject(error);
      };
      const stopped = (code: number) =>
        fail(new Error(`segregation: a measure thread stopped with code ${code}`));
      const give = (worker: Worker) => {
        if (next < jobs.length) worker.postMessage({ kind: "job", id: next, ...jobs[next++] });
      };
      const listeners = this.workers.map((worker) => {
        const onMessage = ({ id, rows }: { id: number; rows: RowBuffer }) => {
          done.set(id, rows);
          try {
            // Rows leave in job order, whichever thread finishes first.
            for (let r = done.get(written); r !== undefined; r = done.get(written)) {
              done.delete(written++);
              replayRows(r, sink);
            }
          } catch (error) {
            // The sink failed (the appender): the call rejects instead of the process crashing.
            fail(error);
            return;
          }
          if (written === jobs.length) {
            cleanup();
            resolve();
          } else give(worker);
        };
        worker.on("message", onMessage);
        worker.on("error", fail);
        worker.on("exit", stopped);
        return { worker, onMessage };
      });
      const cleanup = () => {
        for (const { worker, onMessage } of listeners) {
          worker.off("message", onMessage);
          worker.off("error", fail);
          worker.off("exit", stopped);
        }
      };
      if (jobs.length === 0) {
        cleanup();
        resolve();
        return;
      }
      for (let k = 0; k < AHEAD; k++) for (const worker of this.workers) give(worker);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** The same rows on the calling thread. */
export function writeYearHere(
  sink: RowSink,
  year: number,
  groupings: readonly GroupingShape[],
  byDeso: Map<string, DesoCounts>[],
  options: SimulationOptions,
): void {
  byDeso.forEach((desos, k) => {
    for (const region of regionsOf(desos)) writeRegion(sink, region, groupings[k], year, options);
  });
}
