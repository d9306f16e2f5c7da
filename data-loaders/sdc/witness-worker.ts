/**
 * A worker thread of the witness step (witness-repair.ts, `repairByWitnesses`): decides the
 * witnesses of the primary cells it is given, on its copy of the graph, and posts the result once.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { SdcGraph } from "./graph.ts";
import type { SdcRules } from "./rules.ts";
import type { WitnessSpec } from "./witness.ts";
import { witnessRepairOf } from "./witness-repair.ts";

const port = parentPort;
if (!port) throw new Error("witness-worker.ts runs as a worker thread only");
const { graph, spec, rules, cells, passes } = workerData as {
  graph: SdcGraph;
  spec: WitnessSpec;
  rules: SdcRules;
  cells: number[];
  passes: number[];
};
if (!graph.units) throw new Error("witness-worker.ts: the graph came without its units");
port.postMessage(witnessRepairOf(graph, spec, rules, graph.units, cells, passes));
