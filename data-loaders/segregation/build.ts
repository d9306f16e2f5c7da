/**
 * The build step: segregation measures for riket, every län and every kommun, over RegSO and over
 * DeSO, for each grouping of the population, written to `segregation_raw` (see docs/segregation.md).
 *
 * DuckDB counts persons per (year, DeSO, group) in one GROUP BY; the counts are small (DeSO ×
 * groups), so the measures are computed in TypeScript on them (rows.ts), region by region on
 * worker threads when there are many (threads.ts).
 */
import type { DuckDBAppender } from "@duckdb/node-api";
import type { Connection } from "../db.ts";
import { exec, queryRows } from "../db.ts";
import { type Cell, type DesoCounts, getOrCreate, type RowSink } from "./rows.ts";
import { PARALLEL_PERSONS, SegregationThreads, writeYearHere } from "./threads.ts";

/** A grouping of the population: its code, its groups in publication order and its SQL over person_ar. */
export interface Grouping {
  indelning: string;
  groups: readonly string[];
  /** Expression giving the group code, NULL for persons outside the grouping's population. */
  sql: string;
  /** Pairwise D for every pair of groups (only meaningful with more than two groups). */
  pairwise: boolean;
}

export const GROUPINGS: readonly Grouping[] = [
  {
    indelning: "utrikes_fodd",
    groups: ["utrikes", "inrikes"],
    sql: "CASE WHEN utrikes_fodd THEN 'utrikes' WHEN NOT utrikes_fodd THEN 'inrikes' END",
    pairwise: false,
  },
  {
    indelning: "fodelseregion",
    groups: ["sverige", "norden", "eu_efta", "ovriga"],
    sql: "fodelseregion",
    pairwise: true,
  },
  { indelning: "bakgrund", groups: ["svensk", "utlandsk"], sql: "bakgrund", pairwise: false },
  {
    // Each vistelsetid class of the utrikes födda against everyone else; inrikes födda form the
    // fifth group, so the multigroup measures cover the whole population.
    indelning: "vistelsetid",
    groups: ["0-1", "2-3", "4-9", "10-", "inrikes"],
    sql: "CASE WHEN utrikes_fodd THEN vistelsetid WHEN NOT utrikes_fodd THEN 'inrikes' END",
    pairwise: true,
  },
  {
    // National quintiles of ekonomisk standard in the year (cut-offs in seg_kvintilgranser).
    indelning: "inkomstkvintil",
    groups: ["1", "2", "3", "4", "5"],
    sql: `CASE WHEN ekonomisk_standard IS NULL THEN NULL
               WHEN ekonomisk_standard <= k.q20 THEN '1' WHEN ekonomisk_standard <= k.q40 THEN '2'
               WHEN ekonomisk_standard <= k.q60 THEN '3' WHEN ekonomisk_standard <= k.q80 THEN '4' ELSE '5' END`,
    pairwise: true,
  },
  {
    indelning: "lag_ekonomisk_standard",
    groups: ["lag", "ej_lag"],
    sql: "CASE WHEN lag_ekonomisk_standard THEN 'lag' WHEN NOT lag_ekonomisk_standard THEN 'ej_lag' END",
    pairwise: false,
  },
  {
    indelning: "utbildningsniva",
    groups: ["forgymnasial", "gymnasial", "eftergymnasial", "saknas"],
    sql: "CASE WHEN alder BETWEEN 25 AND 64 THEN utbildning END",
    pairwise: true,
  },
];

export interface SegregationBuildOptions {
  years: readonly number[];
  /** Most draws of the random-allocation simulation (Gini, pairwise D); default DEFAULT_DRAWS. */
  draws?: number;
  /** Standard-error target that ends the simulation early; default DEFAULT_TOLERANCE. */
  tolerance?: number;
  seed?: number;
  groupings?: readonly Grouping[];
  /** Threads for the measures (default every core); one keeps them on the calling thread. */
  threads?: number;
  /** Person-years from which the threads are used (default PARALLEL_PERSONS). */
  parallelFrom?: number;
}

export interface SegregationBuildReport {
  rows: number;
  /** Seconds spent counting in DuckDB and computing measures in TypeScript. */
  countSeconds: number;
  measureSeconds: number;
}

/** Appends rows of segregation_raw straight to DuckDB (no intermediate row objects). */
class RowWriter implements RowSink {
  rows = 0;
  private cell: Cell = { niva: "", region: "", enhet: "", indelning: "", befolkadeEnheter: 0 };

  constructor(
    private readonly appender: DuckDBAppender,
    private readonly year: number,
  ) {}

  setCell(cell: Cell): void {
    this.cell = cell;
  }

