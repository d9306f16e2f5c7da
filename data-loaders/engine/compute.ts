/**
 * The indicator engine: turns the registry's definitions into DuckDB SQL and writes the table
 * `indikatorer_raw` (publicering.md columns plus the disclosure-control columns of
 * docs/architecture.md). docs/indicators.md explains the design.
 *
 * Per frame (population, frames.ts) and year, never one query per indicator × level:
 * 1. stage 1: one GROUPING SETS pass over the persons at the finest place (kommun × DeSO ×
 *    områdestyp) and kön, crossed with one family of background variables at a time, computing
 *    every additive aggregate of every indicator of the frame (FILTERed counts and exact DECIMAL
 *    sums, shared between indicators);
 * 2. stage 2: a roll-up of those cells to riket, län, kommun, RegSO and DeSO and to each
 *    publication breakdown with GROUPING SETS;
 * 3. medians, which cannot be rolled up, from a narrow per-person table read once into typed
 *    arrays and walked in value order per grouping set (medians.ts).
 * Each indicator then selects its cells and forms value and status; one INSERT writes them all,
 * sorted by the publication key.
 */
import { progress } from "../cli/progress.ts";
import type { Connection } from "../db.ts";
import { exec, queryRows, sqlString, tableExists } from "../db.ts";
import { ageBandSql, BAND_COLUMN, DIMENSIONS, type Dimension, frameSql } from "./frames.ts";
import { computeMedianCells } from "./medians.ts";
import { INDICATORS } from "./registry/index.ts";
import {
  AGE_BAND_SETS,
  type AgeBandSet,
  type Frame,
  type IndicatorDefinition,
  LEVELS,
  type Level,
} from "./registry/schema.ts";

export interface ComputeOptions {
  /** Publication years to compute (must be in person_ar; earlier years are read where needed). */
  years: number[];
  /** Years with an utvandrade file; indicators that need emigrations are '.' in the other years. */
  emigrationYears: number[];
  /** Indicator ids to compute; default all. */
  indicators?: string[];
}

/** Sort order of the published table (publicering.md). */
export const SORT_KEY = [
  "indikator",
  "ar",
  "niva",
  "region",
  "kon",
  "alder",
  "fodelseregion",
  "vistelsetid",
  "grund",
  "utbildningsniva",
  "bakgrund",
  "omradestyp",
] as const;

const RAW_TABLE_COLUMNS = `indikator VARCHAR, ar SMALLINT, niva VARCHAR, region VARCHAR, kon VARCHAR, alder VARCHAR,
  fodelseregion VARCHAR, vistelsetid VARCHAR, grund VARCHAR, utbildningsniva VARCHAR, bakgrund VARCHAR,
  omradestyp VARCHAR, taljare DOUBLE, namnare DOUBLE, varde DOUBLE, status VARCHAR,
  antal BIGINT, antal_taljare BIGINT, bidragsgivare BIGINT, storsta_bidrag DOUBLE`;

const REGION_OF: Record<Level, string | null> = {
  riket: null,
  lan: "g_lan",
  kommun: "g_kommun",
  regso: "g_regso",
  deso: "g_deso",
};
const UPPER_LEVELS: Level[] = ["riket", "lan", "kommun"];
/**
 * Exact sums: money is whole kronor and ohälsodagar have few decimals, so DECIMAL(18,4) holds every
 * value (|v| < 10^14) and DuckDB sums it into DECIMAL(38,4) — the same total in any order, unlike
 * DOUBLE, and a cheaper input than a 128-bit DECIMAL(38,4) per person.
 */
const DECIMAL = "DECIMAL(18,4)";

/** An additive aggregate over the persons meeting `cond`: a count, or the sum or max of `value`. */
interface Additive {
  fn: "count" | "sum" | "max";
  cond: string;
  value?: string;
}
/** A holistic aggregate, evaluated once per person into a narrow table (medians.ts). */
interface Holistic {
  fn: "median" | "count";
  cond: string;
  value?: string;
}

/** Aggregates of one frame, deduplicated by their definition. */
class Aggregates {
  readonly list: { alias: string; additive?: Additive; holistic?: Holistic }[] = [];
  private byKey = new Map<string, string>();
  add(aggregate: { additive: Additive } | { holistic: Holistic }): string {
    // Holistic aggregates live in another table than the additive ones: the key includes the kind.
    const key = JSON.stringify(aggregate);
    const existing = this.byKey.get(key);
    if (existing) return existing;
    const alias = `a${this.list.length}`;
    this.list.push({ alias, ...aggregate });
    this.byKey.set(key, alias);
    return alias;
  }
}

