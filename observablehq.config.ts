// Observable Framework configuration. The site builds offline: every library comes from the npm cache
// that scripts/prepare-site.ts fills from node_modules, no font service and no DuckDB extension is used.
// See docs/development.md.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { geography } from "./data-loaders/reference/geography.ts";
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
  { name: "Redovisning av uppdraget", path: "/redovisning" },
  { name: "Indikatorer", path: "/indikatorer" },
  { name: "Kommunprofiler", path: "/kommuner/" },
  { name: "Områdestyper", path: "/omradestyper" },
  { name: "Segregation", path: "/segregation" },
  { name: "Metod och definitioner", path: "/metod" },
  { name: "SQL", path: "/sql" },
  { name: "Om data", path: "/om-data" },
  { name: "Granskning", path: "/granskning" },
];

/** English versions, under /en/. */
const PAGES_EN: Page[] = [
  { name: "Start", path: "/en/" },
  { name: "Report on the commission", path: "/en/report" },
  { name: "Indicators", path: "/en/indicators" },
  { name: "Municipality profiles", path: "/en/municipalities/" },
  { name: "Area types", path: "/en/area-types" },
  { name: "Segregation", path: "/en/segregation" },
  { name: "Methods and definitions", path: "/en/methods" },
  { name: "SQL", path: "/en/sql" },
  { name: "About the data", path: "/en/about-data" },
  { name: "Review", path: "/en/review" },
];

/**
 * The kommun profile pages, one per kommun code of today's division (290), in both languages:
 * `/kommuner/<code>` and `/en/municipalities/<code>`. A folder's paths are listed only when it holds a
 * parameterised page (e.g. `[kommun].md`): Framework fails the build on a listed path without a page.
 */
function kommunPagePaths(sourceRoot: string): string[] {
  const codes = geography()
    .kommuner.map((kommun) => kommun.code)
    .sort();
  const hasParameterisedPage = (folder: string): boolean => {
    const dir = path.join(sourceRoot, folder);
    return existsSync(dir) && readdirSync(dir).some((name) => /^\[[^\]]+\]\.md$/.test(name));
  };
  return ["kommuner", "en/municipalities"]
    .filter(hasParameterisedPage)
    .flatMap((folder) => codes.map((code) => `/${folder}/${code}`));
}

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
  // RDI_SITE_OUTPUT builds elsewhere than dist/ (e.g. to try a publication without touching dist/);
  // tests/e2e reads the same variable.
  output: process.env.RDI_SITE_OUTPUT || "dist",
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
  // Every published file, so that pages can fetch files they choose at run time (the explorer and
  // the SQL console), and the 290 kommun profile pages in both languages.
  async *dynamicPaths() {
    yield* await cachedSitePaths(SOURCE_ROOT);
    yield* kommunPagePaths(SOURCE_ROOT);
  },
};