  /** One row; an undefined value gets status '.'. */
  add(grupp: string, matt: string, varde: number | null, gruppAntal: number | null): void {
    const a = this.appender;
    a.appendSmallInt(this.year);
    a.appendVarchar(this.cell.niva);
    a.appendVarchar(this.cell.region);
    a.appendVarchar(this.cell.enhet);
    a.appendVarchar(this.cell.indelning);
    a.appendVarchar(grupp);
    a.appendVarchar(matt);
    if (varde === null) {
      a.appendNull();
      a.appendVarchar(".");
    } else {
      a.appendDouble(varde);
      a.appendNull();
    }
    a.appendInteger(this.cell.befolkadeEnheter);
    if (gruppAntal === null) a.appendNull();
    else a.appendInteger(gruppAntal);
    a.endRow();
    this.rows++;
  }
}

const SEGREGATION_RAW = `CREATE OR REPLACE TABLE segregation_raw (
  ar SMALLINT NOT NULL, niva VARCHAR NOT NULL, region VARCHAR NOT NULL, enhet VARCHAR NOT NULL,
  indelning VARCHAR NOT NULL, grupp VARCHAR NOT NULL, matt VARCHAR NOT NULL, varde DOUBLE, status VARCHAR,
  befolkade_enheter INTEGER NOT NULL, grupp_antal INTEGER)`;

/** Computes every measure for the years and writes `segregation_raw` (replacing it). */
export async function computeSegregation(
  con: Connection,
  options: SegregationBuildOptions,
): Promise<SegregationBuildReport> {
  const groupings = options.groupings ?? GROUPINGS;
  const years = [...new Set(options.years)].sort((a, b) => a - b);
  for (const year of years)
    if (!Number.isInteger(year)) throw new RangeError(`year ${year} is not a whole number`);
  await exec(con, SEGREGATION_RAW);
  const report: SegregationBuildReport = { rows: 0, countSeconds: 0, measureSeconds: 0 };
  if (years.length === 0) return report;

  // The threads start while DuckDB counts (starting one takes about half a second).
  const threads =
    (await personYears(con, years)) >= (options.parallelFrom ?? PARALLEL_PERSONS)
      ? SegregationThreads.start(options.threads)
      : null;
  try {
    let t0 = performance.now();
    const places = await countPersons(con, years, groupings);
    report.countSeconds = (performance.now() - t0) / 1000;

    t0 = performance.now();
    const appender = await con.createAppender("segregation_raw");
    for (const year of years) {
      const counts = await countsOfYear(con, year, groupings, places);
      const byDeso = groupings.map((_, k) => counts.get(k) ?? new Map<string, DesoCounts>());
      const writer = new RowWriter(appender, year);
      if (threads) await threads.writeYear(writer, year, groupings, byDeso, options);
      else writeYearHere(writer, year, groupings, byDeso, options);
      report.rows += writer.rows;
    }
    appender.closeSync();
    await exec(con, "DROP TABLE IF EXISTS seg_antal; DROP TABLE IF EXISTS seg_kvintilgranser;");
    report.measureSeconds = (performance.now() - t0) / 1000;
    return report;
  } finally {
    await threads?.close();
  }
}

/** Person-years of the years in person_ar (reads one column). */
async function personYears(con: Connection, years: readonly number[]): Promise<number> {
  const [{ n }] = await queryRows<{ n: number }>(
    con,
    `SELECT count(*)::DOUBLE AS n FROM person_ar WHERE ar IN (${years.join(", ")})`,
  );
  return n;
}

type Place = Pick<DesoCounts, "regso" | "kommun" | "lan">;

/**
 * Counts persons per (year, grouping, DeSO, group) in one pass over person_ar into the temporary
 * table seg_antal(ar, deso, set, grupp, n), where `set` tells the grouping (see setIndex). Persons
 * without a DeSO are left out, as are persons whose group is NULL (outside the grouping's
 * population). Checks the codes and the geography, and returns where each DeSO lies.
 */