/** Column aliases of one indicator, per level (key '*' when the SQL does not depend on the level). */
interface Columns {
  t: string;
  n?: string;
  antal: string;
  antalTaljare?: string;
  bidragsgivare?: string;
  storstaBidrag?: string;
}

interface Plan {
  def: IndicatorDefinition;
  columns: Map<Level | "*", Columns>;
}

const and = (...parts: (string | undefined)[]) => {
  const present = parts.filter((p): p is string => p !== undefined && p.trim() !== "");
  return present.length === 0 ? "true" : present.map((p) => `(${p})`).join(" AND ");
};

function universeSql(def: IndicatorDefinition): string {
  const { ageMin, ageMax, where } = def.universe;
  return and(
    ageMin === null ? undefined : `alder >= ${ageMin}`,
    ageMax === null ? undefined : `alder <= ${ageMax}`,
    where,
  );
}

function dependsOnLevel(def: IndicatorDefinition): boolean {
  return [
    def.universe.where,
    def.numerator.where,
    def.numerator.value,
    def.denominator?.where,
    def.denominator?.value,
  ]
    .filter((s): s is string => s !== undefined)
    .some((s) => s.includes("{niva}"));
}

/** Registers the aggregates of one indicator and returns their aliases. */
function planIndicator(def: IndicatorDefinition, aggs: Aggregates): Plan {
  const columns = new Map<Level | "*", Columns>();
  const variants: (Level | "*")[] = dependsOnLevel(def) ? def.levels : ["*"];
  for (const level of variants) {
    const at = (sql: string | undefined) =>
      sql === undefined || level === "*" ? sql : sql.replaceAll("{niva}", level);
    const u = at(universeSql(def));
    const nw = and(u, at(def.numerator.where));
    const nv = at(def.numerator.value);
    const dw = and(u, at(def.denominator?.where));
    const dv = at(def.denominator?.value);
    const count = (cond: string) => aggs.add({ additive: { fn: "count", cond } });
    const sum = (value: string, cond: string) => aggs.add({ additive: { fn: "sum", cond, value } });
    if (def.kind === "median") {
      const persons = aggs.add({ holistic: { fn: "count", cond: dw } });
      columns.set(level, {
        t: aggs.add({ holistic: { fn: "median", cond: dw, value: nv } }),
        n: persons,
        antal: persons,
      });
      continue;
    }
    const c: Columns = {
      t: nv === undefined ? count(nw) : sum(nv, nw),
      antal: count(def.kind === "antal" ? nw : dw),
    };
    if (def.kind !== "antal") c.n = dv === undefined ? count(dw) : sum(dv, dw);
    if (def.kind === "andel" || def.kind === "kvot") c.antalTaljare = count(nw);
    if (def.kind === "summaandel" && nv !== undefined) {
      c.bidragsgivare = count(and(nw, `(${nv}) <> 0`));
      c.storstaBidrag = aggs.add({ additive: { fn: "max", cond: nw, value: nv } });
    }
    columns.set(level, c);
  }
  return { def, columns };
}

/** The grouping dimensions an indicator needs. */
function dimensionsOf(def: IndicatorDefinition): Dimension[] {
  const dims: Dimension[] = [];
  for (const b of def.breakdowns) {
    if (b === "alder" && def.ageBands) dims.push(BAND_COLUMN[def.ageBands] as Dimension);
    else if (b === "fodelseregion") dims.push("fodelseregion", "inrikes_utrikes");
    else if (b !== "kon" && b !== "omradestyp" && b !== "alder") dims.push(b);
  }
  return dims;
}

type CellDim = Dimension | "none" | "omradestyp";

