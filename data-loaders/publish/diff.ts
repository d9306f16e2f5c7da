/**
 * `rdi diff`: the review of a new publication against the previous one before publishing.
 *
 * Reports, for the indicator tables:
 * - indicators added and removed, years added and removed;
 * - revisions: published values of years present in both publications that changed
 *   (count per indicator and the largest changes);
 * - suppression changes: cells that became suppressed (`..`) or were released;
 * - year-on-year moves: in the years the new publication adds (or its latest year when it adds
 *   none), published values that moved more than the threshold from the year before — in
 *   percentage points for indicators whose unit is per cent, in per cent of the earlier value for
 *   every other unit. Only levels riket, län and kommun are checked by default, since RegSO and
 *   DeSO values move by chance far more often than a reviewer can look at.
 *
 * A move counts only when the cell's population is at least `minPopulation` (default 100) in both
 * years. Small populations move by chance: a mean of 0.1 sickness days over 40 persons becomes
 * 21.1 when one of them falls ill (+21 000 %), and such cells would otherwise fill the list. The
 * population is the published `namnare` (persons in the denominator) where the indicator has one,
 * else the count itself (`taljare`, or `varde`, in absolute value, so that a net flow of −300 is
 * as large as one of +300). Shares of money (`summaandel`) have a `namnare` in kronor and no
 * published person count, so the minimum cannot be applied to them; their moves are in percentage
 * points, which cannot explode on a small denominator the way relative moves do, and they are kept.
 * Moves below the minimum are counted (`below_min_population`) but not listed. The largest moves
 * are ranked among the cells that pass: per-cent indicators by |percentage points|, others by
 * |relative change|. Revisions are never filtered: any changed value of an earlier year is worth a look.
 *
 * The same result is rendered as text for the terminal and as JSON (`granskning.json`).
 */
import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Connection } from "../db.ts";
import { openDatabase, queryRows, sqlString } from "../db.ts";
import { SORT_KEY } from "../engine/compute.ts";
import { INDICATORS } from "../engine/registry/index.ts";

export const DEFAULT_THRESHOLD = 20;
export const DEFAULT_MIN_POPULATION = 100;
export const DEFAULT_LEVELS = ["riket", "lan", "kommun"];

/** The cell key of the published indicator table: its sort order (publicering.md). */
const KEYS: string[] = [...SORT_KEY];
const BREAKDOWNS = KEYS.slice(4);

export interface DiffOptions {
  /** Year-on-year threshold: percentage points for per-cent indicators, per cent otherwise. */
  threshold?: number;
  /** How many of the largest changes to list per section. */
  top?: number;
  /** Levels checked for year-on-year moves. */
  levels?: string[];
  /** Smallest population (persons) a cell needs in both years for its move to count. */
  minPopulation?: number;
}

export interface CellChange {
  indikator: string;
  ar: number;
  niva: string;
  region: string;
  /** The breakdown as `kon=1, alder=20-24` (only the columns that are not `totalt`). */
  cell: string;
  fore: number | null;
  efter: number | null;
  /** efter − fore, or for moves of non-per-cent indicators the change in per cent of `fore`. */
  change: number;
  /** `procentenheter` (per-cent indicators), `procent` (relative move) or `enhet` (the indicator's unit). */
  unit: "procentenheter" | "procent" | "enhet";
}

export interface IndicatorCount {
  indikator: string;
  cells: number;
}

export interface PublicationDiff {
  threshold: number;
  /** Smallest population of a cell, in both years, for a year-on-year move to count. */
  min_population: number;
  levels: string[];
  indicators: { added: string[]; removed: string[] };
  years: { old: number[]; new: number[]; added: number[]; removed: number[] };
  revisions: { cells: number; by_indicator: IndicatorCount[]; largest: CellChange[] };
  suppression: {
    newly_suppressed: number;
    newly_published: number;
    by_indicator: { indikator: string; newly_suppressed: number; newly_published: number }[];
  };
  year_on_year: {
    years: number[];
    /** Cells that moved more than the threshold on a population of at least the minimum. */
    cells: number;
    /** Cells that moved more than the threshold but on a smaller population: counted, not listed. */
    below_min_population: number;
    by_indicator: IndicatorCount[];
    largest: CellChange[];
  };
}

