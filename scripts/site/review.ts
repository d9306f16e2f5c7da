/**
 * The data of the review page (src/granskning.md, src/en/review.md): `rdi diff` for reviewers, as
 * JSON for the site. Two comparisons:
 *
 * - `publikationer`: a previous publication is named (RDI_PREVIOUS_PUBLICATION). diffPublications
 *   (data-loaders/publish/diff.ts) compares it with the current one: indicators and years added or
 *   removed, revisions of earlier years, suppression changes of the same cells, and the year-on-year
 *   moves above the threshold in the years the new publication adds. Without the variable, the same
 *   review is taken from the publication's own `granskning.json` when `rdi build --previous` wrote one.
 * - `ar`: no previous publication. The review stays within the current publication: the latest year
 *   against the year before. diffPublications with the publication on both sides has no revisions and
 *   no suppression changes (every cell equals itself) but does give the moves of the latest year; the
 *   suppression changes between the two years (cells suppressed in one year and published in the
 *   other) are counted here.
 *
 * Only published (disclosure-protected) tables are read. Region names come from regioner.parquet.
 */
import { existsSync, statSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { type Connection, openDatabase, queryRows, sqlString } from "../../data-loaders/db.ts";
import { SORT_KEY } from "../../data-loaders/engine/compute.ts";
import {
  type CellChange,
  type DiffOptions,
  diffPublications,
  type IndicatorCount,
  type PublicationDiff,
} from "../../data-loaders/publish/diff.ts";

/** A change as the page lists it: the cell of diff.ts and the region's name. */
export interface ReviewChange extends CellChange {
  namn: string;
}

export interface SuppressionCount {
  indikator: string;
  newly_suppressed: number;
  newly_published: number;
}

export interface SiteReview {
  /** `publikationer`: against a previous publication; `ar`: latest year against the year before. */
  mode: "publikationer" | "ar";
  /** Year-on-year threshold: percentage points for per-cent indicators, per cent otherwise. */
  threshold: number;
  /** Levels checked for year-on-year moves. */
  levels: string[];
  /** Persons a cell needs in both years for its move to be listed (rdi diff --min-population). */
  min_population: number;
  current: { years: number[]; build_key: string | null };
  previous: { years: number[]; build_key: string | null } | null;
  /** Where the comparison with a previous publication comes from; null in mode `ar`. */
  previous_source: "RDI_PREVIOUS_PUBLICATION" | "granskning.json" | null;
  /** The two years compared in mode `ar`; null in mode `publikationer` or without a year before. */
  years_compared: { from: number; to: number } | null;
  indicators: { added: string[]; removed: string[] };
  years: { added: number[]; removed: number[] };
  /** Revised values of years present in both publications; null in mode `ar` (nothing to revise). */
  revisions: { cells: number; by_indicator: IndicatorCount[]; largest: ReviewChange[] } | null;
  /**
   * Mode `publikationer`: cells of both publications that became suppressed or were released.
   * Mode `ar`: cells suppressed in the latest year but published the year before, and the reverse.
   */
  suppression: { newly_suppressed: number; newly_published: number; by_indicator: SuppressionCount[] };
  /** Published values that moved more than the threshold from the year before. */
  year_on_year: { years: number[]; cells: number; by_indicator: IndicatorCount[]; largest: ReviewChange[] };
}

/** The cell key of the indicator tables without the year. */
const KEYS_BUT_YEAR = SORT_KEY.filter((key) => key !== "ar");

/** Checks that `dir` is a publication directory; returns it resolved. */
export function publicationAt(dir: string, what: string): string {
  const resolved = path.resolve(dir);
  if (!existsSync(resolved) || !statSync(resolved).isDirectory()) {
    throw new Error(`${what}: '${resolved}' is not a directory`);
  }
  if (!existsSync(path.join(resolved, "manifest.json"))) {
    throw new Error(`${what}: '${resolved}' has no manifest.json; is it a publication written by rdi build?`);
  }
  return resolved;
}

async function manifestOf(dir: string): Promise<{ years: number[]; build_key: string | null }> {
  const manifest = JSON.parse(await readFile(path.join(dir, "manifest.json"), "utf8")) as {
    years?: unknown;
    build_key?: unknown;
  };
  const years = Array.isArray(manifest.years)
    ? manifest.years.filter((year): year is number => Number.isInteger(year)).sort((a, b) => a - b)
    : [];
  return { years, build_key: typeof manifest.build_key === "string" ? manifest.build_key : null };
}

/** Region names by `niva|region` from regioner.parquet (empty when the publication has none). */
async function regionNames(con: Connection, dir: string): Promise<Map<string, string>> {
  const file = path.join(dir, "regioner.parquet");
  if (!existsSync(file)) return new Map();
  const rows = await queryRows<{ niva: string; region: string; namn: string }>(
    con,
    `SELECT niva, region, namn FROM read_parquet(${sqlString(file)})`,
  );
  return new Map(rows.map((row) => [`${row.niva}|${row.region}`, row.namn]));
}

function named(changes: CellChange[], names: Map<string, string>): ReviewChange[] {
  return changes.map((change) => ({
    ...change,
    namn: names.get(`${change.niva}|${change.region}`) ?? change.region,
  }));
}

/** Every indicator file of a publication (indikatorer/<id>/<niva>.parquet), sorted. */
async function indicatorFiles(dir: string): Promise<string[]> {
  const root = path.join(dir, "indikatorer");
  if (!existsSync(root)) return [];
  const files: string[] = [];
  for (const entry of (await readdir(root, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  )) {
    if (!entry.isDirectory()) continue;
    for (const name of (await readdir(path.join(root, entry.name))).sort()) {
      if (name.endsWith(".parquet")) files.push(path.join(root, entry.name, name));
    }
  }
  return files;
}

/**
 * Cells of the indicator tables whose suppression differs between `year` and `year - 1`: suppressed
 * (`..`) in `year` but not the year before (newly suppressed), and the reverse (newly published). Every
 * level, since a changed suppression pattern matters wherever it happens. Per indicator, sorted.
 */
export async function suppressionBetweenYears(
  con: Connection,
  dir: string,
  year: number,
): Promise<SuppressionCount[]> {
  const files = await indicatorFiles(dir);
  if (files.length === 0) return [];
  const on = KEYS_BUT_YEAR.map((key) => `n.${key} = p.${key}`).join(" AND ");
  return queryRows<SuppressionCount>(
    con,
    `WITH cells AS (
       SELECT ${SORT_KEY.join(", ")}, status
       FROM read_parquet([${files.map(sqlString).join(", ")}], union_by_name = true)
       WHERE ar IN (${Number(year)}, ${Number(year) - 1}))
     SELECT n.indikator,
       count(*) FILTER (WHERE n.status = '..')::INTEGER AS newly_suppressed,
       count(*) FILTER (WHERE p.status = '..')::INTEGER AS newly_published
     FROM cells n JOIN cells p ON ${on} AND p.ar = n.ar - 1
     WHERE n.ar = ${Number(year)}
       AND coalesce(n.status = '..', false) <> coalesce(p.status = '..', false)
     GROUP BY n.indikator
     ORDER BY n.indikator`,
  );
}

/**
 * The review of the current publication `current`: against `previous` when given (mode
 * `publikationer`), else its latest year against the year before (mode `ar`).
 */
export async function siteReview(
  current: string,
  previous?: string,
  options: DiffOptions = {},
): Promise<SiteReview> {
  const currentDir = publicationAt(current, "the current publication");
  const previousDir =
    previous === undefined ? undefined : publicationAt(previous, "RDI_PREVIOUS_PUBLICATION");
  const con = await openDatabase({ threads: 2 });
  try {
    const names = await regionNames(con, currentDir);
    const currentManifest = await manifestOf(currentDir);
    const againstPrevious = (
      diff: PublicationDiff,
      previous: SiteReview["previous"],
      source: SiteReview["previous_source"],
    ): SiteReview => ({
      mode: "publikationer",
      threshold: diff.threshold,
      levels: diff.levels,
      min_population: diff.min_population,
      current: currentManifest,
      previous,
      previous_source: source,
      years_compared: null,
      indicators: diff.indicators,
      years: { added: diff.years.added, removed: diff.years.removed },
      revisions: { ...diff.revisions, largest: named(diff.revisions.largest, names) },
      suppression: diff.suppression,
      year_on_year: { ...diff.year_on_year, largest: named(diff.year_on_year.largest, names) },
    });
    if (previousDir !== undefined) {
      const diff = await diffPublications(previousDir, currentDir, options, con);
      return againstPrevious(diff, await manifestOf(previousDir), "RDI_PREVIOUS_PUBLICATION");
    }
    // `rdi build --previous` stored the review in the publication (the same JSON as `rdi diff --format json`).
    const stored = path.join(currentDir, "granskning.json");
    if (existsSync(stored)) {
      const diff = JSON.parse(await readFile(stored, "utf8")) as PublicationDiff;
      return againstPrevious(diff, { years: diff.years.old, build_key: null }, "granskning.json");
    }
    const diff: PublicationDiff = await diffPublications(currentDir, currentDir, options, con);
    const latest = diff.years.new.at(-1);
    const compared =
      latest !== undefined && diff.years.new.includes(latest - 1) ? { from: latest - 1, to: latest } : null;
    const suppression = compared ? await suppressionBetweenYears(con, currentDir, compared.to) : [];
    return {
      mode: "ar",
      threshold: diff.threshold,
      levels: diff.levels,
      min_population: diff.min_population,
      current: currentManifest,
      previous: null,
      previous_source: null,
      years_compared: compared,
      indicators: { added: [], removed: [] },
      years: { added: [], removed: [] },
      revisions: null,
      suppression: {
        newly_suppressed: suppression.reduce((sum, row) => sum + row.newly_suppressed, 0),
        newly_published: suppression.reduce((sum, row) => sum + row.newly_published, 0),
        by_indicator: suppression,
      },
      year_on_year: compared
        ? { ...diff.year_on_year, largest: named(diff.year_on_year.largest, names) }
        : { years: [], cells: 0, by_indicator: [], largest: [] },
    };
  } finally {
    con.closeSync();
  }
}
