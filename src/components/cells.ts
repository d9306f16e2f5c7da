// Picking single cells and series out of a published indicator table, for the numbers that pages put
// into their text ("Andelen … var 67,3 procent år 2023"). Pure functions, tested in tests/src/components/.
import { formatNumber, NOT_AVAILABLE, SUPPRESSED } from "./format.js";
import { BREAKDOWNS } from "./indicators.js";
import type { Lang } from "./labels.js";

type Row = Record<string, unknown>;

/** The latest year of a table (the `ar` column), or undefined for an empty table. */
export function latestYear(rows: readonly Row[]): number | undefined {
  let latest: number | undefined;
  for (const row of rows) {
    const year = Number(row.ar);
    if (Number.isFinite(year) && (latest === undefined || year > latest)) latest = year;
  }
  return latest;
}

/** Every year of a table, ascending. */
export function yearsOf(rows: readonly Row[]): number[] {
  return [...new Set(rows.map((row) => Number(row.ar)).filter(Number.isFinite))].sort((a, b) => a - b);
}

/**
 * The one cell of a year with the given breakdown codes (every other breakdown `totalt`), optionally
 * of one region. Throws when the table holds more than one such cell: a page must never pick one of
 * several silently. Undefined when there is none.
 */
export function findCell<T extends Row>(
  rows: readonly T[],
  { ar, region, fixed = {} }: { ar: number; region?: string; fixed?: Record<string, string> },
): T | undefined {
  for (const column of Object.keys(fixed)) {
    if (!BREAKDOWNS.includes(column)) throw new Error(`findCell: '${column}' is not a breakdown column`);
  }
  const matches = rows.filter(
    (row) =>
      Number(row.ar) === ar &&
      (region === undefined || row.region === region) &&
      BREAKDOWNS.every((column) => row[column] === (fixed[column] ?? "totalt")),
  );
  if (matches.length > 1) {
    throw new Error(
      `findCell: ${matches.length} cells for ar ${ar} ${JSON.stringify(fixed)}; give the region`,
    );
  }
  return matches[0];
}

/** The published value of a cell, or null when it is suppressed, not available or missing. */
export function cellValue(cell: Row | undefined): number | null {
  if (!cell || cell.status != null) return null;
  const value = cell.varde;
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/**
 * The difference between two published values (e.g. percentage points between two groups or two
 * years); null when either is suppressed or missing, so a page never computes with a hidden value.
 */
export function difference(a: Row | undefined, b: Row | undefined): number | null {
  const x = cellValue(a);
  const y = cellValue(b);
  return x === null || y === null ? null : x - y;
}

/** Where a number in a page's text comes from: one cell of a published file (for the browser test). */
export interface FigureSource {
  /** Path in the publication, e.g. `indikatorer/forvarvsarbetande/riket.parquet`. */
  fil: string;
  ar: number;
  region?: string;
  fixed?: Record<string, string>;
  decimals: number;
  /** A second cell of the same file: the figure is the first value minus this one. */
  minus?: { ar: number; fixed?: Record<string, string> };
}

/**
 * A number for running text, from a published cell: `64,3` (`64.3` in English; no unit: the sentence
 * names it), `..`
 * when the cell (or either cell of a difference) is suppressed, `.` when it is missing. `source` is the
 * JSON the page puts in `data-kalla`, so that a test can recompute the number from the file.
 */
export function figure(
  rows: readonly Row[],
  source: FigureSource,
  lang: Lang,
): { text: string; source: string } {
  const cell = findCell(rows, { ar: source.ar, region: source.region, fixed: source.fixed });
  const other = source.minus
    ? findCell(rows, { ar: source.minus.ar, region: source.region, fixed: source.minus.fixed })
    : undefined;
  const cells = source.minus ? [cell, other] : [cell];
  let text: string;
  if (cells.some((c) => c?.status === SUPPRESSED)) text = SUPPRESSED;
  else if (cells.some((c) => cellValue(c) === null)) text = NOT_AVAILABLE;
  else text = formatNumber(source.minus ? difference(cell, other) : cellValue(cell), source.decimals, lang);
  return { text, source: JSON.stringify(source) };
}
