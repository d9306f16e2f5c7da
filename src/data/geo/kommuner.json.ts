// Kommun boundaries (SCB, simplified; data-loaders/reference/data/SOURCES.md) for the maps, as a
// FileAttachment. Read from the repository's reference copy, never from elsewhere.
import { readFileSync } from "node:fs";

const file = new URL(
  "../../../data-loaders/reference/data/geo/kommuner_scb_simplified.geojson",
  import.meta.url,
);
process.stdout.write(readFileSync(file));
