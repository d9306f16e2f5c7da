/**
 * The rows of segregation_raw for one region of one year and grouping, from the counts per DeSO:
 * the measures over RegSO and over DeSO, their random-allocation expectations and the entropy
 * decomposition. Pure computation, no DuckDB, so that worker threads can run it (threads.ts): a
 * region's rows depend only on its counts and its seed.
 */
import type { PreparedTable } from "./measures.ts";
import { entropy, mutualInformation, prepare } from "./measures.ts";
import type { SegregationProfile } from "./profile.ts";
import { segregationProfile } from "./profile.ts";
import { DEFAULT_SEED, exactExpectations } from "./random.ts";

/** What the rows need of a grouping (build.ts `Grouping` without its SQL). */
export interface GroupingShape {
  indelning: string;
  groups: readonly string[];
  /** Pairwise D for every pair of groups (only meaningful with more than two groups). */
  pairwise: boolean;
}

/** The cell a row belongs to: everything but the measure. */
export interface Cell {
  niva: string;
  region: string;
  enhet: string;
  indelning: string;
  befolkadeEnheter: number;
}

/** One DeSO's counts in a grouping's group order, and where the DeSO lies. */
export interface DesoCounts {
  regso: string;
  kommun: string;
  lan: string;
  counts: number[];
}

/** A region and its DeSO, in code order. */
export interface Region {
  niva: string;
  region: string;
  desos: [string, DesoCounts][];
}

/** The simulation settings of build.ts `SegregationBuildOptions`. */
export interface SimulationOptions {
  draws?: number;
  tolerance?: number;
  seed?: number;
}

/** Where rows go: the DuckDB appender (build.ts) or a buffer a worker thread posts (`RowBuffer`). */
export interface RowSink {
  setCell(cell: Cell): void;
  /** One row; a null value gets status '.'. */
  add(grupp: string, matt: string, varde: number | null, gruppAntal: number | null): void;
}

/** Units the population is distributed over, with the person_ar column that holds them. */
export const ENHETER = [
  { enhet: "regso", column: "regso" },
  { enhet: "deso", column: "deso" },
] as const;

/** Rows held in columns, to be posted from a worker thread and replayed into a sink in order. */
export class RowBuffer implements RowSink {
  cells: Cell[] = [];
  /** Per row: the index of its cell in `cells`. */
  cellOf: number[] = [];
  grupp: string[] = [];
  matt: string[] = [];
  varde: (number | null)[] = [];
  gruppAntal: (number | null)[] = [];

  setCell(cell: Cell): void {
    this.cells.push(cell);
  }

  add(grupp: string, matt: string, varde: number | null, gruppAntal: number | null): void {
    this.cellOf.push(this.cells.length - 1);
    this.grupp.push(grupp);
    this.matt.push(matt);
    this.varde.push(varde);
    this.gruppAntal.push(gruppAntal);
  }
}

/** Replays buffered rows (a `RowBuffer`, or its structured clone) into a sink, in their order. */
export function replayRows(rows: Omit<RowBuffer, "setCell" | "add">, sink: RowSink): void {
  let cell = -1;
  for (let r = 0; r < rows.grupp.length; r++) {
    if (rows.cellOf[r] !== cell) {
      cell = rows.cellOf[r];
      sink.setCell(rows.cells[cell]);
    }
    sink.add(rows.grupp[r], rows.matt[r], rows.varde[r], rows.gruppAntal[r]);
  }
}

/** A measure and its `_slump` twin (the value expected under random allocation). */
function pair(
  sink: RowSink,
  grupp: string,
  matt: string,
  value: number | null,
  random: number | null,
  gruppAntal: number | null,
): void {
  sink.add(grupp, matt, value, gruppAntal);
  sink.add(grupp, `${matt}_slump`, random, gruppAntal);
}

