// Observable Framework configuration. The site builds offline: every library comes from the npm cache
// that scripts/prepare-site.ts fills from node_modules, no font service and no DuckDB extension is used.
// See docs/development.md.
import { fileURLToPath } from "node:url";
import { cachedSitePaths, prepareSiteData } from "./scripts/site/publication.ts";

const SOURCE_ROOT = fileURLToPath(new URL("./src", import.meta.url));

// Framework keeps a loader's cached output until the loader's source changes, so before it reads any
// page the current publication ($RDI_PUBLICATION, else ensurePublication()) is written into its
// cache, with a fixed mtime so that the built pages do not depend on the time of the build.
await prepareSiteData(SOURCE_ROOT);

// Framework sends usage telemetry to observablehq.com from `observable build`/`preview` unless this is
// set; the build must not talk to anything. (Read when Framework first records, after loading this file.)
process.env.OBSERVABLE_TELEMETRY_DISABLE ??= "true";

interface Page {
  name: string;
  path: string;
}

/** Swedish pages (the site's first language). Add new pages here and their English twin below. */
const PAGES_SV: Page[] = [
  { name: "Start", path: "/" },
  { name: "Om data", path: "/om-data" },
];

/** English versions, under /en/. */
const PAGES_EN: Page[] = [
  { name: "Start", path: "/en/" },
  { name: "About the data", path: "/en/about-data" },
];

const SYNTHETIC_NOTICE = {
  sv:
    "Siffrorna på denna webbplats kommer från en syntetisk befolkning som är kalibrerad mot SCB:s " +
    "publicerade statistik. De bygger inte på verkliga mikrodata om personer.",
  en:
    "The numbers on this site come from a synthetic population calibrated to Statistics Sweden's " +
    "published figures. They are not based on real microdata about persons.",
};

function languageOf(path: string): "sv" | "en" {
  return path === "/en" || path.startsWith("/en/") ? "en" : "sv";
}

export default {
  root: "src",
  title: "Registerdata för integration",
  pages: [...PAGES_SV, { name: "In English", open: true, pages: PAGES_EN }],
  // Framework's pager labels ("Next page") are English only; the sidebar is enough.
  pager: false,
  // System fonts only: no Google Fonts stylesheet (Framework's default) and no other font service.
  globalStylesheets: [],
  style: "style.css",
  head: ({ path }: { path: string }) =>
    `<script>document.documentElement.lang = ${JSON.stringify(languageOf(path))};</script>`,
  footer: ({ path }: { path: string }) =>
    `<p class="synthetic-notice">${SYNTHETIC_NOTICE[languageOf(path)]}</p>`,
  search: false,
  // No DuckDB extension is installed or loaded: Parquet is decoded with parquet-wasm instead
  // (components/duckdb.js), JSON is not read through DuckDB. `null` removes Framework's defaults.
  duckdb: { extensions: { json: null, parquet: null } },
  // Every published file, so that pages can fetch files they choose at run time (the explorer).
  async *dynamicPaths() {
    yield* await cachedSitePaths(SOURCE_ROOT);
  },
};
