/**
 * A witness thread (witness-threads.ts): decides one job on its copy of the graph and posts the
 * result once — the witness step's result (witness-repair.ts), or the proven flags of the job's
 * requirements in their order, with the tables that proved them when asked (ProveAnswer).
 */
import { parentPort, workerData } from "node:worker_threads";
import { CertificateLog } from "./certificates.ts";
import type { SdcGraph } from "./graph.ts";
import { collectRequirements, nonNegativeOf } from "./lp.ts";
import { proveByWitnesses } from "./witness.ts";
import { witnessRepairOf } from "./witness-repair.ts";
import type { ProveAnswer, WitnessJob } from "./witness-threads.ts";

const port = parentPort;
if (!port) throw new Error("witness-worker.ts runs as a worker thread only");
const { graph, job } = workerData as { graph: SdcGraph; job: WitnessJob };
const units = graph.units;
if (!units) throw new Error("witness-worker.ts: the graph came without its units");
if (job.kind === "repair") {
  port.postMessage(witnessRepairOf(graph, job.spec, job.rules, units, job.cells, job.passes, job.certify));
} else {
  const { requirements, byCell } = collectRequirements(graph, job.spec, job.rules, job.cells);
  if (requirements.length !== job.proven.length)
    throw new Error("witness-worker.ts: the requirements differ from the calling thread's");
  const proven = job.proven;
  const log = job.certify ? new CertificateLog() : undefined;
  proveByWitnesses(graph, job.spec, units, requirements, byCell, proven, nonNegativeOf(graph, job.spec), {
    acrossLevels: job.acrossLevels,
    log,
  });
  const answer: ProveAnswer = { proven, certificates: log?.data() };
  port.postMessage(answer);
}
