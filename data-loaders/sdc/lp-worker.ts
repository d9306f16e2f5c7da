/**
 * A worker thread of the attacker's LP: runs its share of the bulk or the one-cell phase (lp.ts,
 * `runLpPhase`) and posts the result; progress about every 2 seconds.
 */
import { parentPort, workerData } from "node:worker_threads";
import { highs, type LpPhaseInput, runLpPhase } from "./lp.ts";

const port = parentPort;
if (!port) throw new Error("lp-worker.ts runs as a worker thread only");
let last = performance.now();
const result = runLpPhase(await highs(), workerData.input as LpPhaseInput, (done) => {
  if (performance.now() - last < 2000) return;
  last = performance.now();
  port.postMessage({ done });
});
port.postMessage({ result });