/** Grouping sets of the roll-up for one dimension over the given levels. */
function groupingSets(dim: CellDim, levels: Level[]): { sets: string[][]; levels: Level[] } {
  const sets: string[][] = [];
  const used: Level[] = [];
  for (const level of levels) {
    const region = REGION_OF[level];
    const base = region === null ? ["ar"] : ["ar", region];
    const upper = UPPER_LEVELS.includes(level);
    if (dim === "none") {
      sets.push(base, [...base, "b_kon"]);
    } else if (dim === "omradestyp") {
      if (!upper) continue;
      sets.push([...base, "g_omradestyp"], [...base, "g_omradestyp", "b_kon"]);
    } else if (upper) {
      sets.push([...base, `b_${dim}`], [...base, `b_${dim}`, "b_kon"]);
    } else if (dim === "inrikes_utrikes") {
      sets.push([...base, `b_${dim}`]);
    } else {
      continue;
    }
    used.push(level);
  }
  return { sets, levels: used };
}

/** SQL of the roll-up (or direct grouping) for one dimension; null when no level needs it. */
function cellsSql(
  dim: CellDim,
  levels: Level[],
  source: string,
  where: string,
  selects: { alias: string; expr: string }[],
): string | null {
  const { sets, levels: used } = groupingSets(dim, levels);
  if (sets.length === 0) return null;
  const grouped = used.filter((l) => l !== "riket");
  const niva =
    grouped.length === 0
      ? "'riket'"
      : `CASE ${grouped
          .slice()
          .reverse()
          .map((l) => `WHEN GROUPING(${REGION_OF[l]}) = 0 THEN '${l}'`)
          .join(" ")} ELSE 'riket' END`;
  const region =
    grouped.length === 0
      ? "'00'"
      : `CASE ${grouped
          .slice()
          .reverse()
          .map((l) => `WHEN GROUPING(${REGION_OF[l]}) = 0 THEN ${REGION_OF[l]}`)
          .join(" ")} ELSE '00' END`;
  const val = dim === "none" ? "NULL::VARCHAR" : dim === "omradestyp" ? "g_omradestyp" : `b_${dim}`;
  const setList = sets.map((s) => `(${s.join(", ")})`).join(", ");
  return `SELECT * FROM (
      SELECT ar::SMALLINT AS ar, ${niva} AS niva, ${region} AS region,
             CASE WHEN GROUPING(b_kon) = 1 THEN 'totalt' ELSE b_kon END AS kon,
             '${dim}' AS dim, ${val} AS val,
             ${selects.map((s) => `${s.expr} AS ${s.alias}`).join(",\n             ")}
      FROM ${source}
      WHERE ${where}
      GROUP BY GROUPING SETS (${setList})
    )
    WHERE kon IS NOT NULL AND region IS NOT NULL
      AND (dim = 'none' OR val IS NOT NULL)
      AND NOT (dim = 'inrikes_utrikes' AND niva IN ('riket', 'lan', 'kommun') AND val = 'sverige')`;
}

/**
 * Stage 1 groups by the finest place and kön crossed with one of three "families" of background
 * variables at a time; every publication dimension is a roll-up of one family:
 * - age: a fine age class that refines every age band set (so each band is a union of classes)
 * - utbildning: utbildningsnivå (never NULL, so this family also yields the totals and områdestyp)
 * - origin: födelseregion, vistelsetid, grund and bakgrund together (few combinations: vistelsetid
 *   and grund exist only for utrikes födda, who all have utländsk bakgrund)
 */
const FAMILIES = {
  age: { columns: ["b_alder_klass"] },
  utbildning: { columns: ["b_utbildningsniva"] },
  origin: { columns: ["b_fodelseregion", "b_vistelsetid", "b_grund", "b_bakgrund"] },
} as const;
type Family = keyof typeof FAMILIES;

const FAMILY_OF: Record<CellDim, Family> = {
  none: "utbildning",
  omradestyp: "utbildning",
  utbildningsniva: "utbildning",
  ab_arbetsfor: "age",
  ab_bred: "age",
  ab_val: "age",
  fodelseregion: "origin",
  inrikes_utrikes: "origin",
  vistelsetid: "origin",
  grund: "origin",
  bakgrund: "origin",
};

/** Lower bounds of the fine age classes: every bound of every band set. */
const AGE_CLASS_BOUNDS = [
  ...new Set(
    Object.values(AGE_BAND_SETS).flatMap((set) =>
      set.bands.flatMap((band) => {
        const [from, to] = band.split("-");
        return to === "" ? [Number(from)] : [Number(from), Number(to) + 1];
      }),
    ),
  ),
].sort((a, b) => b - a);

