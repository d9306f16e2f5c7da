// Every published indicator at riket by områdestyp, as one small JSON for the Områdestyper pages
// (derived from the publication; logic in components/profiles/summary.ts).
import { openDatabase } from "../../data-loaders/db.ts";
import { publicationDirectory } from "../../scripts/site/publication.ts";
import { indicatorsByType } from "../components/profiles/summary.ts";

const con = await openDatabase({ threads: 2 });
process.stdout.write(`${JSON.stringify(await indicatorsByType(con, await publicationDirectory()))}\n`);