export function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/** The regions of one year and grouping: riket, then every län and every kommun in code order. */
export function regionsOf(byDeso: Map<string, DesoCounts>): Region[] {
  const desos = [...byDeso.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const regions: Region[] = [{ niva: "riket", region: "00", desos }];
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
  return regions;
}

/** FNV-1a of a string mixed with the seed: an independent, reproducible stream per region. */
export function regionSeed(seed: number, key: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Sums DeSO counts into the units named by `unitOf`, in sorted unit order. */
export function tableOf(
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

/** The rows of one region of a year and grouping, both kinds of unit. */
export function writeRegion(
  sink: RowSink,
  { niva, region, desos }: Region,
  grouping: GroupingShape,
  year: number,
  options: SimulationOptions,
): void {
  const seed = options.seed ?? DEFAULT_SEED;
  for (const { enhet, column } of ENHETER) {
    const unitOf = (code: string, d: DesoCounts) => (column === "deso" ? code : d.regso);
    const table = tableOf(grouping.groups, desos, unitOf);
    const profile = segregationProfile(table, {
      draws: options.draws,
      tolerance: options.tolerance,
      seed: regionSeed(seed, `${year}|${niva}|${region}|${enhet}|${grouping.indelning}`),
    });
    sink.setCell({
      niva,
      region,
      enhet,
      indelning: grouping.indelning,
      befolkadeEnheter: table.unitTotals.length,
    });
    writeProfile(sink, profile, table, grouping);
    if (niva !== "kommun") writeDecomposition(sink, grouping.groups, desos, niva, unitOf, table, profile);
  }
}

function writeProfile(
  sink: RowSink,
  p: SegregationProfile,
  table: PreparedTable,
  grouping: GroupingShape,
): void {
  const groups = grouping.groups;
  groups.forEach((g, gi) => {
    const m = p.by_group[g];
    const r = p.random.by_group[g];
    // Persons behind a group-vs-rest measure: the smaller of the group and the rest, as the
    // complement rule for shares (the measures reveal the group's share, hence both counts).
    const n = Math.min(table.groupTotals[gi], table.total - table.groupTotals[gi]);
    const rest = (value: number | null) => (value === null ? null : 1 - value);
    pair(sink, g, "D", m.D, r.D, n);
    pair(sink, g, "isolering", m.isolation, r.isolation, n);
    pair(sink, g, "exponering", rest(m.isolation), rest(r.isolation), n);
    pair(sink, g, "eta2", m.correlation_ratio, r.correlation_ratio, n);
    pair(sink, g, "gini", m.gini, r.gini, n);
    pair(sink, g, "H", m.H, r.H, n);
    if (groups.length > 2) {
      groups.forEach((h, hi) => {
        if (hi === gi) return;
        const smaller = Math.min(table.groupTotals[gi], table.groupTotals[hi]);
        pair(sink, g, `exponering_${h}`, m.exposure[h], r.exposure[h], smaller);
      });
    }
    if (grouping.pairwise) {
      for (let hi = gi + 1; hi < groups.length; hi++) {
        const key = `${g}|${groups[hi]}`;
        const smaller = Math.min(table.groupTotals[gi], table.groupTotals[hi]);
        pair(sink, g, `D_${groups[hi]}`, p.pairwise[key].D, p.random.pairwise[key].D, smaller);
      }
    }
  });
  const mg = p.multigroup;
  const rg = p.random.multigroup;
  // Multigroup measures reveal the group shares (E exactly), so the persons behind them are those
  // of the smallest group present: disclosure control applies its count rule to that group.
  const smallest = smallestPresentGroup(table);
  pair(sink, "alla", "D", mg.D, rg.D, smallest);
  pair(sink, "alla", "gini", mg.gini, rg.gini, smallest);
  pair(sink, "alla", "H", mg.H, rg.H, smallest);
  pair(sink, "alla", "M", mg.M, rg.M, smallest);
  sink.add("alla", "E", mg.E, smallest);
  if (grouping.indelning === "inkomstkvintil") {
    // Segregationsbarometern's ojämlikhetsindex: D between the lowest and the highest quintile.
    const last = groups.length - 1;
    const key = `${groups[0]}|${groups[last]}`;
    const smaller = Math.min(table.groupTotals[0], table.groupTotals[last]);
    pair(sink, "alla", "ojamlikhetsindex", p.pairwise[key].D, p.random.pairwise[key].D, smaller);
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
  sink: RowSink,
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
    pair(sink, "alla", `M_${name}`, value, random, smallest);
    pair(sink, "alla", `H_${name}`, h(value), h(random), smallest);
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
