// The Segregation pages' selection of the published segregation measures (with their expected values
// under random allocation) as one small JSON; logic in components/profiles/summary.ts.
import { openDatabase } from "../../data-loaders/db.ts";
import { publicationDirectory } from "../../scripts/site/publication.ts";
import { segregationSummary } from "../components/profiles/summary.ts";

const con = await openDatabase({ threads: 2 });
process.stdout.write(`${JSON.stringify(await segregationSummary(con, await publicationDirectory()))}\n`);
