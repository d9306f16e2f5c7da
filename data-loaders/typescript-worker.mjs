// The script of every worker thread (sdc/lp-worker.ts, sdc/witness-worker.ts,
// segregation/worker.ts): worker threads do not inherit tsx's loader, so this registers it, then
// loads the TypeScript entry that `workerData.entry` names (bin/rdi.js does the same for the command).
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
