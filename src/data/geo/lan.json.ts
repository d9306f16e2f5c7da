// Thin loader: the län boundaries (SCB, simplified; see data-loaders/reference/data/SOURCES.md).
import { readFileSync } from "node:fs";

process.stdout.write(
  readFileSync(
    new URL("../../../data-loaders/reference/data/geo/lan_scb_simplified.geojson", import.meta.url),
  ),
);
