// Archive loader: the publication (published, disclosure-protected tables only) as a ZIP on stdout.
// Pages read its members as FileAttachment("data/publikation/<path>"); see docs/development.md.
import { publicationDirectory, writePublicationZip } from "../../scripts/site/publication.ts";
import { streamSink } from "../../scripts/site/zip.ts";

await writePublicationZip(await publicationDirectory(), streamSink(process.stdout));
