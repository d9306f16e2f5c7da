/**
 * A median thread (medians.ts): computes the cells of the cell dimensions it is given over the
 * persons in shared memory, and posts them once.
 */
import { parentPort } from "node:worker_threads";
import { type MedianPersons, medianWalker } from "./median-walks.ts";

const port = parentPort;
if (!port) throw new Error("median-worker.ts runs as a worker thread only");
port.once("message", (m: { persons: MedianPersons; dimensions: { dim: string; sets: string[][] }[] }) => {
  const cellsOf = medianWalker(m.persons);
  port.postMessage(m.dimensions.map(({ dim, sets }) => cellsOf(dim, sets)));
});
