// The five områdestyper (codes, Swedish and English names, rule) from data-loaders/areas/config.ts, the
// one place that defines them, as JSON for the pages.
import { OMRADESTYPER } from "../../data-loaders/areas/config.ts";

process.stdout.write(`${JSON.stringify(OMRADESTYPER)}\n`);