async function countPersons(
  con: Connection,
  years: readonly number[],
  groupings: readonly Grouping[],
): Promise<Map<string, Place>> {
  const yearList = years.join(", ");
  await exec(
    con,
    `CREATE OR REPLACE TEMP TABLE seg_kvintilgranser AS
     SELECT ar, q[1] AS q20, q[2] AS q40, q[3] AS q60, q[4] AS q80
     FROM (SELECT ar, quantile_disc(ekonomisk_standard, [0.2, 0.4, 0.6, 0.8]) AS q
           FROM person_ar WHERE ar IN (${yearList}) AND ekonomisk_standard IS NOT NULL GROUP BY ar)`,
  );
  // Where each DeSO lies: one small aggregate, so that the counting below groups by DeSO alone.
  const places = await queryRows<{
    deso: string;
    regso: string | null;
    kommun: string | null;
    lan: string | null;
  }>(
    con,
    `SELECT deso, regso, kommun_idag AS kommun, lan_idag AS lan FROM person_ar
     WHERE ar IN (${yearList}) AND deso IS NOT NULL GROUP BY ALL ORDER BY ALL`,
  );
  const placeOf = new Map<string, Place>();
  const inconsistent = new Map<string, string>();
  for (const { deso, regso, kommun, lan } of places) {
    if (regso === null || kommun === null || lan === null)
      inconsistent.set(deso, "has no regso, kommun_idag or lan_idag");
    else if (placeOf.has(deso)) inconsistent.set(deso, "lies in more than one regso/kommun_idag/lan_idag");
    else placeOf.set(deso, { regso, kommun, lan });
  }
  if (inconsistent.size > 0) {
    const [deso, rule] = inconsistent.entries().next().value as [string, string];
    throw new Error(
      `person_ar: columns regso, kommun_idag, lan_idag: ${inconsistent.size} DeSO break the rule that a DeSO ` +
        `lies in exactly one RegSO, kommun and län (first: ${deso} ${rule})`,
    );
  }

  const needsQuintiles = groupings.some((g) => g.sql.includes("k.q"));
  const groupColumns = groupings.map((g, k) => `${g.sql} AS g${k}`).join(",\n       ");
  const sets = groupings.map((_, k) => `(ar, deso, g${k})`).join(", ");
  const which = groupings.map((_, k) => `g${k}`).join(", ");
  await exec(
    con,
    `CREATE OR REPLACE TEMP TABLE seg_antal AS
     WITH p AS (
       SELECT ar, deso,
       ${groupColumns}
       FROM person_ar ${needsQuintiles ? "LEFT JOIN seg_kvintilgranser k USING (ar)" : ""}
       WHERE ar IN (${yearList}) AND deso IS NOT NULL),
     -- One pass over the persons into every combination of groups per DeSO (few, the groupings
     -- are correlated), then one small roll-up per grouping: measured 1 s per full-scale year
     -- faster than a GROUPING SET per grouping over the persons.
     fine AS (SELECT ar, deso, ${which}, count(*) AS n FROM p GROUP BY ALL)
     SELECT ar::INTEGER AS ar, deso, GROUPING(${which})::INTEGER AS set, COALESCE(${which}) AS grupp,
            sum(n)::INTEGER AS n
     FROM fine GROUP BY GROUPING SETS (${sets})
     HAVING COALESCE(${which}) IS NOT NULL`,
  );
  const codes = await queryRows<{ set: number; grupp: string; n: number }>(
    con,
    "SELECT set, grupp, sum(n)::DOUBLE AS n FROM seg_antal GROUP BY ALL ORDER BY ALL",
  );
  const setIndex = groupingSets(groupings);
  for (const { set, grupp, n } of codes) {
    const grouping = groupings[setIndex.get(set) as number];
    if (!grouping.groups.includes(grupp)) {
      throw new Error(
        `person_ar: grouping ${grouping.indelning} (${grouping.sql.replaceAll(/\s+/g, " ")}): ${n} person-years ` +
          `have the code '${grupp}', outside ${grouping.groups.join(", ")}`,
      );
    }
  }
  return placeOf;
}

/** GROUPING(g0, …, gK) has bit K−k set when g_k is not grouped; exactly one g_k is grouped per set. */
function groupingSets(groupings: readonly Grouping[]): Map<number, number> {
  const last = groupings.length - 1;
  return new Map(groupings.map((_, k) => [((1 << groupings.length) - 1) ^ (1 << (last - k)), k]));
}

/** One year's counts from seg_antal: grouping index → DeSO → counts in the grouping's group order. */
async function countsOfYear(
  con: Connection,
  year: number,
  groupings: readonly Grouping[],
  placeOf: Map<string, Place>,
): Promise<Map<number, Map<string, DesoCounts>>> {
  const rows = await queryRows<{ deso: string; set: number; grupp: string; n: number }>(
    con,
    `SELECT deso, set, grupp, n FROM seg_antal WHERE ar = ${year} ORDER BY ALL`,
  );
  const setIndex = groupingSets(groupings);
  const result = new Map<number, Map<string, DesoCounts>>();
  for (const row of rows) {
    const k = setIndex.get(row.set) as number;
    const grouping = groupings[k];
    const byDeso = getOrCreate(result, k, () => new Map());
    const place = placeOf.get(row.deso) as Place;
    const deso = getOrCreate(byDeso, row.deso, () => ({ ...place, counts: grouping.groups.map(() => 0) }));
    deso.counts[grouping.groups.indexOf(row.grupp)] += row.n;
  }
  return result;
}
