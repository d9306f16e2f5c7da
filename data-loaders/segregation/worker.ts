/**
 * A segregation thread (threads.ts): holds one year's counts per DeSO at a time and computes the
 * rows of the regions it is handed (rows.ts `writeRegion`), posting each region's rows.
 */
import { parentPort } from "node:worker_threads";
import {
  type DesoCounts,
  type GroupingShape,
  type Region,
  RowBuffer,
  regionsOf,
  writeRegion,
} from "./rows.ts";
import type { ThreadMessage } from "./threads.ts";

const port = parentPort;
if (!port) throw new Error("segregation/worker.ts runs as a worker thread only");
let year = 0;
let groupings: readonly GroupingShape[] = [];
let regions: Region[][] = [];
let options = {};
port.on("message", (m: ThreadMessage) => {
  if (m.kind === "year") {
    ({ year, groupings, options } = m);
    regions = m.desos.map((desos) => regionsOf(new Map<string, DesoCounts>(desos)));
    return;
  }
  const rows = new RowBuffer();
  writeRegion(rows, regions[m.grouping][m.region], groupings[m.grouping], year, options);
  port.postMessage({ id: m.id, rows });
});