/** The fine age class of `alder`, as the lower bound of the class. */
function ageClassSql(age = "alder"): string {
  const whens = AGE_CLASS_BOUNDS.map((bound) => `WHEN ${age} >= ${bound} THEN ${bound}`).join(" ");
  return `(CASE ${whens} WHEN ${age} >= 0 THEN 0 END)`;
}

const STAGE1_KEY = ["ar", "g_kommun", "g_deso", "g_omradestyp", "b_kon"];

/** Bits of one packed count: 2^31 − 1 persons is more than any population a cell can hold. */
const COUNT_BITS = 31;

/**
 * The SELECT list of stage 1 and the SQL that unpacks it. Counts are packed two to a BIGINT
 * (`sum(c1 + c2 · 2^31)`): DuckDB's hash aggregate costs about the same per aggregate whatever
 * it sums, so halving the aggregates halves the pass (measured 24 → 10 s per full-scale year for
 * the `ar` frame, with CASE instead of FILTER). The packing is exact: no field can carry into the
 * next (a count stays below 2^31) and the sum of BIGINT is a 128-bit HUGEINT. Sums and maxima
 * keep their own aggregate, as exact DECIMAL.
 */
export function stage1Aggregates(aggregates: ({ alias: string } & Additive)[]): {
  selects: string[];
  unpack: string[];
} {
  const selects: string[] = [];
  const unpack: string[] = [];
  const counts = aggregates.filter((a) => a.fn === "count");
  for (let i = 0; i < counts.length; i += 2) {
    const pair = counts.slice(i, i + 2);
    const packed = `p${i / 2}`;
    const terms = pair.map(
      (a, k) => `(CASE WHEN ${a.cond} THEN ${k === 0 ? 1 : 2 ** COUNT_BITS} ELSE 0 END)::BIGINT`,
    );
    selects.push(`sum(${terms.join(" + ")}) AS ${packed}`);
    unpack.push(`(s.${packed} & ${2 ** COUNT_BITS - 1})::BIGINT AS ${pair[0].alias}`);
    if (pair.length === 2) unpack.push(`(s.${packed} >> ${COUNT_BITS})::BIGINT AS ${pair[1].alias}`);
  }
  for (const a of aggregates) {
    if (a.fn === "count") continue;
    selects.push(`${a.fn}(CASE WHEN ${a.cond} THEN (${a.value})::${DECIMAL} END) AS ${a.alias}`);
  }
  return { selects, unpack };
}

