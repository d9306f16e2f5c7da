/**
 * A worker thread of the attacker's LP (lp.ts, `LpWorkers`): holds the graph of one
 * `findExposures` call (workerData) and decides, phase after phase, the units of work of the
 * block, bulk or one-cell phase (`lpUnitDecider`) that the calling thread hands it, one at a time,
 * posting each result; progress within a unit about every 2 seconds.
 */
import { parentPort, workerData } from "node:worker_threads";
import { highs, type LpGraph, type LpPhaseInput, type LpSpec, lpUnitDecider } from "./lp.ts";

const port = parentPort;
if (!port) throw new Error("lp-worker.ts runs as a worker thread only");
const { graph, spec } = workerData as { graph: LpGraph; spec: LpSpec };
const solver = await highs();
let decide: ReturnType<typeof lpUnitDecider> | undefined;
let last = performance.now();
port.on("message", (m: { phase: Omit<LpPhaseInput, "graph" | "spec"> } | { unit: number }) => {
  if ("phase" in m) {
    decide = lpUnitDecider(solver, { ...m.phase, graph, spec });
    return;
  }
  if (!decide) throw new Error("lp-worker.ts: a unit arrived before its phase");
  const result = decide(m.unit, (done) => {
    if (performance.now() - last < 2000) return;
    last = performance.now();
    port.postMessage({ unit: m.unit, done });
  });
  port.postMessage({ unit: m.unit, result });
});
