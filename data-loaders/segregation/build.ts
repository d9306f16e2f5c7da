/**
 * The build step: segregation measures for riket, every län and every kommun, over RegSO and over
 * DeSO, for each grouping of the population, written to `segregation_raw` (see docs/segregation.md).
 *
 * DuckDB does the only heavy work, one GROUP BY that counts persons per (year, DeSO, group); the
 * counts are small (DeSO × groups), so the measures are computed in TypeScript on them.
 */
import type { DuckDBAppender } from "@duckdb/node-api";
import type { Connection } from "../db.ts";
import { exec, queryRows } from "../db.ts";
import type { PreparedTable } from "./measures.ts";
import { entropy, mutualInformation, prepare } from "./measures.ts";
import type { SegregationProfile } from "./profile.ts";
import { segregationProfile } from "./profile.ts";
import { DEFAULT_SEED, exactExpectations } from "./random.ts";

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

/** Units the population is distributed over, with the person_ar column that holds them. */
const ENHETER = [
  { enhet: "regso", column: "regso" },
  { enhet: "deso", column: "deso" },
] as const;

export interface SegregationBuildOptions {
  years: readonly number[];
  /** Most draws of the random-allocation simulation (Gini, pairwise D); default DEFAULT_DRAWS. */
  draws?: number;
  /** Standard-error target that ends the simulation early; default DEFAULT_TOLERANCE. */
  tolerance?: number;
  seed?: number;
  groupings?: readonly Grouping[];
}

export interface SegregationBuildReport {
  rows: number;
  /** Seconds spent counting in DuckDB and computing measures in TypeScript. */
  countSeconds: number;
  measureSeconds: number;
}

/** The cell a row belongs to: everything but the measure. */
interface Cell {
  niva: string;
  region: string;
  enhet: string;
  indelning: string;
  befolkadeEnheter: number;
}

/** Appends rows of segregation_raw straight to DuckDB (no intermediate row objects). */
class RowWriter {
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

  /** A measure and its `_slump` twin (the value expected under random allocation). */
  pair(
    grupp: string,
    matt: string,
    value: number | null,
    random: number | null,
    gruppAntal: number | null,
  ): void {
    this.add(grupp, matt, value, gruppAntal);
    this.add(grupp, `${matt}_slump`, random, gruppAntal);
  }
}

interface DesoCounts {
  regso: string;
  kommun: string;
  lan: string;
  counts: number[];
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

  let t0 = performance.now();
  const places = await countPersons(con, years, groupings);
  report.countSeconds = (performance.now() - t0) / 1000;