async function parquetFiles(publication: string): Promise<string[]> {
  const root = join(publication, "indikatorer");
  let dirs: string[];
  try {
    dirs = await readdir(root);
  } catch {
    throw new Error(`${publication} is not a publication: it has no indikatorer/ folder`);
  }
  const files: string[] = [];
  for (const dir of dirs.sort()) {
    if (dir.endsWith(".json")) continue;
    for (const name of (await readdir(join(root, dir))).sort()) {
      if (name.endsWith(".parquet")) files.push(join(root, dir, name));
    }
  }
  return files;
}

/** Indicators whose unit is per cent, from the catalogue (fields `unit` or `enhet`). */
async function percentIndicators(publication: string): Promise<Set<string>> {
  try {
    const catalogue = JSON.parse(await readFile(join(publication, "indikatorer", "katalog.json"), "utf8"));
    const list: unknown[] = Array.isArray(catalogue) ? catalogue : (catalogue?.indicators ?? []);
    const percent = new Set<string>();
    for (const entry of list) {
      const e = entry as { id?: string; unit?: unknown; enhet?: unknown };
      const unit = String(e.unit ?? e.enhet ?? "").toLowerCase();
      if (e.id && (unit === "%" || unit === "procent" || unit === "percent" || unit === "andel"))
        percent.add(e.id);
    }
    return percent;
  } catch {
    return new Set();
  }
}

/** Indicators whose `namnare` is a sum of money, not persons: shares of money (`summaandel`). */
const MONEY_SHARES = INDICATORS.filter((d) => d.kind === "summaandel")
  .map((d) => d.id)
  .sort();

