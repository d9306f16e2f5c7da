// The script of every worker thread (sdc/lp-worker.ts, sdc/witness-worker.ts,
// segregation/worker.ts): a worker does not inherit its parent's module hooks, so this registers
// them (typescript.mjs), then loads the TypeScript entry that `workerData.entry` names.
import "./typescript.mjs";
import { workerData } from "node:worker_threads";

await import(workerData.entry);