/** Computes the cells of one frame for the given years into `rdi_cells_<frame>[_median]`. */
async function computeFrameCells(
  con: Connection,
  frame: Frame,
  plans: Plan[],
  aggs: Aggregates,
  years: number[],
  emigrationYears: number[],
): Promise<void> {
  const levels = LEVELS.filter((l) => plans.some((p) => p.def.levels.includes(l)));
  const dims = [...new Set(plans.flatMap((p) => dimensionsOf(p.def)))];
  const cellDims: CellDim[] = ["none", ...DIMENSIONS.filter((d) => dims.includes(d))];
  if (plans.some((p) => p.def.breakdowns.includes("omradestyp"))) cellDims.push("omradestyp");
  const families = (Object.keys(FAMILIES) as Family[]).filter((f) =>
    cellDims.some((d) => FAMILY_OF[d] === f),
  );

  const additive = aggs.list.filter((a) => a.additive !== undefined);
  const holistic = aggs.list.filter((a) => a.holistic !== undefined);
  const stage1 = stage1Aggregates(additive.map((a) => ({ alias: a.alias, ...(a.additive as Additive) })));
  const table = `rdi_cells_${frame}`;
  await exec(con, `DROP TABLE IF EXISTS ${table}; DROP TABLE IF EXISTS ${table}_median`);

  for (const year of years) {
    const source = `(${frameSql(frame, { years: [year], emigrationYears })})`;
    if (additive.length > 0) {
      // Stage 1: finest place × kön × one family of background variables.
      let t0 = performance.now();
      const representatives = families.map((f) => FAMILIES[f].columns[0]);
      const sets = families.map((f) => `(${[...STAGE1_KEY, ...FAMILIES[f].columns].join(", ")})`);
      await exec(
        con,
        `CREATE OR REPLACE TEMP TABLE rdi_stage1 AS
         SELECT ${STAGE1_KEY.join(", ")}, ${families.flatMap((f) => FAMILIES[f].columns).join(", ")},
                GROUPING(${representatives.join(", ")}) AS gid,
                ${stage1.selects.join(",\n                ")}
         FROM (SELECT *, ${ageClassSql()} AS b_alder_klass FROM ${source})
         GROUP BY GROUPING SETS (${sets.join(", ")})`,
      );
      progress(`  ${frame} ${year}: stage 1 in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
      t0 = performance.now();
      // GROUPING() has one bit per representative, the first the most significant; a family's
      // rows have every bit set except its own.
      const all = 2 ** families.length - 1;
      const maskOf = (dim: CellDim) => all - 2 ** (families.length - 1 - families.indexOf(FAMILY_OF[dim]));
      const derivedColumns = [
        ...(families.includes("age")
          ? Object.entries(BAND_COLUMN)
              .filter(([set]) => set !== "arbetsfor_25")
              .map(([set, column]) => `${ageBandSql(set as AgeBandSet, "s.b_alder_klass")} AS b_${column}`)
          : []),
        ...(families.includes("origin")
          ? [
              `CASE WHEN s.b_fodelseregion = 'sverige' THEN 'sverige'
                    WHEN s.b_fodelseregion IS NOT NULL THEN 'utrikes' END AS b_inrikes_utrikes`,
            ]
          : []),
      ];
      const stage2Source = `(SELECT s.*, coalesce(k.lan, left(s.g_kommun, 2)) AS g_lan, d.regso AS g_regso
            ${[...stage1.unpack, ...derivedColumns].map((c) => `, ${c}`).join("")}
          FROM rdi_stage1 s
          LEFT JOIN ref_deso d ON d.deso = s.g_deso
          LEFT JOIN ref_kommun k ON k.kommun = s.g_kommun)`;
      const selects = additive.map((a) => ({
        alias: a.alias,
        expr: a.additive?.fn === "max" ? `max(${a.alias})` : `sum(${a.alias})`,
      }));
      const parts = cellDims
        .map((dim) => cellsSql(dim, levels, stage2Source, `gid = ${maskOf(dim)}`, selects))
        .filter((sql): sql is string => sql !== null);
      const into = (await tableExists(con, table)) ? `INSERT INTO ${table} ` : `CREATE TABLE ${table} AS `;
      await exec(con, `${into}${parts.join("\nUNION ALL\n")}`);
      await exec(con, "DROP TABLE rdi_stage1");
      progress(`  ${frame} ${year}: roll-up in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    }
    if (holistic.length > 0) {
      // Medians: over the persons directly (medians.ts; faster than quantile_cont over
      // GROUPING SETS), from the groups, each median's value and its condition.
      const t0 = performance.now();
      const inputs = holistic.flatMap((a) => {
        const h = a.holistic as NonNullable<typeof a.holistic>;
        const cond = `coalesce(${h.cond}, false) AS c_${a.alias}`;
        return h.value === undefined ? [cond] : [cond, `(${h.value})::DOUBLE AS v_${a.alias}`];
      });
      const groups = [
        "ar",
        "g_lan",
        "g_kommun",
        "g_regso",
        "g_deso",
        "g_omradestyp",
        "b_kon",
        ...cellDims.filter((d) => d !== "none" && d !== "omradestyp").map((d) => `b_${d}`),
      ];
      await computeMedianCells(con, {
        // A subquery, not a table: medians.ts keeps a coded copy of its own.
        input: `(SELECT ${[...groups, ...inputs].join(", ")} FROM ${source})`,
        target: `${table}_median`,
        groupColumns: groups,
        aggregates: holistic.map((a) => ({
          alias: a.alias,
          fn: (a.holistic as NonNullable<typeof a.holistic>).fn,
        })),
        dimensions: cellDims.map((dim) => ({ dim, sets: groupingSets(dim, levels).sets })),
        regionOf: REGION_OF,
      });
      progress(`  ${frame} ${year}: medians in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    }
  }
}

/** Picks an aggregate per level: `CASE niva WHEN 'lan' THEN a3 … END`. */
function pick(plan: Plan, key: keyof Columns): string | null {
  const entries = [...plan.columns.entries()];
  if (entries.every(([, c]) => c[key] === undefined)) return null;
  if (entries.length === 1 && entries[0][0] === "*") return `c.${entries[0][1][key]}`;
  return `CASE c.niva ${entries.map(([level, c]) => `WHEN '${level}' THEN c.${c[key]}`).join(" ")} END`;
}

/** SELECT of one indicator's rows from its frame's cells. */
function projectionSql(plan: Plan, emigrationYears: number[]): string {
  const def = plan.def;
  const table = `rdi_cells_${def.frame}${def.kind === "median" ? "_median" : ""}`;
  const t = pick(plan, "t") as string;
  const n = pick(plan, "n");
  const d = def.decimals;
  const pbb = def.numerator.perPrisbasbelopp === true;
  const taljare = def.kind === "median" ? "NULL::DOUBLE" : `(${t})::DOUBLE${pbb ? " / b.prisbasbelopp" : ""}`;
  const namnare = n === null || def.kind === "antal" ? "NULL::DOUBLE" : `(${n})::DOUBLE`;
  const scaled = (x: string) => (pbb ? `${x} / pbb` : x);
  const value: Record<IndicatorDefinition["kind"], string> = {
    andel: `CASE WHEN namnare > 0 THEN round(100 * taljare / namnare, ${d}) END`,
    summaandel: `CASE WHEN namnare > 0 THEN round(100 * taljare / namnare, ${d}) END`,
    kvot: `CASE WHEN namnare > 0 THEN round(taljare / namnare, ${d}) END`,
    medel: `CASE WHEN namnare > 0 THEN round(taljare / namnare, ${d}) END`,
    antal: `round(taljare, ${d})`,
    median: `CASE WHEN namnare > 0 THEN round(${scaled("median_v")}, ${d}) END`,
  };
  const status = def.kind === "antal" ? "NULL::VARCHAR" : "CASE WHEN namnare > 0 THEN NULL ELSE '.' END";

  const dims = dimensionsOf(def);
  const allowed = ["none", ...dims, ...(def.breakdowns.includes("omradestyp") ? ["omradestyp"] : [])];
  const filters = [
    `c.niva IN (${def.levels.map(sqlString).join(", ")})`,
    `c.dim IN (${allowed.map(sqlString).join(", ")})`,
  ];
  if (!def.breakdowns.includes("kon")) filters.push("c.kon = 'totalt'");
  const bandColumn = def.ageBands ? BAND_COLUMN[def.ageBands] : null;
  if (def.ageBands && bandColumn) {
    const bands = AGE_BAND_SETS[def.ageBands].bands.map(sqlString).join(", ");
    filters.push(`(c.dim <> '${bandColumn}' OR c.val IN (${bands}))`);
  }
  if (def.electionYearsOnly) filters.push("c.ar >= 1998 AND c.ar % 4 = 2");
  const column = (name: string, dimsOf: string[]) =>
    dimsOf.length === 0
      ? `'totalt' AS ${name}`
      : `CASE WHEN c.dim IN (${dimsOf.map(sqlString).join(", ")}) THEN c.val ELSE 'totalt' END AS ${name}`;
  const has = (dim: Dimension) => (dims.includes(dim) ? [dim] : []);
  const cell = `SELECT c.ar, c.niva, c.region, c.kon,
         ${column("alder", bandColumn && def.breakdowns.includes("alder") ? [bandColumn] : [])},
         ${column("fodelseregion", [...has("fodelseregion"), ...has("inrikes_utrikes")])},
         ${column("vistelsetid", has("vistelsetid"))},
         ${column("grund", has("grund"))},
         ${column("utbildningsniva", has("utbildningsniva"))},
         ${column("bakgrund", has("bakgrund"))},
         ${column("omradestyp", def.breakdowns.includes("omradestyp") ? ["omradestyp"] : [])},
         ${taljare} AS taljare,
         ${namnare} AS namnare,
         ${pick(plan, "antal")}::BIGINT AS antal,
         ${pick(plan, "antalTaljare") ?? "NULL"}::BIGINT AS antal_taljare,
         ${pick(plan, "bidragsgivare") ?? "NULL"}::BIGINT AS bidragsgivare,
         ${pick(plan, "storstaBidrag") ?? "NULL"}::DOUBLE AS storsta_bidrag,
         ${pbb ? "b.prisbasbelopp" : "NULL::DOUBLE"} AS pbb,
         ${def.kind === "median" ? `(${t})::DOUBLE` : "NULL::DOUBLE"} AS median_v
       FROM ${table} c LEFT JOIN ref_prisbasbelopp b ON b.ar = c.ar
       WHERE ${filters.join(" AND ")}`;
  const valueSql = value[def.kind];
  const available =
    def.needsEmigrations === true
      ? emigrationYears.length === 0
        ? "false"
        : `ar IN (${emigrationYears.join(", ")})`
      : "true";
  return `SELECT ${sqlString(def.id)} AS indikator, ar::SMALLINT AS ar, niva, region, kon, alder, fodelseregion,
      vistelsetid, grund, utbildningsniva, bakgrund, omradestyp,
      CASE WHEN ${available} THEN taljare END AS taljare,
      CASE WHEN ${available} THEN namnare END AS namnare,
      CASE WHEN ${available} THEN ${valueSql} END AS varde,
      CASE WHEN ${available} THEN ${status} ELSE '.' END AS status,
      CASE WHEN ${available} THEN antal END AS antal,
      CASE WHEN ${available} THEN antal_taljare END AS antal_taljare,
      CASE WHEN ${available} THEN bidragsgivare END AS bidragsgivare,
      CASE WHEN ${available} THEN storsta_bidrag END AS storsta_bidrag
    FROM (${cell})`;
}

/** Writes `indikatorer_raw` for the given years and indicators (see the module comment). */
export async function computeIndicators(con: Connection, options: ComputeOptions): Promise<void> {
  const wanted = options.indicators ? new Set(options.indicators) : null;
  if (wanted) {
    const unknown = [...wanted].filter((id) => !INDICATORS.some((d) => d.id === id));
    if (unknown.length > 0)
      throw new Error(`computeIndicators: unknown indicator id(s) ${unknown.join(", ")}`);
  }
  const defs = INDICATORS.filter((d) => wanted === null || wanted.has(d.id));
  const years = [...new Set(options.years)].sort((a, b) => a - b);
  const emigrationYears = [...new Set(options.emigrationYears)].sort((a, b) => a - b);

  await exec(con, `CREATE OR REPLACE TABLE indikatorer_raw (${RAW_TABLE_COLUMNS})`);
  if (defs.length === 0 || years.length === 0) return;
  const present = await queryRows<{ ar: number }>(con, "SELECT DISTINCT ar::INTEGER AS ar FROM person_ar");
  const missing = years.filter((y) => !present.some((p) => p.ar === y));
  if (missing.length > 0) {
    throw new Error(
      `computeIndicators: person_ar has no rows for year(s) ${missing.join(", ")} (run createPersonFrame first)`,
    );
  }

  const frames = [...new Set(defs.map((d) => d.frame))];
  const projections = new Map<string, string>();
  try {
    for (const frame of frames) {
      const aggs = new Aggregates();
      const plans = defs.filter((d) => d.frame === frame).map((d) => planIndicator(d, aggs));
      progress(`indicators: frame ${frame} (${plans.length} indicators, ${aggs.list.length} aggregates)`);
      await computeFrameCells(con, frame, plans, aggs, years, emigrationYears);
      for (const plan of plans) {
        const table = `rdi_cells_${frame}${plan.def.kind === "median" ? "_median" : ""}`;
        if (await tableExists(con, table)) projections.set(plan.def.id, projectionSql(plan, emigrationYears));
      }
    }
    // One statement appends every indicator and sorts once (measured 3× faster than one sorted
    // INSERT per indicator).
    const t0 = performance.now();
    const ordered = [...projections.keys()].sort().map((id) => projections.get(id) as string);
    if (ordered.length > 0) {
      await exec(
        con,
        `INSERT INTO indikatorer_raw
         SELECT * FROM (${ordered.join("\nUNION ALL\n")})
         ORDER BY ${SORT_KEY.join(", ")}`,
      );
    }
    progress(
      `indicators: ${projections.size} indicators written in ${((performance.now() - t0) / 1000).toFixed(2)} s`,
    );
  } finally {
    for (const frame of frames) {
      await exec(
        con,
        `DROP TABLE IF EXISTS rdi_cells_${frame}; DROP TABLE IF EXISTS rdi_cells_${frame}_median`,
      );
    }
  }
}
