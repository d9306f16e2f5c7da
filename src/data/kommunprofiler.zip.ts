// Archive loader: one small JSON profile per kommun (`data/kommunprofiler/<kommun>.json`), derived
// from the publication (published, disclosure-protected tables; never person-level data), so that
// each of the 290 kommun pages loads only its own few kilobytes. Logic: components/profiles/summary.ts.
import { openDatabase } from "../../data-loaders/db.ts";
import { publicationDirectory } from "../../scripts/site/publication.ts";
import { streamSink, writeZip } from "../../scripts/site/zip.ts";
import { buildKommunProfiles } from "../components/profiles/summary.ts";

const con = await openDatabase({ threads: 2 });
const profiles = await buildKommunProfiles(con, await publicationDirectory());
await writeZip(
  profiles.map((profile) => ({
    path: `${profile.kommun}.json`,
    read: async () => Buffer.from(JSON.stringify(profile), "utf-8"),
  })),
  streamSink(process.stdout),
);
