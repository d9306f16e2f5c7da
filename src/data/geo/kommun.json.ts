// Thin loader: the kommun boundaries (SCB, simplified; see data-loaders/reference/data/SOURCES.md).
import { readFileSync } from "node:fs";

process.stdout.write(
  readFileSync(
    new URL("../../../data-loaders/reference/data/geo/kommuner_scb_simplified.geojson", import.meta.url),
  ),
);