async function loadIndicators(con: Connection, table: string, publication: string): Promise<void> {
  const files = await parquetFiles(publication);
  if (files.length === 0) {
    await con.run(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT NULL::VARCHAR AS indikator, NULL::SMALLINT AS ar,
      ${KEYS.slice(2)
        .map((k) => `NULL::VARCHAR AS ${k}`)
        .join(", ")}, NULL::DOUBLE AS taljare, NULL::DOUBLE AS namnare, NULL::DOUBLE AS varde,
      NULL::VARCHAR AS status WHERE false`);
    return;
  }
  await con.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT ${KEYS.join(", ")}, taljare, namnare, varde, status
     FROM read_parquet([${files.map(sqlString).join(", ")}], union_by_name = true)`,
  );
}

/** Persons behind a published cell: the denominator, or for counts (no `namnare`) the count itself. */
const population = (t: string) =>
  `CASE WHEN ${t}.namnare IS NOT NULL THEN ${t}.namnare ELSE abs(coalesce(${t}.taljare, ${t}.varde)) END`;

const cellLabel = `concat_ws(', ', ${BREAKDOWNS.map((b) => `CASE WHEN n.${b} <> 'totalt' THEN '${b}=' || n.${b} END`).join(", ")})`;
const joinOn = (a: string, b: string, keys: string[]) =>
  keys.map((k) => `${a}.${k} = ${b}.${k}`).join(" AND ");

/** Compares two publication directories. Opens its own in-memory database unless given one. */
export async function diffPublications(
  oldDir: string,
  newDir: string,
  options: DiffOptions = {},
  connection?: Connection,
): Promise<PublicationDiff> {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const top = options.top ?? 20;
  const levels = options.levels ?? DEFAULT_LEVELS;
  const minPopulation = options.minPopulation ?? DEFAULT_MIN_POPULATION;
  if (!(Number.isFinite(minPopulation) && minPopulation >= 0)) {
    throw new Error(`minPopulation must be a number ≥ 0, not ${minPopulation}`);
  }
  const con = connection ?? (await openDatabase());
  try {
    await loadIndicators(con, "diff_old", resolve(oldDir));
    await loadIndicators(con, "diff_new", resolve(newDir));
    const percent = [...(await percentIndicators(resolve(newDir)))].sort();
    await con.run(
      `CREATE OR REPLACE TEMP TABLE diff_percent AS SELECT unnest([${
        percent.length ? percent.map(sqlString).join(", ") : "NULL"
      }]::VARCHAR[]) AS indikator`,
    );
    await con.run(
      `CREATE OR REPLACE TEMP TABLE diff_money AS SELECT unnest([${
        MONEY_SHARES.length ? MONEY_SHARES.map(sqlString).join(", ") : "NULL"
      }]::VARCHAR[]) AS indikator`,
    );

    const distinct = async (table: string, column: string) =>
      (
        await queryRows<{ v: string | number }>(
          con,
          `SELECT DISTINCT ${column}${column === "ar" ? "::INTEGER" : ""} AS v FROM ${table} WHERE ${column} IS NOT NULL ORDER BY v`,
        )
      ).map((r) => r.v);
    const oldIndicators = (await distinct("diff_old", "indikator")) as string[];
    const newIndicators = (await distinct("diff_new", "indikator")) as string[];
    const oldYears = (await distinct("diff_old", "ar")) as number[];
    const newYears = (await distinct("diff_new", "ar")) as number[];
    const addedYears = newYears.filter((y) => !oldYears.includes(y));

    // Revisions: both published, value changed beyond rounding noise.
    const revised = `FROM diff_old o JOIN diff_new n ON ${joinOn("o", "n", KEYS)}
      LEFT JOIN diff_percent pc ON pc.indikator = n.indikator
      WHERE o.status IS NULL AND n.status IS NULL
        AND abs(n.varde - o.varde) > 1e-9 * greatest(1, abs(o.varde))`;
    const revisedByIndicator = await queryRows<IndicatorCount>(
      con,
      `SELECT n.indikator, count(*)::INTEGER AS cells ${revised} GROUP BY n.indikator ORDER BY n.indikator`,
    );
    const largestRevisions = await queryRows<CellChange>(
      con,
      `SELECT n.indikator, n.ar::INTEGER AS ar, n.niva, n.region, ${cellLabel} AS cell, o.varde AS fore, n.varde AS efter,
         n.varde - o.varde AS change, CASE WHEN pc.indikator IS NOT NULL THEN 'procentenheter' ELSE 'enhet' END AS unit
       ${revised}
       ORDER BY abs(n.varde - o.varde) DESC, ${KEYS.map((k) => `n.${k}`).join(", ")} LIMIT ${top}`,
    );

    const suppression = await queryRows<{
      indikator: string;
      newly_suppressed: number;
      newly_published: number;
    }>(
      con,
      `SELECT n.indikator,
         count(*) FILTER (WHERE n.status = '..' AND o.status IS DISTINCT FROM '..')::INTEGER AS newly_suppressed,
         count(*) FILTER (WHERE o.status = '..' AND n.status IS DISTINCT FROM '..')::INTEGER AS newly_published
       FROM diff_old o JOIN diff_new n ON ${joinOn("o", "n", KEYS)}
       WHERE o.status IS DISTINCT FROM n.status AND (o.status = '..' OR n.status = '..')
       GROUP BY n.indikator ORDER BY n.indikator`,
    );

    // Year-on-year moves in the years this publication adds (or its latest year).
    const checkYears = addedYears.length > 0 ? addedYears : newYears.slice(-1);
    const keysButYear = KEYS.filter((k) => k !== "ar");
    const moved = `FROM diff_new n JOIN diff_new p ON ${joinOn("n", "p", keysButYear)} AND p.ar = n.ar - 1
      LEFT JOIN diff_percent pc ON pc.indikator = n.indikator
      LEFT JOIN diff_money m ON m.indikator = n.indikator
      WHERE n.ar IN (${checkYears.length ? checkYears.join(", ") : "NULL"})
        AND n.niva IN (${levels.map(sqlString).join(", ")})
        AND n.status IS NULL AND p.status IS NULL AND n.varde IS NOT NULL AND p.varde IS NOT NULL
        AND (pc.indikator IS NOT NULL OR p.varde <> 0)
        AND abs(CASE WHEN pc.indikator IS NOT NULL THEN n.varde - p.varde
                     ELSE (n.varde - p.varde) / abs(p.varde) * 100 END) > ${Number(threshold)}`;
    const change = `CASE WHEN pc.indikator IS NOT NULL THEN n.varde - p.varde ELSE (n.varde - p.varde) / abs(p.varde) * 100 END`;
    // NULL (no population published) fails the minimum, as an unknown population may be tiny.
    const large = `(m.indikator IS NOT NULL OR coalesce(${population("n")} >= ${minPopulation}
      AND ${population("p")} >= ${minPopulation}, false))`;
    const movedByIndicator = await queryRows<IndicatorCount>(
      con,
      `SELECT n.indikator, count(*)::INTEGER AS cells ${moved} AND ${large}
       GROUP BY n.indikator ORDER BY n.indikator`,
    );
    const [{ small }] = await queryRows<{ small: number }>(
      con,
      `SELECT count(*)::INTEGER AS small ${moved} AND NOT ${large}`,
    );
    // Per-cent indicators rank by |percentage points|, others by |relative change|; ties by the cell key.
    const largestMoves = await queryRows<CellChange>(
      con,
      `SELECT n.indikator, n.ar::INTEGER AS ar, n.niva, n.region, ${cellLabel} AS cell, p.varde AS fore, n.varde AS efter,
         ${change} AS change, CASE WHEN pc.indikator IS NOT NULL THEN 'procentenheter' ELSE 'procent' END AS unit
       ${moved} AND ${large}
       ORDER BY abs(${change}) DESC, ${KEYS.map((k) => `n.${k}`).join(", ")} LIMIT ${top}`,
    );

    const sum = (rows: { cells: number }[]) => rows.reduce((n, r) => n + r.cells, 0);
    return {
      threshold,
      min_population: minPopulation,
      levels,
      indicators: {
        added: newIndicators.filter((i) => !oldIndicators.includes(i)),
        removed: oldIndicators.filter((i) => !newIndicators.includes(i)),
      },
      years: {
        old: oldYears,
        new: newYears,
        added: addedYears,
        removed: oldYears.filter((y) => !newYears.includes(y)),
      },
      revisions: {
        cells: sum(revisedByIndicator),
        by_indicator: revisedByIndicator,
        largest: largestRevisions,
      },
      suppression: {
        newly_suppressed: suppression.reduce((n, r) => n + r.newly_suppressed, 0),
        newly_published: suppression.reduce((n, r) => n + r.newly_published, 0),
        by_indicator: suppression,
      },
      year_on_year: {
        years: checkYears,
        cells: sum(movedByIndicator),
        below_min_population: small,
        by_indicator: movedByIndicator,
        largest: largestMoves,
      },
    };
  } finally {
    for (const t of ["diff_old", "diff_new", "diff_percent", "diff_money"])
      await con.run(`DROP TABLE IF EXISTS ${t}`);
    if (!connection) con.closeSync();
  }
}

function formatNumber(x: number | null): string {
  if (x === null) return "–";
  return Number.isInteger(x) ? String(x) : x.toFixed(2);
}

function formatChange(c: CellChange): string {
  const where = `${c.indikator} ${c.ar} ${c.niva} ${c.region}${c.cell ? ` [${c.cell}]` : ""}`;
  const sign = c.change > 0 ? "+" : "";
  const unit = c.unit === "procentenheter" ? " pe" : c.unit === "procent" ? " %" : "";
  return `    ${where}: ${formatNumber(c.fore)} → ${formatNumber(c.efter)} (${sign}${c.change.toFixed(2)}${unit})`;
}

/** The review as text for the terminal. */
export function renderDiffText(diff: PublicationDiff): string {
  const list = (values: (string | number)[]) => (values.length ? values.join(", ") : "none");
  const lines = [
    `Indicators added: ${list(diff.indicators.added)}`,
    `Indicators removed: ${list(diff.indicators.removed)}`,
    `Years added: ${list(diff.years.added)}; years removed: ${list(diff.years.removed)}`,
    "",
    `Revised values in earlier years: ${diff.revisions.cells} cell(s)`,
    ...diff.revisions.by_indicator.map((r) => `  ${r.indikator}: ${r.cells}`),
  ];
  if (diff.revisions.largest.length > 0) {
    lines.push("  largest revisions (pe = percentage points):");
    lines.push(...diff.revisions.largest.map(formatChange));
  }
  lines.push(
    "",
    `Suppression changes: ${diff.suppression.newly_suppressed} newly suppressed, ${diff.suppression.newly_published} newly published`,
    ...diff.suppression.by_indicator.map(
      (r) => `  ${r.indikator}: +${r.newly_suppressed} suppressed, +${r.newly_published} published`,
    ),
    "",
    `Year-on-year moves above ${diff.threshold} (percentage points for %, per cent otherwise) in ${list(diff.year_on_year.years)}, levels ${diff.levels.join(", ")}, population at least ${diff.min_population} in both years: ${diff.year_on_year.cells} cell(s)`,
    ...diff.year_on_year.by_indicator.map((r) => `  ${r.indikator}: ${r.cells}`),
  );
  if (diff.year_on_year.below_min_population > 0) {
    lines.push(
      `  not listed: ${diff.year_on_year.below_min_population} cell(s) above the threshold on a population under ${diff.min_population}`,
    );
  }
  if (diff.year_on_year.largest.length > 0) {
    lines.push("  largest moves:");
    lines.push(...diff.year_on_year.largest.map(formatChange));
  }
  return `${lines.join("\n")}\n`;
}
