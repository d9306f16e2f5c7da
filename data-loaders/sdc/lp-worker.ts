/**
 * A worker thread of the attacker's LP: decides the units of work of the bulk or the one-cell
 * phase (lp.ts, `lpUnitDecider`) that the calling thread hands it, one at a time, and posts each
 * result; progress within a unit about every 2 seconds.
 */
import { parentPort, workerData } from "node:worker_threads";
import { highs, type LpPhaseInput, lpUnitDecider } from "./lp.ts";

const port = parentPort;
if (!port) throw new Error("lp-worker.ts runs as a worker thread only");
const decide = lpUnitDecider(await highs(), workerData.input as LpPhaseInput);
let last = performance.now();
port.on("message", (m: { unit: number } | { stop: true }) => {
  if ("stop" in m) process.exit(0);
  const result = decide(m.unit, (done) => {
    if (performance.now() - last < 2000) return;
    last = performance.now();
    port.postMessage({ unit: m.unit, done });
  });
  port.postMessage({ unit: m.unit, result });
});