  t0 = performance.now();
  const appender = await con.createAppender("segregation_raw");
  for (const year of years) {
    const counts = await countsOfYear(con, year, groupings, places);
    const writer = new RowWriter(appender, year);
    for (const [k, grouping] of groupings.entries()) {
      writeGrouping(writer, counts.get(k) ?? new Map<string, DesoCounts>(), grouping, year, options);
    }
    report.rows += writer.rows;
  }
  appender.closeSync();
  await exec(con, "DROP TABLE IF EXISTS seg_antal; DROP TABLE IF EXISTS seg_kvintilgranser;");
  report.measureSeconds = (performance.now() - t0) / 1000;
  return report;
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

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/** FNV-1a of a string mixed with the seed: an independent, reproducible stream per region. */
function regionSeed(seed: number, key: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Sums DeSO counts into the units named by `unitOf`, in sorted unit order. */
function tableOf(
  groups: readonly string[],
  desos: readonly [string, DesoCounts][],
  unitOf: (code: string, d: DesoCounts) => string,
): PreparedTable {
  const units = new Map<string, number[]>();
  for (const [code, d] of desos) {
    const unit = unitOf(code, d);
    const row = units.get(unit);
    if (!row) units.set(unit, [...d.counts]);
    else for (let g = 0; g < row.length; g++) row[g] += d.counts[g];
  }
  const keys = [...units.keys()].sort();
  return prepare({ groups, counts: keys.map((k) => units.get(k) as number[]) });
}

/** The rows of one year and grouping: every region, both kinds of unit. */
function writeGrouping(
  writer: RowWriter,
  byDeso: Map<string, DesoCounts>,
  grouping: Grouping,
  year: number,
  options: SegregationBuildOptions,
): void {
  const desos = [...byDeso.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const regions: { niva: string; region: string; desos: [string, DesoCounts][] }[] = [
    { niva: "riket", region: "00", desos },
  ];
  for (const [niva, key] of [
    ["lan", "lan"],
    ["kommun", "kommun"],
  ] as const) {
    const byRegion = new Map<string, [string, DesoCounts][]>();
    for (const entry of desos) getOrCreate(byRegion, entry[1][key], () => []).push(entry);
    for (const code of [...byRegion.keys()].sort()) {
      regions.push({ niva, region: code, desos: byRegion.get(code) as [string, DesoCounts][] });
    }
  }
  const seed = options.seed ?? DEFAULT_SEED;
  for (const { niva, region, desos: regionDesos } of regions) {
    for (const { enhet, column } of ENHETER) {
      const unitOf = (code: string, d: DesoCounts) => (column === "deso" ? code : d.regso);
      const table = tableOf(grouping.groups, regionDesos, unitOf);
      const profile = segregationProfile(table, {
        draws: options.draws,
        tolerance: options.tolerance,
        seed: regionSeed(seed, `${year}|${niva}|${region}|${enhet}|${grouping.indelning}`),
      });
      writer.setCell({
        niva,
        region,
        enhet,
        indelning: grouping.indelning,
        befolkadeEnheter: table.unitTotals.length,
      });
      writeProfile(writer, profile, table, grouping);
      if (niva !== "kommun")
        writeDecomposition(writer, grouping.groups, regionDesos, niva, unitOf, table, profile);
    }
  }
}

function writeProfile(
  writer: RowWriter,
  p: SegregationProfile,
  table: PreparedTable,
  grouping: Grouping,
): void {
  const groups = grouping.groups;
  groups.forEach((g, gi) => {
    const m = p.by_group[g];
    const r = p.random.by_group[g];
    // Persons behind a group-vs-rest measure: the smaller of the group and the rest, as the
    // complement rule for shares (the measures reveal the group's share, hence both counts).
    const n = Math.min(table.groupTotals[gi], table.total - table.groupTotals[gi]);
    const rest = (value: number | null) => (value === null ? null : 1 - value);
    writer.pair(g, "D", m.D, r.D, n);
    writer.pair(g, "isolering", m.isolation, r.isolation, n);
    writer.pair(g, "exponering", rest(m.isolation), rest(r.isolation), n);
    writer.pair(g, "eta2", m.correlation_ratio, r.correlation_ratio, n);
    writer.pair(g, "gini", m.gini, r.gini, n);
    writer.pair(g, "H", m.H, r.H, n);
    if (groups.length > 2) {
      groups.forEach((h, hi) => {
        if (hi === gi) return;
        const smaller = Math.min(table.groupTotals[gi], table.groupTotals[hi]);
        writer.pair(g, `exponering_${h}`, m.exposure[h], r.exposure[h], smaller);
      });
    }
    if (grouping.pairwise) {
      for (let hi = gi + 1; hi < groups.length; hi++) {
        const key = `${g}|${groups[hi]}`;
        const smaller = Math.min(table.groupTotals[gi], table.groupTotals[hi]);
        writer.pair(g, `D_${groups[hi]}`, p.pairwise[key].D, p.random.pairwise[key].D, smaller);
      }
    }
  });
  const mg = p.multigroup;
  const rg = p.random.multigroup;
  // Multigroup measures reveal the group shares (E exactly), so the persons behind them are those
  // of the smallest group present: disclosure control applies its count rule to that group.
  const smallest = smallestPresentGroup(table);
  writer.pair("alla", "D", mg.D, rg.D, smallest);
  writer.pair("alla", "gini", mg.gini, rg.gini, smallest);
  writer.pair("alla", "H", mg.H, rg.H, smallest);
  writer.pair("alla", "M", mg.M, rg.M, smallest);
  writer.add("alla", "E", mg.E, smallest);
  if (grouping.indelning === "inkomstkvintil") {
    // Segregationsbarometern's ojämlikhetsindex: D between the lowest and the highest quintile.
    const last = groups.length - 1;
    const key = `${groups[0]}|${groups[last]}`;
    const smaller = Math.min(table.groupTotals[0], table.groupTotals[last]);
    writer.pair("alla", "ojamlikhetsindex", p.pairwise[key].D, p.random.pairwise[key].D, smaller);
  }
}

/**
 * M and H of a riket or län split into between-län, between-kommun (within län) and within-kommun
 * parts: M = M_mellan_lan + M_mellan_kommun + M_inom_kommun (riket), M = M_mellan_kommun +
 * M_inom_kommun (län). Values use the weighted form Σ_r (T_r/T) M_r; expectations under random
 * allocation of the region's people to its units follow by linearity from the exact E[M] of the
 * region over län units, over kommun units and over its units.
 */
function writeDecomposition(
  writer: RowWriter,
  groups: readonly string[],
  desos: readonly [string, DesoCounts][],
  niva: string,
  unitOf: (code: string, d: DesoCounts) => string,
  table: PreparedTable,
  profile: SegregationProfile,
): void {
  const e = entropy(table);
  const total = table.total;
  const byKey = (key: "lan" | "kommun") => {
    const parts = new Map<string, [string, DesoCounts][]>();
    for (const entry of desos) getOrCreate(parts, entry[1][key], () => []).push(entry);
    return [...parts.keys()].sort().map((code) => parts.get(code) as [string, DesoCounts][]);
  };
  const unitsAre = (key: "lan" | "kommun") => tableOf(groups, desos, (_, d) => d[key]);
  const weightedWithin = (key: "lan" | "kommun", inner: (part: [string, DesoCounts][]) => PreparedTable) => {
    let sum = 0;
    for (const part of byKey(key)) {
      const t = inner(part);
      if (t.total > 0) sum += (t.total / total) * (mutualInformation(t) ?? 0);
    }
    return sum;
  };
  const kommunUnits = unitsAre("kommun");
  const expectedOverKommun = exactExpectations(kommunUnits).M;
  const expectedOverUnits = profile.random.multigroup.M;
  const components: [string, number | null, number | null][] = [];
  if (total > 0) {
    // Within kommun: Σ_k (T_k/T) M_k over the region's own units (RegSO or DeSO).
    const withinKommun = weightedWithin("kommun", (part) => tableOf(groups, part, unitOf));
    if (niva === "riket") {
      const lanUnits = unitsAre("lan");
      const expectedOverLan = exactExpectations(lanUnits).M;
      const betweenKommun = weightedWithin("lan", (part) => tableOf(groups, part, (_, d) => d.kommun));
      components.push(["mellan_lan", mutualInformation(lanUnits), expectedOverLan]);
      components.push(["mellan_kommun", betweenKommun, difference(expectedOverKommun, expectedOverLan)]);
    } else {
      components.push(["mellan_kommun", mutualInformation(kommunUnits), expectedOverKommun]);
    }
    components.push(["inom_kommun", withinKommun, difference(expectedOverUnits, expectedOverKommun)]);
  } else {
    const names =
      niva === "riket" ? ["mellan_lan", "mellan_kommun", "inom_kommun"] : ["mellan_kommun", "inom_kommun"];
    for (const name of names) components.push([name, null, null]);
  }
  const h = (m: number | null) => (m === null || e === null || e === 0 ? null : m / e);
  const smallest = smallestPresentGroup(table);
  for (const [name, value, random] of components) {
    writer.pair("alla", `M_${name}`, value, random, smallest);
    writer.pair("alla", `H_${name}`, h(value), h(random), smallest);
  }
}

/** Persons in the smallest group present (0 when nobody is counted). */
function smallestPresentGroup(table: PreparedTable): number {
  let smallest = 0;
  for (const tg of table.groupTotals) if (tg > 0 && (smallest === 0 || tg < smallest)) smallest = tg;
  return smallest;
}

function difference(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : Math.max(0, a - b);
}
