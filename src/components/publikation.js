// Published files whose path is chosen at run time (e.g. one indicator among 225+). The build copies
// every published file to `data/publikation/<path>` (dynamicPaths in observablehq.config.ts), so they
// have stable URLs. Files known when writing a page are better read with FileAttachment (hashed URLs).

// This module is served from /_import/components/. The build names it publikation.<hash>.js and copies
// the published files to /data/publikation/; `observable preview` serves it unhashed and serves any
// file of the site under /_file/.
const BUILT = /\.[0-9a-f]{8}\.js$/.test(new URL(import.meta.url).pathname);
const ROOT = new URL(BUILT ? "../../data/publikation/" : "../../_file/data/publikation/", import.meta.url);

/** Absolute URL of a published file, e.g. `publicationUrl("indikatorer/folkmangd/riket.parquet")`. */
export function publicationUrl(path) {
  if (typeof path !== "string" || path === "" || path.startsWith("/") || path.split("/").includes("..")) {
    throw new Error(`publicationUrl: invalid path '${path}'`);
  }
  return new URL(path, ROOT).href;
}

/** Fetches a published file; the Response can be passed to loadTables (components/duckdb.js). */
export async function fetchPublished(path) {
  const response = await fetch(publicationUrl(path));
  if (!response.ok) throw new Error(`fetchPublished: ${path}: HTTP ${response.status}`);
  return response;
}

/** The path of an indicator's table at a level (publication layout of docs/architecture.md). */
export function indicatorPath(indikator, niva) {
  return `indikatorer/${indikator}/${niva}.parquet`;
}
