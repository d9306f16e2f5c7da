/**
 * The synthetic population generator (`rdi generate`).
 *
 * Everything runs as DuckDB SQL. Random numbers are hashes of (seed, person, year, stream) mapped to
 * [0, 1), so a person's draws do not depend on the order rows are processed in, and the same seed
 * and scale give byte-identical files. See docs/synthetic-population.md for the model.
 *
 * Outline:
 * 1. The population of 31 Dec 2022 is laid out DeSO by DeSO from SCB's published counts (age groups,
 *    utländsk bakgrund, education) and RegSO counts of utrikes födda (exact up to rounding).
 * 2. Every person gets a life line: year of entry (birth or immigration), year of exit (death or
 *    emigration), and the years they moved. Persons who left before 2022 and persons who arrived in
 *    2023 are added so that the national population of every year matches SCB's series.
 * 3. For each year, the persons present are placed (moves lead back to earlier addresses), grouped
 *    into households, and given employment, income, transfers, housing and the other variables.
 */
import { mkdir, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { progress } from "../cli/progress.ts";
import type { Connection } from "../db.ts";
import { exec as execSql, openDatabase, queryRows, sqlString } from "../db.ts";
import { DIVISION_CHANGES, EMIGRATION_COLUMNS, isElectionYear, PERSON_COLUMNS } from "../extract/contract.ts";
import { createReferenceTables, referencePath } from "../reference/geography.ts";
import {
  arrivalAgeWeight,
  BIRTHS_2023,
  BUSINESS_CYCLE,
  CALIBRATION_YEAR,
  DEATHS,
  EMIGRATIONS,
  FIRST_YEAR,
  FOREIGN_BORN_1997,
  IMMIGRATIONS,
  LAST_YEAR,
  NORDIC,
  ORIGIN_PERIODS,
  POPULATION,
  seriesValue,
  stayShare,
  TURNOUT,
  WAGE_GROWTH,
} from "./parameters.ts";

export interface GenerateOptions {
  /** Output directory; created if missing. Existing files of the written years are replaced. */
  out: string;
  /** Years to write (each within 1997–2023). The population is always simulated over 1997–2023. */
  years: number[];
  /** Share of Sweden's population to generate (1 = full size). */
  scale: number;
  /** Seed of all random draws (a non-negative integer). */
  seed: number;
  /** DuckDB worker threads (default: DuckDB's choice). */
  threads?: number;
  /** DuckDB memory limit, e.g. "8GB". */
  memoryLimit?: string;
  /** Progress messages (default: progress on stderr). */
  onProgress?: (message: string) => void;
  /** DuckDB database file to work in (default in memory); keeps the work tables for inspection. */
  databasePath?: string;
}

export interface GeneratedFile {
  name: string;
  rows: number;
}

export interface GenerateSummary {
  files: GeneratedFile[];
  /** Persons ever present in 1997–2023 (the simulated universe). */
  persons: number;
  /** Persons per year in the simulated universe, all years 1997–2023. */
  populationByYear: Record<number, number>;
  /** Utrikes födda per year in the simulated universe. */
  foreignBornByYear: Record<number, number>;
}

/** Largest scale accepted: person ids within a DeSO are numbered below 100,000. */
export const MAX_SCALE = 10;

// Internal person ids (pid) of the sources of the population, in disjoint ranges. The population
// of 2022 uses DeSO number × 100,000 + i (below 6 × 10^8); leavers use exit year × 10^7 + i with
// i below 5 × 10^6 (one year's leavers at scale 10 are about 1.5 million).
const PID_OLD_LEAVER = 100_000_000_000;
const PID_NEW_EMIGRANT = 200_000_000_000;
const PID_BIRTH_2023 = 300_000_000_000;
const PID_IMMIGRANT_2023 = 400_000_000_000;

const UNIT = 9007199254740992; // 2^53

/** Runs SQL; with RDI_GENERATE_TIMING set, reports each statement group's duration on stderr. */
async function exec(con: Connection, sql: string): Promise<void> {
  if (!process.env.RDI_GENERATE_TIMING) return execSql(con, sql);
  for (const statement of sql.split(/;\s*\n\s*\n/)) {
    if (statement.trim() === "") continue;
    const t0 = performance.now();
    await execSql(con, statement);
    const label = statement.trim().split("\n")[0].slice(0, 70);
    process.stderr.write(`  ${((performance.now() - t0) / 1000).toFixed(2)} s  ${label}\n`);
  }
}

/** A stream name as a 32-bit integer (FNV-1a): hashing integers is cheaper than hashing strings. */
export function streamId(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * SQL for a uniform draw in [0, 1): the top 53 bits of `hash(hash(seed, keys) XOR stream)`. Keys are
 * SQL expressions (person, year, …); the one quoted literal ('name') names the stream.
 *
 * DuckDB's `hash(a, b, c)` combines the hashes of its arguments with a multiply-and-xor step, so
 * draws that differ only in a stream argument were strongly correlated (0.97). Hashing the stream
 * into the key's hash with a second, single-value hash mixes every bit (measured correlation below
 * 0.002), and the inner `hash(seed, keys)` is the same expression for all streams of a row, which
 * DuckDB computes once.
 */
function uniform(seed: number, ...keys: string[]): string {
  const streams = keys.filter((k) => /^'[a-z0-9_]+'$/.test(k));
  if (streams.length !== 1)
    throw new Error(`uniform() needs exactly one stream name, got ${keys.join(", ")}`);
  const others = keys.filter((k) => k !== streams[0]);
  const stream = streamId(streams[0].slice(1, -1));
  return `((hash(xor(hash(${[`${seed}::BIGINT`, ...others].join(", ")}), ${stream}::UBIGINT)) >> 11)::DOUBLE / ${UNIT}.0)`;
}

/**
 * SQL for a standard normal draw from one uniform, by Tukey's lambda approximation of the normal
 * quantile function (lambda 0.14, scale 4.91; error below 0.01 in the body, tails to about ±5).
 */
function normal(seed: number, ...keys: string[]): string {
  const u = uniform(seed, ...keys);
  return `(4.91 * (pow(${u}, 0.14) - pow(1 - ${u}, 0.14)))`;
}

/** Logistic function in SQL. */
function logistic(x: string): string {
  return `(1 / (1 + exp(-(${x}))))`;
}

/** SQL literal list of strings. */
function stringList(values: readonly string[]): string {
  return values.map(sqlString).join(", ");
}

/** The kommun code valid in `yearSql` of a person living in DeSO `desoSql` (division changes since 1997). */
function kommunOf(desoSql: string, yearSql: string): string {
  const cases = DIVISION_CHANGES.map(
    (c) => `WHEN left(${desoSql}, 4) = '${c.split}' AND ${yearSql} < ${c.until} THEN '${c.from}'`,
  ).join(" ");
  return `(CASE ${cases} ELSE left(${desoSql}, 4) END)`;
}

function checkOptions(options: GenerateOptions): void {
  const { years, scale, seed } = options;
  if (!(scale > 0 && scale <= MAX_SCALE))
    throw new RangeError(`scale must be in (0, ${MAX_SCALE}], got ${scale}`);
  if (!Number.isInteger(seed) || seed < 0)
    throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
  if (years.length === 0) throw new RangeError("no years to generate");
  for (const y of years) {
    if (!Number.isInteger(y) || y < FIRST_YEAR || y > LAST_YEAR) {
      throw new RangeError(`year ${y} is outside ${FIRST_YEAR}-${LAST_YEAR}`);
    }
  }
}

/** Generates a synthetic register extract. */
export async function generateExtract(options: GenerateOptions): Promise<GenerateSummary> {
  checkOptions(options);
  const report = options.onProgress ?? progress;
  const years = [...new Set(options.years)].sort((a, b) => a - b);
  const tempDirectory = join(tmpdir(), `rdi-generate-${process.pid}`);
  const con = await openDatabase({
    path: options.databasePath,
    threads: options.threads,
    memoryLimit: options.memoryLimit,
  });
  try {
    await exec(con, `SET preserve_insertion_order = true; SET temp_directory = ${sqlString(tempDirectory)};`);
    const ctx: Context = { con, seed: options.seed, scale: options.scale };
    report("reference data");
    await loadReference(ctx);
    report("population of 31 Dec 2022");
    await createStock(ctx);
    report("life lines 1997-2023");
    await createUniverse(ctx);
    const summary = await universeSummary(ctx);
    await mkdir(options.out, { recursive: true });
    const files: GeneratedFile[] = [];
    for (const year of years) {
      report(`year ${year}`);
      await createPersonYear(ctx, year);
      files.push(await writePersonFile(ctx, year, options.out));
      // Emigrations during the first year would come from persons of the year before, who are not
      // simulated: no utvandrade file for it (the indicators then report emigration as unavailable).
      if (year > FIRST_YEAR) files.push(await writeEmigrationFile(ctx, year, options.out));
    }
    return { files, ...summary };
  } finally {
    con.closeSync();
    await rm(tempDirectory, { recursive: true, force: true });
  }
}

export interface Context {
  con: Connection;
  seed: number;
  scale: number;
}

/**
 * Creates `regso_link(regso, kommun, stats_namn, matched_by)` and `regso_stats(regso, ar, total,
 * utrikes, share)` from SCB's RegSO statistics 2020–2023 (needs `ref_regso` and `deso_src`).
 *
 * The statistics name RegSO but give no codes, and about 60 names differ from the linking table
 * (renamed areas). A RegSO is matched by name within its kommun; else by an identical 2022
 * population within the kommun (the 2022 figures of both files count the same persons); else by
 * population rank among the RegSO left in the kommun; a RegSO still unmatched gets its kommun's share.
 */
export async function createRegsoStats(con: Connection): Promise<void> {
  const csv = (file: string) =>
    `read_csv(${sqlString(referencePath(file))}, all_varchar = true, header = true)`;
  await exec(
    con,
    `
    CREATE TABLE regso_src AS
    SELECT kommunkod AS kommun, regso_namn AS namn, ar::INTEGER AS ar,
      folkmangd_totalt::INTEGER AS total, utrikes_fodda::INTEGER AS utrikes
    FROM ${csv("regso2020_stats_2020_2023.csv")};

    -- RegSO names of the statistics file are matched to the linking table: by name within the
    -- kommun; else by an identical 2022 population within the kommun (renamed RegSO); else by
    -- population rank among the remaining RegSO of the kommun.
    CREATE TABLE regso_link AS
    WITH ours AS (
      SELECT r.regso, r.namn, r.kommun, sum(s.pop)::INTEGER AS pop
      FROM ref_regso r JOIN deso_src s USING (regso) GROUP BY ALL
    ),
    theirs AS (SELECT kommun, namn, total AS pop FROM regso_src WHERE ar = ${CALIBRATION_YEAR}),
    by_name AS (
      SELECT o.regso, t.namn AS stats_namn, 'name' AS matched_by FROM ours o JOIN theirs t USING (kommun, namn)
    ),
    ours_left AS (
      SELECT *, row_number() OVER (PARTITION BY kommun, pop ORDER BY regso) AS k
      FROM ours WHERE regso NOT IN (SELECT regso FROM by_name)
    ),
    theirs_left AS (
      SELECT *, row_number() OVER (PARTITION BY kommun, pop ORDER BY namn) AS k
      FROM theirs t WHERE NOT EXISTS (SELECT 1 FROM by_name b JOIN ours o USING (regso)
                                      WHERE o.kommun = t.kommun AND b.stats_namn = t.namn)
    ),
    by_pop AS (
      SELECT o.regso, t.namn AS stats_namn, 'population' AS matched_by
      FROM ours_left o JOIN theirs_left t USING (kommun, pop, k)
    ),
    ours_rest AS (
      SELECT *, row_number() OVER (PARTITION BY kommun ORDER BY pop, regso) AS k
      FROM ours_left WHERE regso NOT IN (SELECT regso FROM by_pop)
    ),
    theirs_rest AS (
      SELECT *, row_number() OVER (PARTITION BY kommun ORDER BY pop, namn) AS k
      FROM theirs_left t WHERE NOT EXISTS (SELECT 1 FROM by_pop b JOIN ours o USING (regso)
                                           WHERE o.kommun = t.kommun AND b.stats_namn = t.namn)
    ),
    by_rank AS (
      SELECT o.regso, t.namn AS stats_namn, 'rank' AS matched_by
      FROM ours_rest o JOIN theirs_rest t USING (kommun, k)
    )
    SELECT o.regso, o.kommun, m.stats_namn, coalesce(m.matched_by, 'kommun') AS matched_by
    FROM ours o LEFT JOIN (SELECT * FROM by_name UNION ALL SELECT * FROM by_pop UNION ALL SELECT * FROM by_rank) m
      USING (regso);

    -- Utrikes-född share per RegSO and year; a RegSO without a statistics row gets its kommun's share.
    CREATE TABLE regso_stats AS
    WITH kommun_share AS (
      SELECT kommun, ar, sum(utrikes) / sum(total) AS share FROM regso_src GROUP BY ALL
    )
    SELECT l.regso, y.ar, s.total, s.utrikes,
      coalesce(s.utrikes / s.total, k.share) AS share
    FROM regso_link l CROSS JOIN (SELECT DISTINCT ar FROM regso_src) y
    LEFT JOIN regso_src s ON s.kommun = l.kommun AND s.namn = l.stats_namn AND s.ar = y.ar
    LEFT JOIN kommun_share k ON k.kommun = l.kommun AND k.ar = y.ar;

    `,
  );
}

// ---------------------------------------------------------------------------------------------
// 1. Reference data

/** Creates `deso_src`: SCB's 2022 figures per DeSO 2018 with its RegSO, kommun and län (needs `ref_deso`). */
export async function createDesoSource(con: Connection): Promise<void> {
  const csv = (file: string) =>
    `read_csv(${sqlString(referencePath(file))}, all_varchar = true, header = true)`;
  await exec(
    con,
    `
    CREATE TABLE deso_src AS
    SELECT d.deso, d.regso, d.kommun, d.lan,
      ${AGE_GROUPS.map((a) => `s.${a}::INTEGER AS ${a}`).join(", ")},
      s.pop_total::INTEGER AS pop, s.bakgrund_utlandsk::INTEGER AS utl_bakgrund,
      s.utb25_64_forgymnasial::INTEGER AS e1, s.utb25_64_gymnasial::INTEGER AS e2,
      s.utb25_64_eftergymn_lt3::INTEGER AS e3, s.utb25_64_eftergymn_ge3::INTEGER AS e4,
      s.utb25_64_uppgift_saknas::INTEGER AS e0,
      s.inkomst20plus_median_tkr::DOUBLE AS income_median,
      s.lgh_hyresratt::INTEGER AS lgh_h, s.lgh_bostadsratt::INTEGER AS lgh_b,
      s.lgh_aganderatt::INTEGER AS lgh_a, s.lgh_uppgift_saknas::INTEGER AS lgh_0
    FROM ref_deso d JOIN ${csv("deso2018_stats_2022.csv")} s ON s.desokod = d.deso`,
  );
}

/** Age group columns of deso2018_stats_2022.csv: 0–4, 5–9, …, 75–79, 80+. */
const AGE_GROUPS = Array.from({ length: 16 }, (_, g) => `age_${g * 5}_${g * 5 + 4}`).concat(["age_80plus"]);

/**
 * Loads the reference files and derives per DeSO: the number of persons at this scale, the number
 * of utrikes födda and of inrikes födda with utländsk bakgrund, the cumulative age distribution, the
 * education distribution, the tenure mix and an area score (income and tenure).
 *
 * Counts are rounded systematically along the DeSO order (kommun, RegSO, DeSO) so that every kommun
 * and every RegSO total is within 1 of its scaled published figure.
 */
export async function loadReference(ctx: Context): Promise<void> {
  const { con, seed, scale } = ctx;
  await createReferenceTables(con);
  await createDesoSource(con);
  await createRegsoStats(con);
  await exec(
    con,
    `
    CREATE TABLE deso_params AS
    WITH ordered AS (
      SELECT s.*, row_number() OVER (ORDER BY s.kommun, s.regso, s.deso) AS didx,
        r.share AS regso_share, (r.share * sum(s.pop) OVER (PARTITION BY s.regso)) AS regso_utrikes,
        sum(s.utl_bakgrund + 1) OVER (PARTITION BY s.regso) AS regso_weight
      FROM deso_src s JOIN regso_stats r ON r.regso = s.regso AND r.ar = ${CALIBRATION_YEAR}
    ),
    targets AS (
      SELECT *,
        -- systematic rounding: cumulative scaled counts along the DeSO order, floor with an offset
        sum(${scale} * pop) OVER (PARTITION BY kommun ORDER BY didx) AS cum_pop,
        sum(${scale} * regso_utrikes * (utl_bakgrund + 1) / regso_weight) OVER (PARTITION BY regso ORDER BY didx) AS cum_utr,
        sum(${scale} * utl_bakgrund) OVER (PARTITION BY regso ORDER BY didx) AS cum_utl,
        ${uniform(seed, "kommun", "'round'")} AS off_k,
        ${uniform(seed, "regso", "'round'")} AS off_r
      FROM ordered
    ),
    counts AS (
      SELECT *,
        (floor(cum_pop + off_k) - floor(lag(cum_pop, 1, 0) OVER (PARTITION BY kommun ORDER BY didx) + off_k))::INTEGER AS n,
        (floor(cum_utr + off_r) - floor(lag(cum_utr, 1, 0) OVER (PARTITION BY regso ORDER BY didx) + off_r))::INTEGER AS n_utr,
        (floor(cum_utl + off_r) - floor(lag(cum_utl, 1, 0) OVER (PARTITION BY regso ORDER BY didx) + off_r))::INTEGER AS n_utl
      FROM targets
    ),
    scored AS (
      SELECT *,
        (ln(income_median) - avg(ln(income_median)) OVER ()) / stddev_pop(ln(income_median)) OVER () AS z_income,
        (lgh_h / greatest(lgh_h + lgh_b + lgh_a, 1) - avg(lgh_h / greatest(lgh_h + lgh_b + lgh_a, 1)) OVER ())
          / stddev_pop(lgh_h / greatest(lgh_h + lgh_b + lgh_a, 1)) OVER () AS z_rental
      FROM counts
    )
    SELECT deso, regso, kommun, lan, didx::INTEGER AS didx, pop, n,
      least(n_utr, n) AS n_utr, greatest(0, least(n_utl, n) - least(n_utr, n)) AS n_utl_inrikes,
      [${AGE_GROUPS.slice(0, 16)
        .map((_, g) => `(${AGE_GROUPS.slice(0, g + 1).join(" + ")}) / pop`)
        .join(", ")}] AS age_cum,
      regso_share AS share_utr,
      e0 / greatest(e0 + e1 + e2 + e3 + e4, 1) AS p_saknas,
      e1 / greatest(e1 + e2 + e3 + e4, 1) AS c1,
      (e1 + e2) / greatest(e1 + e2 + e3 + e4, 1) AS c2,
      (e1 + e2 + e3) / greatest(e1 + e2 + e3 + e4, 1) AS c3,
      lgh_h / greatest(lgh_h + lgh_b + lgh_a, 1) AS p_h, lgh_b / greatest(lgh_h + lgh_b + lgh_a, 1) AS p_b,
      lgh_a / greatest(lgh_h + lgh_b + lgh_a, 1) AS p_a, lgh_0 / greatest(lgh_h + lgh_b + lgh_a + lgh_0, 1) AS p_tenure_unknown,
      -- area score: high income and few rental flats = advantaged; standardised to mean 0, sd 1
      (0.8 * z_income - 0.4 * z_rental) / stddev_pop(0.8 * z_income - 0.4 * z_rental) OVER () AS score,
      age_65_69 + age_70_74 + age_75_79 + age_80plus AS pop_old,
      age_0_4 AS pop_kids,
      regso_share * pop AS pop_fb
    FROM scored;
    `,
  );
  await createDrawTables(ctx);
}

/**
 * Cumulative distribution tables for ASOF joins (`lo` = lower edge of each outcome in [0, 1)):
 * - loc_cdf(scope, lo, deso): DeSO by population within a kommun ('k0114'), a län ('l01'), the
 *   country ('rpop'), or nationally by persons 65+ ('rold'), utrikes födda ('rfb'), children ('rkids');
 * - arrival_cdf(kind, fodelsear, lo, ar): year of immigration given the year of birth;
 * - origin_cdf(period_from, lo, grund, land): ground for settlement and country given the period.
 */
async function createDrawTables(ctx: Context): Promise<void> {
  const { con } = ctx;
  const scopes = [
    ["'k' || kommun", "pop"],
    ["'l' || lan", "pop"],
    ["'rpop'", "pop"],
    ["'rold'", "pop_old"],
    ["'rfb'", "pop_fb"],
    ["'rkids'", "pop_kids"],
  ];
  const parts = scopes.map(
    ([scope, weight]) =>
      `SELECT ${scope} AS scope, deso, ${weight}::DOUBLE AS w, didx FROM deso_params WHERE ${weight} > 0`,
  );
  await exec(
    con,
    `CREATE TABLE loc_cdf AS
     SELECT scope, deso, coalesce(sum(w) OVER (PARTITION BY scope ORDER BY didx ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
       / sum(w) OVER (PARTITION BY scope) AS lo
     FROM (${parts.join(" UNION ALL ")});`,
  );

  // Year of immigration given year of birth. 'stock': persons living in Sweden in 2022 (inflow of
  // the year × share still here in 2022 × weight of the age at arrival); 'early': persons who
  // lived here in 1997 (arrival up to 1997).
  const rows: string[] = [];
  const addKind = (kind: string, lastArrival: number, observed: number) => {
    for (let birth = 1905; birth <= lastArrival; birth++) {
      const weights: [number, number][] = [];
      for (let year = Math.max(birth, 1945); year <= lastArrival; year++) {
        const w =
          seriesValue(IMMIGRATIONS, year) * stayShare(observed - year) * arrivalAgeWeight(year - birth);
        weights.push([year, w]);
      }
      const total = weights.reduce((s, [, w]) => s + w, 0);
      let cumulative = 0;
      for (const [year, w] of weights) {
        rows.push(`('${kind}', ${birth}, ${cumulative / total}, ${year})`);
        cumulative += w;
      }
    }
  };
  addKind("stock", CALIBRATION_YEAR, CALIBRATION_YEAR);
  addKind("early", 1997, 1997);
  await exec(
    con,
    `CREATE TABLE arrival_cdf(kind VARCHAR, fodelsear INTEGER, lo DOUBLE, ar INTEGER);
     INSERT INTO arrival_cdf VALUES ${rows.join(",\n")};`,
  );

  const origin: string[] = [];
  for (const period of ORIGIN_PERIODS) {
    const total = period.mix.reduce((s, [, , w]) => s + w, 0);
    let cumulative = 0;
    for (const [grund, land, w] of period.mix) {
      origin.push(
        `(${period.from}, ${period.to}, ${cumulative / total}, ${grund ? sqlString(grund) : "NULL"}, '${land}')`,
      );
      cumulative += w;
    }
  }
  await exec(
    con,
    `CREATE TABLE origin_cdf(period_from INTEGER, period_to INTEGER, lo DOUBLE, grund VARCHAR, land VARCHAR);
     INSERT INTO origin_cdf VALUES ${origin.join(",\n")};
     CREATE TABLE origin_period AS SELECT DISTINCT period_from, period_to FROM origin_cdf;`,
  );
}

// ---------------------------------------------------------------------------------------------
// 2. The population of 31 Dec 2022 and the life lines

/** Relative propensity to be utrikes född by age (Sweden 2022: few small children, many aged 25–44). */
const FOREIGN_BORN_AGE_WEIGHT = `CASE WHEN age < 5 THEN 0.12 WHEN age < 10 THEN 0.35 WHEN age < 15 THEN 0.5
  WHEN age < 20 THEN 0.75 WHEN age < 25 THEN 1.05 WHEN age < 45 THEN 1.55 WHEN age < 65 THEN 1.1
  WHEN age < 80 THEN 0.7 ELSE 0.55 END`;

/** Relative propensity of inrikes födda to have utländsk bakgrund (children of immigrants) by age. */
const BACKGROUND_AGE_WEIGHT = `CASE WHEN age < 20 THEN 1.0 WHEN age < 30 THEN 0.6 WHEN age < 45 THEN 0.25 ELSE 0.05 END`;

/**
 * Persons of 31 Dec 2022: per DeSO `n` persons, the age groups laid out exactly in proportion to the
 * published counts, `n_utr` utrikes födda chosen by a weighted lottery on age (weighted sampling
 * without replacement, key = ln(u) / weight), then `n_utl_inrikes` inrikes födda with utländsk bakgrund.
 */
async function createStock(ctx: Context): Promise<void> {
  const { con, seed } = ctx;
  const u = (...k: string[]) => uniform(seed, "pid", ...k);
  await exec(
    con,
    `
    CREATE TABLE stock_aged AS
    WITH groups AS (
      -- person i of the DeSO is in age group g when share_g <= (i + 0.5) / n < share_g+1
      SELECT deso, didx, n, n_utr, n_utl_inrikes, unnest(range(17)) AS age_group,
        unnest(list_concat([0.0], age_cum)) AS lo_share, unnest(list_concat(age_cum, [1.0])) AS hi_share
      FROM deso_params
    ),
    bounds AS (
      SELECT *, ceil(lo_share * n - 0.5)::INTEGER AS first_i, ceil(hi_share * n - 0.5)::INTEGER AS end_i FROM groups
    ),
    grouped AS (
      SELECT deso, n_utr, n_utl_inrikes, age_group, didx::BIGINT * 100000 + first_i + unnest(range(end_i - first_i)) AS pid
      FROM bounds WHERE end_i > first_i
    )
    SELECT pid, deso, n_utr, n_utl_inrikes,
      CASE WHEN age_group < 16 THEN age_group * 5 + floor(5 * ${u("'age'")})
        ELSE 80 + least(25, floor(-6.5 * ln(1 - ${u("'age'")}))) END::INTEGER AS age
    FROM grouped;

    CREATE TABLE stock_base AS
    WITH foreign_lottery AS (
      SELECT *, row_number() OVER (PARTITION BY deso ORDER BY ln(${u("'utr'")}) / (${FOREIGN_BORN_AGE_WEIGHT}) DESC, pid) AS utr_rank
      FROM stock_aged
    ),
    background_lottery AS (
      SELECT *, utr_rank <= n_utr AS utrikes,
        row_number() OVER (PARTITION BY deso, utr_rank <= n_utr
          ORDER BY ln(${u("'utl'")}) / (${BACKGROUND_AGE_WEIGHT}) DESC, pid) AS utl_rank
      FROM foreign_lottery
    )
    SELECT pid, deso, age, utrikes, NOT utrikes AND utl_rank <= n_utl_inrikes AS foreign_parents
    FROM background_lottery;
    `,
  );
}

/** Cumulative ages at which moves happen: eight move slots per life, most of them at ages 18–35. */
function moveColumns(seed: number): string {
  const cols: string[] = [];
  for (let j = 1; j <= 8; j++) {
    const a = uniform(seed, "pid", `${j}`, "'mva'");
    const b = uniform(seed, "pid", `${j}`, "'mvb'");
    cols.push(
      `fodelsear + floor(CASE WHEN ${a} < 0.72 THEN 18 + 17 * pow(${b}, 1.4) ELSE 95 * ${b} END)::INTEGER AS mv${j}`,
    );
  }
  // A secondary move a few years after immigration (many newly arrived leave the first kommun).
  cols.push(
    `CASE WHEN utrikes AND ${uniform(seed, "pid", "'mv9a'")} < 0.45 THEN arrival_year + 1 + floor(3 * ${uniform(seed, "pid", "'mv9b'")})::INTEGER END AS mv9`,
  );
  return cols.join(",\n");
}

/**
 * SQL statements that create table `target` with the static attributes (countries of birth of the
 * person and the parents, date of immigration, grund för bosättning) from table `source`, which has
 * pid, kon, fodelsear, home, utrikes, foreign_parents, arrival_year (NULL for inrikes födda),
 * first_year, last_year, ref_year, exit_kind and exit_date.
 */
function personAttributes(seed: number, source: string, target: string): string {
  const u = (...k: string[]) => uniform(seed, "pid", ...k);
  return `
  CREATE TABLE origin_draw AS
    SELECT s.*, op.period_from AS origin_period,
      ${u("'origin'")} AS u_origin,
      pp.period_from AS parent_period,
      ${u("'porigin'")} AS u_parent
    FROM ${source} s
    LEFT JOIN origin_period op ON s.arrival_year BETWEEN op.period_from AND op.period_to
    LEFT JOIN origin_period pp ON s.fodelsear - 3 BETWEEN pp.period_from AND pp.period_to;

  CREATE TABLE origin_land AS
    SELECT o.*, oc.grund, oc.land
    FROM origin_draw o ASOF LEFT JOIN origin_cdf oc ON oc.period_from = o.origin_period AND o.u_origin >= oc.lo;

  CREATE TABLE origin_parent AS
    SELECT w.*, pc.land AS parent_land
    FROM origin_land w ASOF LEFT JOIN origin_cdf pc ON pc.period_from = w.parent_period AND w.u_parent >= pc.lo;

  CREATE TABLE ${target} AS
  SELECT pid, kon, fodelsear, utrikes, home, first_year, last_year, ref_year, exit_kind, exit_date,
    CASE WHEN utrikes THEN coalesce(land, 'XX') ELSE 'SE' END AS fodelseland,
    CASE
      WHEN utrikes THEN CASE WHEN ${u("'mor'")} < 0.9 THEN coalesce(land, 'XX') WHEN ${u("'mor'")} < 0.95 THEN 'SE' END
      WHEN fodelsear < 1932 AND ${u("'pnull'")} < 0.7 THEN NULL
      WHEN foreign_parents THEN coalesce(parent_land, 'XX')
      WHEN ${u("'mixed'")} < 0.05 THEN coalesce(parent_land, 'XX')
      ELSE 'SE' END AS fodelseland_mor,
    CASE
      WHEN utrikes THEN CASE WHEN ${u("'far'")} < 0.88 THEN coalesce(land, 'XX') WHEN ${u("'far'")} < 0.94 THEN 'SE' END
      WHEN fodelsear < 1932 AND ${u("'pnull'")} < 0.7 THEN NULL
      WHEN foreign_parents THEN CASE WHEN ${u("'fsame'")} < 0.85 THEN coalesce(parent_land, 'XX') ELSE 'XX' END
      WHEN ${u("'mixed'")} BETWEEN 0.05 AND 0.12 THEN coalesce(parent_land, 'XX')
      ELSE 'SE' END AS fodelseland_far,
    CASE WHEN utrikes THEN make_date(arrival_year, 1 + floor(12 * ${u("'amonth'")})::INTEGER, 1 + floor(28 * ${u("'aday'")})::INTEGER) END AS senaste_invandring,
    CASE WHEN utrikes THEN arrival_year END AS arrival_year,
    CASE WHEN utrikes THEN grund END AS grund_for_bosattning
  FROM origin_parent`;
}

/**
 * Creates `persons`: one row per person ever present in 1997–2023, with static attributes, the years
 * of entry and exit, the home DeSO (address in the reference year = min(last year, 2022), or 2023
 * for those who arrive in 2023) and the years of moves.
 */
async function createUniverse(ctx: Context): Promise<void> {
  const { con, seed, scale } = ctx;
  const u = (...k: string[]) => uniform(seed, "pid", ...k);

  // 2a. Persons of 2022 with their year of immigration.
  await exec(
    con,
    `
    CREATE TABLE stock_drawn AS
      SELECT s.*, ${CALIBRATION_YEAR} - age AS fodelsear, ${u("'arrival'")} AS u_arrival,
        CASE WHEN age >= 65 THEN 0.5 - least(age - 65, 30) * 0.008 ELSE 0.512 END AS p_man
      FROM stock_base s;

    CREATE TABLE stock AS
    SELECT b.pid, CASE WHEN ${u("'kon'")} < p_man THEN 1 ELSE 2 END AS kon, b.fodelsear, b.deso AS home,
      b.utrikes, b.foreign_parents,
      CASE WHEN b.utrikes THEN a.ar END AS arrival_year
    FROM stock_drawn b ASOF LEFT JOIN (SELECT * FROM arrival_cdf WHERE kind = 'stock') a
      ON a.fodelsear = greatest(b.fodelsear, 1905) AND b.u_arrival >= a.lo;
    `,
  );

  // 2b. Calibration of persons who left before 2022 to SCB's population series.
  const stockByYear = await queryRows<{ ar: number; n: number; fb: number }>(
    con,
    `SELECT y.ar::INTEGER AS ar,
       count(*) FILTER (WHERE (CASE WHEN utrikes THEN arrival_year ELSE fodelsear END) <= y.ar)::INTEGER AS n,
       count(*) FILTER (WHERE utrikes AND arrival_year <= y.ar)::INTEGER AS fb
     FROM stock, range(${FIRST_YEAR}, ${CALIBRATION_YEAR} + 1) y(ar) GROUP BY y.ar ORDER BY y.ar`,
  );
  const stockN = new Map(stockByYear.map((r) => [r.ar, r.n]));
  const stockFb1997 = stockByYear.find((r) => r.ar === FIRST_YEAR)?.fb ?? 0;

  // Emigrants who came after 1997 (they arrive and leave within the window): share ν of emigrants.
  const newShare = (x: number) => Math.min(0.6, 0.05 * (x - FIRST_YEAR));
  const leaverRows: string[] = [];
  const newPresent = new Map<number, number>();
  for (let x = FIRST_YEAR + 2; x <= CALIBRATION_YEAR; x++) {
    const n = Math.round(scale * seriesValue(EMIGRATIONS, x) * newShare(x));
    leaverRows.push(`(${x}, 'new_emig', ${n})`);
  }
  // Arrival of new emigrants: exit year − 1 − Exp(6 years); if that is before 1998, uniform in 1998 to x − 1. Their presence by
  // year is needed before the old leavers can be calibrated, so the draw is materialised first.
  await exec(
    con,
    `CREATE TABLE leaver_counts(x INTEGER, kind VARCHAR, n INTEGER);
     INSERT INTO leaver_counts VALUES ${leaverRows.join(", ")};
     CREATE TABLE new_emigrants AS
     WITH l AS (SELECT x, ${PID_NEW_EMIGRANT} + x::BIGINT * 10000000 + unnest(range(n)) AS pid FROM leaver_counts WHERE kind = 'new_emig')
     SELECT pid, x, CASE WHEN raw >= ${FIRST_YEAR + 1} THEN raw
       ELSE ${FIRST_YEAR + 1} + floor((x - ${FIRST_YEAR + 1}) * ${u("'arr2'")}) END::INTEGER AS arrival_year
     FROM (SELECT *, x - 1 - floor(-6 * ln(1 - ${u("'arr'")})) AS raw FROM l);`,
  );
  const newByYear = await queryRows<{ ar: number; n: number }>(
    con,
    `SELECT y.ar::INTEGER AS ar, count(*) FILTER (WHERE arrival_year <= y.ar AND x > y.ar)::INTEGER AS n
     FROM new_emigrants, range(${FIRST_YEAR}, ${CALIBRATION_YEAR} + 1) y(ar) GROUP BY y.ar ORDER BY y.ar`,
  );
  for (const r of newByYear) newPresent.set(r.ar, r.n);

  // Old leavers (present in 1997, gone by 2022): O(Y) = target(Y) − stock(Y) − new emigrants(Y).
  const old = (y: number) =>
    y >= CALIBRATION_YEAR
      ? 0
      : Math.max(0, Math.round(scale * POPULATION[y]) - (stockN.get(y) ?? 0) - (newPresent.get(y) ?? 0));
  const oldRows: string[] = [];
  let oldDeaths = 0;
  let oldEmigrants = 0;
  for (let x = FIRST_YEAR + 1; x <= CALIBRATION_YEAR; x++) {
    const leaving = Math.max(0, old(x - 1) - old(x));
    const deaths = seriesValue(DEATHS, x);
    const emigrants = seriesValue(EMIGRATIONS, x) * (1 - newShare(x));
    const nDeaths = Math.round((leaving * deaths) / (deaths + emigrants));
    oldRows.push(`(${x}, 'death', ${nDeaths})`, `(${x}, 'old_emig', ${leaving - nDeaths})`);
    oldDeaths += nDeaths;
    oldEmigrants += leaving - nDeaths;
  }
  // Foreign-born share of the old leavers, so that 1997 has SCB's number of utrikes födda;
  // emigrants are 2.5 times as likely as the dead to be foreign-born.
  const neededFb = Math.max(0, scale * FOREIGN_BORN_1997 - stockFb1997);
  const fbDeaths = Math.min(0.35, neededFb / Math.max(1, oldDeaths + 2.5 * oldEmigrants));
  const fbEmigrants = Math.min(0.9, 2.5 * fbDeaths);
  await exec(con, `INSERT INTO leaver_counts VALUES ${oldRows.join(", ")};`);

  // 2c. Exits in 2023 (deaths by an age-dependent hazard, emigration mostly of recent immigrants)
  // and entries in 2023 (births, immigrants), so that 2023 matches SCB's total.
  const n2022 = stockN.get(CALIBRATION_YEAR) ?? 0;
  const deaths2023 = Math.round(scale * seriesValue(DEATHS, 2023));
  const emig2023 = Math.round(scale * seriesValue(EMIGRATIONS, 2023));
  const births2023 = Math.round(scale * BIRTHS_2023);
  const immigrants2023 = Math.max(
    0,
    Math.round(scale * POPULATION[2023]) - (n2022 - deaths2023 - emig2023 + births2023),
  );

  await exec(
    con,
    `
    CREATE TABLE stock_exit AS
    WITH keyed AS (
      SELECT pid, ln(${u("'d23'")}) / exp(0.095 * (${CALIBRATION_YEAR} - fodelsear - 80)) AS death_key,
        ln(${u("'e23'")}) / (CASE WHEN utrikes AND arrival_year >= 2015 THEN 4 WHEN utrikes THEN 1.5 ELSE 0.5 END
          * CASE WHEN ${CALIBRATION_YEAR} - fodelsear BETWEEN 20 AND 40 THEN 2 ELSE 0.5 END) AS emig_key
      FROM stock
    ),
    dead AS (SELECT pid, row_number() OVER (ORDER BY death_key DESC, pid) <= ${deaths2023} AS dies FROM keyed),
    emig AS (
      SELECT k.pid, d.dies, NOT d.dies AND row_number() OVER (PARTITION BY d.dies ORDER BY k.emig_key DESC, k.pid) <= ${emig2023} AS emigrates
      FROM keyed k JOIN dead d USING (pid)
    )
    SELECT pid, CASE WHEN dies THEN 'death' WHEN emigrates THEN 'emig' END AS exit_kind FROM emig WHERE dies OR emigrates;

    -- Leavers before 2022: age at exit, home DeSO, foreign-born or not.
    CREATE TABLE leavers_placed AS
    WITH l AS (
      SELECT x, kind, ${PID_OLD_LEAVER} + x::BIGINT * 10000000 + (CASE kind WHEN 'death' THEN 0 ELSE 5000000 END) + unnest(range(n)) AS pid
      FROM leaver_counts WHERE kind IN ('death', 'old_emig')
    ),
    aged AS (
      SELECT *, CASE
          WHEN kind = 'death' AND ${u("'young'")} < 0.08 THEN greatest(x - ${FIRST_YEAR}, 1) + floor(${u("'age'")} * (55 - greatest(x - ${FIRST_YEAR}, 1)))
          WHEN kind = 'death' THEN 55 + floor(45 * pow(${u("'age'")}, 0.75))
          ELSE greatest(x - ${FIRST_YEAR}, 20) + floor(22 * ${u("'age'")}) END::INTEGER AS age_at_exit,
        ${u("'fb'")} < (CASE kind WHEN 'death' THEN ${fbDeaths} ELSE ${fbEmigrants} END) AS utrikes
      FROM l
    ),
    placed AS (
      SELECT a.*, ${u("'home'")} AS u_home, ${u("'arrival'")} AS u_arrival,
        CASE WHEN kind = 'death' THEN 'rold' WHEN utrikes THEN 'rfb' ELSE 'rpop' END AS scope
      FROM aged a
    )
    SELECT * FROM placed;

    CREATE TABLE leavers_homed AS
    SELECT p.*, c.deso AS home FROM leavers_placed p ASOF JOIN loc_cdf c ON c.scope = p.scope AND p.u_home >= c.lo;

    CREATE TABLE leavers AS
    SELECT h.pid, CASE WHEN ${u("'kon'")} < 0.5 THEN 1 ELSE 2 END AS kon, h.x - h.age_at_exit AS fodelsear, h.home,
      h.utrikes, ${u("'fp'")} < 0.03 AND NOT h.utrikes AS foreign_parents,
      CASE WHEN h.utrikes THEN a.ar END AS arrival_year, h.x, CASE WHEN h.kind = 'death' THEN 'death' ELSE 'emig' END AS exit_kind
    FROM leavers_homed h ASOF LEFT JOIN (SELECT * FROM arrival_cdf WHERE kind = 'early') a
      ON a.fodelsear = greatest(h.x - h.age_at_exit, 1905) AND h.u_arrival >= a.lo;

    CREATE TABLE new_leavers AS
    WITH e AS (
      SELECT n.*, ${u("'home'")} AS u_home,
        CASE WHEN ${u("'child'")} < 0.15 THEN floor(18 * ${u("'age'")}) ELSE 18 + floor(30 * pow(${u("'age'")}, 1.3)) END::INTEGER AS age_at_arrival
      FROM new_emigrants n
    )
    SELECT e.pid, CASE WHEN ${u("'kon'")} < 0.5 THEN 1 ELSE 2 END AS kon, e.arrival_year - e.age_at_arrival AS fodelsear,
      c.deso AS home, true AS utrikes, false AS foreign_parents, e.arrival_year, e.x, 'emig' AS exit_kind
    FROM e ASOF JOIN (SELECT * FROM loc_cdf WHERE scope = 'rfb') c ON e.u_home >= c.lo;

    -- Arrivals in 2023. (Inputs of ASOF joins are materialised first: an ASOF join over a CTE
    -- re-evaluated the CTE and was a hundred times slower.)
    CREATE TABLE entrants_placed AS
    WITH e AS (
      SELECT ${PID_BIRTH_2023} + unnest(range(${births2023})) AS pid, false AS utrikes
      UNION ALL
      SELECT ${PID_IMMIGRANT_2023} + unnest(range(${immigrants2023})) AS pid, true AS utrikes
    ),
    placed AS (
      SELECT e.*, CASE WHEN utrikes THEN 'rfb' ELSE 'rkids' END AS scope, ${u("'home'")} AS u_home,
        CASE WHEN NOT utrikes THEN 0 WHEN ${u("'child'")} < 0.2 THEN floor(18 * ${u("'age'")})
          ELSE 18 + floor(40 * pow(${u("'age'")}, 1.8)) END::INTEGER AS age
      FROM e
    )
    SELECT * FROM placed;

    CREATE TABLE entrants AS
    SELECT p.pid, CASE WHEN ${u("'kon'")} < 0.512 THEN 1 ELSE 2 END AS kon, 2023 - p.age AS fodelsear, c.deso AS home,
      p.utrikes, NOT p.utrikes AND ${u("'fp'")} < d.share_utr * 1.3 AS foreign_parents,
      CASE WHEN p.utrikes THEN 2023 END AS arrival_year
    FROM entrants_placed p ASOF JOIN loc_cdf c ON c.scope = p.scope AND p.u_home >= c.lo
    JOIN deso_params d ON d.deso = c.deso;
    `,
  );

  // 2d. All persons with life lines.
  const exitDate = `make_date(x, 1 + floor(12 * ${u("'xmonth'")})::INTEGER, 1 + floor(28 * ${u("'xday'")})::INTEGER)`;
  await exec(
    con,
    `
    CREATE TABLE lives AS
    SELECT s.pid, s.kon, s.fodelsear, s.home, s.utrikes, s.foreign_parents, s.arrival_year,
      CASE WHEN s.utrikes THEN s.arrival_year ELSE greatest(s.fodelsear, ${FIRST_YEAR - 1}) END AS first_year,
      CASE WHEN x.exit_kind IS NULL THEN 2023 ELSE 2022 END AS last_year, 2022 AS ref_year, x.exit_kind,
      CASE WHEN x.exit_kind IS NOT NULL THEN make_date(2023, 1 + floor(12 * ${u("'xmonth'")})::INTEGER, 1 + floor(28 * ${u("'xday'")})::INTEGER) END AS exit_date
    FROM stock s LEFT JOIN stock_exit x USING (pid)
    UNION ALL
    SELECT pid, kon, fodelsear, home, utrikes, foreign_parents, arrival_year,
      CASE WHEN utrikes THEN arrival_year ELSE ${FIRST_YEAR - 1} END, x - 1, x - 1, exit_kind, ${exitDate}
    FROM leavers
    UNION ALL
    SELECT pid, kon, fodelsear, home, utrikes, foreign_parents, arrival_year, arrival_year, x - 1, x - 1, exit_kind, ${exitDate}
    FROM new_leavers
    UNION ALL
    SELECT pid, kon, fodelsear, home, utrikes, foreign_parents, arrival_year, 2023, 2023, 2023, NULL, NULL
    FROM entrants;

    ${personAttributes(seed, "lives", "person_static")};
    `,
  );

  // 2e. Education, latent traits and move years; lopnr in a scrambled order.
  await exec(
    con,
    `
    CREATE TABLE persons AS
    WITH p AS (
      SELECT s.*, l.foreign_parents, d.c1, d.c2, d.c3, d.p_saknas, d.share_utr, d.kommun AS home_kommun, d.lan AS home_lan,
        ${u("'ability'")} AS ability
      FROM person_static s JOIN lives l USING (pid) JOIN deso_params d ON d.deso = s.home
    )
    SELECT
      (10000000 + row_number() OVER (ORDER BY hash(hash(${seed}::BIGINT, pid, 'lopnr')), pid))::BIGINT AS lopnr,
      pid, kon, fodelsear, utrikes, foreign_parents, fodelseland, fodelseland_mor, fodelseland_far,
      senaste_invandring, arrival_year, grund_for_bosattning, home, home_kommun, home_lan,
      first_year, last_year, ref_year, exit_kind, exit_date, ability,
      -- final education: cohort distributions for those born before 1958, the DeSO's distribution
      -- (25–64 in 2022) for younger cohorts; ability decides the level; uppgift saknas mainly for
      -- recently arrived immigrants
      CASE
        WHEN utrikes AND ${u("'saknas'")} < least(0.8, p_saknas / greatest(share_utr, 0.03)
          * CASE WHEN arrival_year >= 2012 THEN 1.6 ELSE 0.5 END) THEN NULL
        WHEN fodelsear <= 1942 THEN 1 + (ability >= 0.45)::INTEGER + (ability >= 0.78)::INTEGER + (ability >= 0.88)::INTEGER
        WHEN fodelsear <= 1957 THEN 1 + (ability >= 0.25)::INTEGER + (ability >= 0.67)::INTEGER + (ability >= 0.81)::INTEGER
        ELSE 1 + (ability >= c1)::INTEGER + (ability >= c2)::INTEGER + (ability >= c3)::INTEGER
      END AS edu_final,
      -- stable part of the employment propensity: partly ability (which also drives education)
      0.3 * 4.91 * (pow(ability, 0.14) - pow(1 - ability, 0.14)) + 0.954 * ${normal(seed, "pid", "'zp'")} AS zp,
      ${normal(seed, "pid", "'zw'")} AS zw,
      ${moveColumns(seed)}
    FROM p;
    `,
  );
}

async function universeSummary(ctx: Context): Promise<Omit<GenerateSummary, "files">> {
  const rows = await queryRows<{ ar: number; n: number; fb: number }>(
    ctx.con,
    `SELECT y.ar::INTEGER AS ar, count(*)::INTEGER AS n, count(*) FILTER (WHERE utrikes)::INTEGER AS fb
     FROM persons, range(${FIRST_YEAR}, ${LAST_YEAR} + 1) y(ar)
     WHERE first_year <= y.ar AND last_year >= y.ar GROUP BY y.ar ORDER BY y.ar`,
  );
  const [{ n }] = await queryRows<{ n: number }>(ctx.con, "SELECT count(*)::INTEGER AS n FROM persons");
  return {
    persons: n,
    populationByYear: Object.fromEntries(rows.map((r) => [r.ar, r.n])),
    foreignBornByYear: Object.fromEntries(rows.map((r) => [r.ar, r.fb])),
  };
}

// ---------------------------------------------------------------------------------------------
// 3. One year

const EU_EFTA_ANY = [
  "AT",
  "BE",
  "DE",
  "ES",
  "FR",
  "GR",
  "IE",
  "IT",
  "LU",
  "NL",
  "PT",
  "GB",
  "CY",
  "CZ",
  "EE",
  "HU",
  "LT",
  "LV",
  "MT",
  "PL",
  "SI",
  "SK",
  "BG",
  "RO",
  "HR",
  "IS",
  "LI",
  "NO",
  "CH",
];

/** Builds `py`: the persons present on 31 Dec `year` with address, household and every variable. */
async function createPersonYear(ctx: Context, year: number): Promise<void> {
  const { con, seed } = ctx;
  const Y = `${year}`;
  const u = (...k: string[]) => uniform(seed, "pid", Y, ...k); // changes every year
  const us = (...k: string[]) => uniform(seed, "pid", ...k); // stable over the years
  const moves = Array.from({ length: 9 }, (_, j) => `mv${j + 1}`);
  // Location index: 0 = home; k > 0 = the k-th address before the reference year; k < 0 after it.
  const movesBetween = (lo: string, hi: string) =>
    moves
      .map((m) => `(coalesce(${m} > ${lo} AND ${m} <= ${hi} AND ${m} > first_year, false))::INTEGER`)
      .join(" + ");
  const movesIn = moves
    .map((m) => `(coalesce(${m} = ${Y} AND ${m} > first_year, false))::INTEGER`)
    .join(" + ");
  const pbb = await queryRows<{ ar: number; kr: number }>(
    con,
    `SELECT ar::INTEGER AS ar, prisbasbelopp_kr::INTEGER AS kr FROM read_csv(${sqlString(referencePath("prisbasbelopp.csv"))}, all_varchar = true)`,
  );
  const pbbOf = new Map(pbb.map((r) => [r.ar, r.kr]));
  const prices = (pbbOf.get(year) ?? 48300) / (pbbOf.get(2022) ?? 48300);
  const wages = (1 + WAGE_GROWTH) ** (year - 2022);
  const cycle = BUSINESS_CYCLE[year] ?? 0;
  const election = isElectionYear(year);

  await exec(
    con,
    `
    CREATE OR REPLACE TABLE frame AS
    SELECT pid, home, home_kommun, home_lan, first_year,
      CASE WHEN ${Y} <= ref_year THEN ${movesBetween(Y, "ref_year")} ELSE -(${movesBetween("ref_year", Y)}) END AS k,
      ${movesIn} AS moves_in_year
    FROM persons p WHERE first_year <= ${Y} AND last_year >= ${Y};

    -- Addresses: index 0 is the home DeSO; index k > 0 is the k-th address before it (k < 0 after
    -- it). Each move leaves the kommun with probability 1/2 (flag per move); the kommun of address k
    -- is the one drawn at the last such move up to k (the home kommun if none), by population within
    -- the home län (44 %) or the whole country (56 %); the DeSO is then drawn within that kommun.
    -- Chaining the kommun this way keeps the share of moves that cross a kommun border the same in
    -- every year.
    CREATE OR REPLACE TABLE address_needed AS
    WITH needed AS (
      SELECT pid, home_kommun, home_lan, k AS idx FROM frame WHERE k <> 0
      UNION
      SELECT pid, home_kommun, home_lan, k + moves_in_year FROM frame WHERE moves_in_year > 0 AND k + moves_in_year <> 0
    )
    SELECT *, sign(idx)::INTEGER AS sg, greatest(0, ${Array.from(
      { length: 9 },
      (_, j) =>
        `CASE WHEN ${j + 1} <= abs(idx) AND ${uniform(seed, "pid", `sign(idx)::INTEGER * ${j + 1}`, "'chg'")} < 0.5 THEN ${j + 1} ELSE 0 END`,
    ).join(", ")}) AS last_change
    FROM needed;

    CREATE OR REPLACE TABLE address_kommun_draw AS
    SELECT pid, idx, CASE WHEN ${uniform(seed, "pid", "sg * last_change", "'scope'")} < 0.44 THEN 'l' || home_lan ELSE 'rpop' END AS scope,
      ${uniform(seed, "pid", "sg * last_change", "'kom'")} AS u_kommun
    FROM address_needed WHERE last_change > 0;

    CREATE OR REPLACE TABLE address_kommun AS
    SELECT d.pid, d.idx, left(c.deso, 4) AS kommun
    FROM address_kommun_draw d ASOF JOIN loc_cdf c ON c.scope = d.scope AND d.u_kommun >= c.lo;

    CREATE OR REPLACE TABLE address_deso_draw AS
    SELECT n.pid, n.idx, 'k' || coalesce(k.kommun, n.home_kommun) AS scope, ${uniform(seed, "n.pid", "n.idx", "'loc'")} AS u_loc
    FROM address_needed n LEFT JOIN address_kommun k ON k.pid = n.pid AND k.idx = n.idx;

    CREATE OR REPLACE TABLE addresses AS
    SELECT s.pid, s.idx, c.deso FROM address_deso_draw s ASOF JOIN loc_cdf c ON c.scope = s.scope AND s.u_loc >= c.lo;

    CREATE OR REPLACE TABLE located AS
    SELECT f.pid, coalesce(a.deso, f.home) AS deso,
      CASE WHEN f.first_year >= ${Y} THEN NULL
        WHEN f.moves_in_year = 0 THEN coalesce(a.deso, f.home)
        WHEN f.k + f.moves_in_year = 0 THEN f.home
        ELSE b.deso END AS deso_fg_ar
    FROM frame f
    LEFT JOIN addresses a ON a.pid = f.pid AND a.idx = f.k
    LEFT JOIN addresses b ON b.pid = f.pid AND b.idx = f.k + f.moves_in_year;
    `,
  );

  const nordic = stringList(NORDIC);
  const euEfta = stringList(EU_EFTA_ANY);
  await exec(
    con,
    `
    CREATE OR REPLACE TABLE py AS
    WITH a AS (
      SELECT p.*, ${Y} - p.fodelsear AS alder, l.deso, l.deso_fg_ar, d.score, d.share_utr AS deso_share_utr,
        ${kommunOf("l.deso", Y)} AS kommun,
        CASE WHEN l.deso_fg_ar IS NOT NULL THEN ${kommunOf("l.deso_fg_ar", `${year - 1}`)} END AS kommun_fg_ar,
        CASE WHEN p.utrikes THEN DATE '${Y}-12-31' - p.senaste_invandring END AS days_here,
        CASE WHEN NOT p.utrikes THEN 'sverige' WHEN p.fodelseland IN (${nordic}) THEN 'norden'
          WHEN p.fodelseland IN (${euEfta}) THEN 'eu' ELSE 'ovriga' END AS origin,
        coalesce(p.grund_for_bosattning IN ('skyddsbehov', 'anhorig_skyddsbehov'), false) AS skydd
      FROM persons p JOIN located l USING (pid) JOIN deso_params d ON d.deso = l.deso
    ),
    b AS (
      SELECT *,
        CASE WHEN alder < 16 THEN NULL WHEN edu_final IS NULL THEN NULL
          WHEN alder <= 18 THEN 1
          WHEN alder <= 20 THEN least(edu_final, 2)
          WHEN alder <= 23 THEN least(edu_final, 3)
          ELSE edu_final END AS utbildningsniva,
        CASE WHEN alder BETWEEN 7 AND 15 THEN true
          ELSE ${u("'stud'")} < (CASE WHEN alder < 7 THEN 0 WHEN alder <= 18 THEN 0.93 WHEN alder = 19 THEN 0.5
            WHEN alder <= 24 THEN 0.42 WHEN alder <= 29 THEN 0.2 WHEN alder <= 34 THEN 0.1 WHEN alder <= 64 THEN 0.05 ELSE 0.01 END
            + CASE WHEN utrikes AND days_here < 1095 AND alder BETWEEN 20 AND 64 THEN 0.35 ELSE 0 END) END AS studerande,
        -- sjuk- och aktivitetsersättning: a stable condition, more common with age, low education and in poor areas
        alder BETWEEN 19 AND 64 AND ${us("'sa'")} < (CASE WHEN alder < 30 THEN 0.015 WHEN alder < 45 THEN 0.03 WHEN alder < 55 THEN 0.05 ELSE 0.09 END)
          * (CASE edu_final WHEN 1 THEN 1.6 WHEN 4 THEN 0.5 ELSE 1 END) * exp(-0.3 * score) AS sa,
        CASE WHEN ${us("'sagrad'")} < 0.2 THEN 0.5 ELSE 1.0 END AS sa_grade
      FROM a
    ),
    c AS (
      SELECT *,
        -- employment propensity on the probit scale
        (CASE WHEN alder < 16 THEN -9 WHEN alder <= 19 THEN -0.9 WHEN alder <= 24 THEN 0.45 WHEN alder <= 29 THEN 1.05
            WHEN alder <= 54 THEN 1.45 WHEN alder <= 59 THEN 1.2 WHEN alder <= 64 THEN 0.75 WHEN alder <= 69 THEN -1.1
            WHEN alder <= 74 THEN -1.8 ELSE -9 END)
        + (CASE WHEN alder < 20 THEN 0 WHEN utbildningsniva IS NULL THEN -0.3 WHEN utbildningsniva = 1 THEN -0.4
            WHEN utbildningsniva = 3 THEN 0.15 WHEN utbildningsniva = 4 THEN 0.3 ELSE 0 END)
        + (CASE origin WHEN 'norden' THEN -0.1 WHEN 'eu' THEN -0.2 WHEN 'ovriga' THEN -0.4 ELSE 0 END)
        + (CASE WHEN NOT utrikes THEN 0 WHEN days_here < 730 THEN -1.2 WHEN days_here < 1460 THEN -0.6
            WHEN days_here < 3650 THEN -0.15 ELSE 0 END)
        + (CASE WHEN skydd AND days_here < 3650 THEN -0.25
            WHEN grund_for_bosattning = 'arbete' THEN 1.0 + CASE WHEN days_here < 1460 THEN 0.9 ELSE 0 END
            WHEN grund_for_bosattning = 'studier' AND days_here < 1460 THEN -0.4 ELSE 0 END)
        + (CASE WHEN kon = 2 THEN CASE WHEN origin = 'ovriga' THEN -0.35 ELSE -0.08 END ELSE 0 END)
        + 0.22 * score + ${cycle}
        + (CASE WHEN studerande AND alder >= 16 THEN -0.6 ELSE 0 END)
        + 0.85 * zp + 0.53 * ${normal(seed, "pid", Y, "'emp'")} AS employment_latent
      FROM b
    ),
    d AS (
      SELECT *, alder BETWEEN 16 AND 74 AND employment_latent > 0 AND NOT (sa AND sa_grade = 1.0) AS sysselsatt,
        skydd AND alder BETWEEN 20 AND 64 AND days_here < 1095 AS etablering
      FROM c
    ),
    e AS (
      SELECT *,
        sysselsatt AND ${us("'fo'")} < (CASE WHEN kon = 1 THEN 0.12 ELSE 0.065 END)
          * (CASE WHEN alder < 25 THEN 0.3 WHEN alder < 35 THEN 0.7 ELSE 1.1 END)
          * (CASE WHEN origin = 'ovriga' AND days_here >= 1460 THEN 1.4 ELSE 1 END) AND ${u("'fo'")} < 0.96 AS foretagare,
        CASE WHEN sysselsatt THEN ${us("'chef'")} < 0.06
          * (CASE utbildningsniva WHEN 4 THEN 2.0 WHEN 3 THEN 1.3 WHEN 2 THEN 0.7 ELSE 0.3 END)
          * (CASE WHEN alder < 25 THEN 0.1 WHEN alder < 35 THEN 0.6 ELSE 1.2 END)
          * (CASE WHEN origin = 'ovriga' THEN 0.5 ELSE 1 END) END AS chef,
        ${us("'ssyk'")} AS u_ssyk,
        CASE WHEN NOT sysselsatt AND alder BETWEEN 16 AND 64 AND NOT (sa AND sa_grade = 1.0) THEN
          CASE WHEN etablering THEN ${u("'af'")} < 0.85
            ELSE ${u("'af'")} < (CASE WHEN studerande THEN 0.1 ELSE 0.5 END) * (CASE WHEN alder < 20 THEN 0.3 ELSE 1 END) END
          ELSE false END AS registered
      FROM d
    ),
    f AS (
      SELECT *,
        CASE WHEN NOT sysselsatt THEN NULL WHEN chef THEN 4 ELSE greatest(1,
          (CASE
            WHEN utbildningsniva = 4 THEN 1 + (u_ssyk >= 0.02)::INTEGER + (u_ssyk >= 0.27)::INTEGER + (u_ssyk >= 0.55)::INTEGER
            WHEN utbildningsniva = 3 THEN 1 + (u_ssyk >= 0.04)::INTEGER + (u_ssyk >= 0.49)::INTEGER + (u_ssyk >= 0.80)::INTEGER
            WHEN utbildningsniva = 2 THEN 1 + (u_ssyk >= 0.12)::INTEGER + (u_ssyk >= 0.78)::INTEGER + (u_ssyk >= 0.93)::INTEGER
            ELSE 1 + (u_ssyk >= 0.30)::INTEGER + (u_ssyk >= 0.92)::INTEGER + (u_ssyk >= 0.98)::INTEGER END)
          - (utrikes AND origin = 'ovriga' AND days_here < 3650 AND ${us("'mismatch'")} < 0.35)::INTEGER) END AS ssyk_niva,
        CASE WHEN NOT registered THEN NULL
          WHEN etablering OR ${u("'prog'")} < 0.42 THEN 'program_aktivitetsstod' ELSE 'oppet_arbetslos' END AS af_status,
        CASE WHEN NOT registered THEN 0
          ELSE least(60, 1 + floor(-ln(1 - ${u("'months'")}) * (7 + 6 * utrikes::INTEGER + 5 * (alder >= 55)::INTEGER))) END AS arbetslos_manader,
        -- wages (kr of the year)
        CASE
          WHEN sysselsatt THEN (CASE WHEN alder <= 19 THEN 60000 WHEN alder <= 24 THEN 230000 WHEN alder <= 29 THEN 330000
              WHEN alder <= 54 THEN 420000 WHEN alder <= 64 THEN 410000 ELSE 150000 END)
            * (CASE WHEN alder < 20 THEN 1 WHEN utbildningsniva IS NULL THEN 0.8 WHEN utbildningsniva = 1 THEN 0.85
                WHEN utbildningsniva = 3 THEN 1.1 WHEN utbildningsniva = 4 THEN 1.3 ELSE 1 END)
            * (CASE WHEN kon = 2 THEN 0.87 ELSE 1 END)
            * (CASE WHEN utrikes AND days_here < 1460 THEN 0.7 WHEN origin = 'ovriga' THEN 0.88 ELSE 1 END)
            * (CASE WHEN foretagare THEN 0.5 ELSE 1 END)
            * exp(0.1 * score + 0.33 * zw + 0.18 * ${normal(seed, "pid", Y, "'wage'")})
          WHEN alder BETWEEN 16 AND 74 AND ${u("'part'")} < (CASE WHEN alder < 30 THEN 0.35 ELSE 0.18 END)
            THEN 60000 * ${u("'partkr'")}
          ELSE 0 END * ${wages}::DOUBLE AS lon,
        CASE WHEN foretagare THEN CASE WHEN ${u("'loss'")} < 0.04 THEN -250000 * ${u("'losskr'")}
          ELSE 150000 * exp(0.6 * ${normal(seed, "pid", Y, "'biz'")}) END * ${wages}::DOUBLE ELSE 0 END AS business
      FROM e
    ),
    g AS (
      SELECT *,
        CASE WHEN sysselsatt AND alder BETWEEN 20 AND 64 AND ${u("'sp'")} < 0.07 * (CASE WHEN kon = 2 THEN 1.5 ELSE 1 END)
            * (CASE WHEN utbildningsniva = 1 THEN 1.3 ELSE 1 END) * exp(-0.15 * score)
          THEN least(365, 1 + floor(-55 * ln(1 - ${u("'spdays'")}))) ELSE 0 END AS sp_days,
        CASE WHEN alder >= 65 THEN 48300 * ${prices}::DOUBLE * greatest(CASE WHEN utrikes AND days_here < 14600 THEN 1.5 ELSE 2.2 END,
          3.5 + 0.5 * (coalesce(edu_final, 1) - 2) + 0.6 * zw) ELSE 0 END AS pension
      FROM f
    )
    SELECT *,
      sp_days * least(0.8 * greatest(lon, 150000 * ${wages}::DOUBLE) / 365, 0.8 * 7.5 * 48300 * ${prices}::DOUBLE / 365) AS sjukpenning,
      CASE WHEN sa THEN 48300 * ${prices}::DOUBLE * 2.6 * sa_grade ELSE 0 END AS sa_kr,
      least(365, sp_days + CASE WHEN sa THEN 365 * sa_grade ELSE 0 END)::REAL AS ohalsodagar,
      CASE WHEN registered AND NOT etablering AND ${u("'akassa'")} < (CASE WHEN utrikes THEN 0.3 ELSE 0.55 END)
        THEN least(arbetslos_manader, 12) * 17000 * ${prices}::DOUBLE ELSE 0 END AS akassa,
      CASE WHEN etablering AND registered THEN 7300 * ${prices}::DOUBLE * least(12, greatest(1,
        CASE WHEN year(senaste_invandring) = ${Y} THEN 12 - month(senaste_invandring) ELSE (1095 - days_here) / 30 END)) ELSE 0 END AS etab,
      CASE WHEN studerande AND alder BETWEEN 20 AND 54 THEN 36000 * ${prices}::DOUBLE ELSE 0 END AS studiemedel
    FROM g;
    `,
  );

  await createHouseholds(ctx, year);

  // Final table of the year: incomes with ekonomiskt bistånd per household; the contract's types.
  await exec(
    con,
    `
    CREATE OR REPLACE VIEW personer_out AS
    WITH inc AS (
      SELECT p.*, h.hushall_id, h.role, h.bostadsarea, h.antal_rum, h.upplatelseform,
        round(lon) AS loneinkomst_kr,
        round(lon + business + sjukpenning + sa_kr + akassa + etab + pension + studiemedel) AS netto_before,
        round(lon + business + sjukpenning + sa_kr + akassa + etab + pension + studiemedel
          - greatest(0, 0.31 * (lon + greatest(business, 0) + sjukpenning + sa_kr + akassa + pension)
            - ${year >= 2007 ? 0.06 : 0} * lon)) AS disp_before
      FROM py p JOIN households h USING (pid)
    ),
    hh AS (
      SELECT coalesce(hushall_id, -pid) AS hh_key,
        sum(disp_before) AS hh_disp,
        count(*) FILTER (WHERE alder >= 20) AS adults, count(*) FILTER (WHERE alder < 20) AS kids,
        count(*) FILTER (WHERE alder >= 18) AS adults18,
        max(CASE WHEN alder >= 18 AND origin = 'ovriga' THEN 1 ELSE 0 END) AS ovriga_adult,
        max(CASE WHEN etablering THEN 1 ELSE 0 END) AS any_etablering,
        avg(score) AS score, min(pid) AS first_pid
      FROM inc GROUP BY ALL
    ),
    bistand AS (
      SELECT *,
        hh_disp / (1 + 0.51 * least(greatest(adults, 1) - 1, 1) + 0.6 * greatest(adults - 2, 0)
          + CASE WHEN kids > 0 THEN 0.52 + 0.42 * (kids - 1) ELSE 0 END) / (3.7 * 48300 * ${prices}::DOUBLE) AS standard_ratio
      FROM hh
    ),
    decided AS (
      SELECT *,
        adults18 > 0 AND ${uniform(seed, "first_pid", Y, "'eb'")} < CASE WHEN standard_ratio < 1
          THEN ${logistic("-0.6 - 4.5 * standard_ratio + 0.9 * ovriga_adult - 0.5 * score - 1.5 * any_etablering")}
          ELSE 0.002 END AS receives
      FROM bistand
    ),
    amounts AS (
      SELECT hh_key, CASE WHEN receives THEN least(12, 1 + floor(13 * pow(${uniform(seed, "first_pid", Y, "'ebm'")}, 1.0))) ELSE 0 END AS months,
        adults18, adults, kids
      FROM decided
    )
    SELECT
      i.lopnr::BIGINT AS lopnr, ${Y}::SMALLINT AS ar, i.kon::TINYINT AS kon, i.fodelsear::SMALLINT AS fodelsear,
      i.fodelseland, i.fodelseland_mor, i.fodelseland_far, i.senaste_invandring, i.grund_for_bosattning,
      i.kommun, i.deso, i.kommun_fg_ar,
      i.hushall_id::BIGINT AS hushall_id, i.bostadsarea::SMALLINT AS bostadsarea, i.antal_rum::SMALLINT AS antal_rum,
      CASE WHEN i.hushall_id IS NULL THEN NULL ELSE i.role = 'child' END AS bor_med_foralder,
      i.upplatelseform, i.utbildningsniva::TINYINT AS utbildningsniva, i.studerande, i.sysselsatt, i.foretagare,
      i.chef, i.ssyk_niva::TINYINT AS ssyk_niva, i.af_status, i.arbetslos_manader::TINYINT AS arbetslos_manader,
      i.loneinkomst_kr::INTEGER AS loneinkomst,
      (i.netto_before + bist.kr + child_benefit.kr)::INTEGER AS nettoinkomst,
      (i.disp_before + bist.kr + child_benefit.kr)::INTEGER AS disp_ink,
      round(i.sjukpenning)::INTEGER AS sjukpenning, round(i.sa_kr)::INTEGER AS sjuk_aktivitetsersattning,
      round(i.akassa)::INTEGER AS arbetsloshetsersattning, bist.kr::INTEGER AS ekonomiskt_bistand,
      round(i.etab)::INTEGER AS etableringsersattning, a.months::TINYINT AS ekbistand_manader,
      i.ohalsodagar::REAL AS ohalsodagar,
      CASE WHEN i.alder = 16 THEN ${uniform(seed, "i.pid", "'bg'")} < ${logistic(
        "2.4 + 4.0 * (i.ability - 0.5) + 0.35 * i.score - CASE WHEN i.utrikes AND i.days_here < 1460 THEN 2.6 WHEN i.utrikes THEN 0.6 ELSE 0 END",
      )} END AS behorig_gymnasiet,
      CASE WHEN i.alder = 19 AND ${uniform(seed, "i.pid", "'gyleave'")} < 0.8 THEN ${uniform(seed, "i.pid", "'bh'")} < ${logistic(
        "1.0 + 5.0 * (i.ability - 0.5) + 0.3 * i.score - CASE WHEN i.utrikes THEN 0.6 ELSE 0 END",
      )} END AS behorig_hogskola,
      CASE WHEN i.utrikes AND i.arrival_year = ${year - 2} AND i.alder >= 18 AND i.origin = 'ovriga'
          AND ${uniform(seed, "i.pid", "'sfistart'")} < 0.7
        THEN ${uniform(seed, "i.pid", "'sfi'")} < ${logistic(
          "0.2 + 2.5 * (i.ability - 0.5) + CASE WHEN i.edu_final >= 3 THEN 0.7 WHEN i.edu_final IS NULL THEN -0.6 ELSE 0 END - CASE WHEN i.alder > 45 THEN 0.4 ELSE 0 END",
        )} END AS sfi_godkand,
      ${
        election
          ? `i.alder >= 18 AND (NOT i.utrikes OR (${Y} - i.arrival_year >= 5 AND ${uniform(seed, "i.pid", "'citizen'")} < 0.8)) AS rostberattigad,
      CASE WHEN i.alder >= 18 AND (NOT i.utrikes OR (${Y} - i.arrival_year >= 5 AND ${uniform(seed, "i.pid", "'citizen'")} < 0.8))
        THEN ${u("'vote'")} < ${logistic(
          `${turnoutIntercept(year)} + CASE WHEN i.alder < 30 THEN -0.5 WHEN i.alder >= 80 THEN -0.6 WHEN i.alder >= 50 THEN 0.4 ELSE 0 END
            + 0.45 * i.score - CASE WHEN i.utrikes THEN 0.9 ELSE 0 END + 0.5 * (coalesce(i.utbildningsniva, 1) - 2)`,
        )} END AS rostade`
          : "NULL::BOOLEAN AS rostberattigad, NULL::BOOLEAN AS rostade"
      }
    FROM inc i
    JOIN amounts a ON a.hh_key = coalesce(i.hushall_id, -i.pid)
    CROSS JOIN LATERAL (SELECT CASE WHEN a.months > 0 AND i.alder >= 18 THEN round(a.months
        * (9500 + 4000 * greatest(a.adults - 1, 0) + 2800 * a.kids) * ${prices}::DOUBLE / a.adults18) ELSE 0 END AS kr) bist
    -- barnbidrag (about 15,000 kr per child and year) shared by the household's adults
    CROSS JOIN LATERAL (SELECT CASE WHEN a.kids > 0 AND i.alder >= 18 THEN round(15000 * a.kids * ${prices}::DOUBLE / a.adults18)
        ELSE 0 END AS kr) child_benefit;
    `,
  );
}

/** Logit intercept that gives roughly the national turnout of an election year. */
function turnoutIntercept(year: number): string {
  const share = (TURNOUT[year] ?? 84) / 100;
  // The other terms average about -0.2 on the logit scale; shift so that the mean lands near `share`.
  return `${(Math.log(share / (1 - share)) + 0.35).toFixed(3)}`;
}

/**
 * Households of the year, DeSO by DeSO: persons in institutions have none; children (and young
 * adults still at home) join a family; the other adults live alone or as a couple (men and women
 * of the DeSO paired by age rank). Families are chosen among the adult households with a weight
 * peaking at age 40, sorted by age, and the children, sorted by age, are spread over them, so the
 * youngest children live with the youngest parents. The dwelling (tenure, rooms, area) follows the
 * DeSO's tenure mix, the household's size and its resources.
 */
async function createHouseholds(ctx: Context, year: number): Promise<void> {
  const { con, seed } = ctx;
  const Y = `${year}`;
  const us = (...k: string[]) => uniform(seed, "pid", ...k);
  await exec(
    con,
    `
    CREATE OR REPLACE TABLE roles AS
    SELECT pid, deso, alder, kon, utrikes, origin, score, disp_hint,
      CASE
        WHEN ${us("'inst'")} < (CASE WHEN alder >= 90 THEN 0.3 WHEN alder >= 85 THEN 0.15 WHEN alder >= 80 THEN 0.05 ELSE 0.003 END) THEN 'inst'
        WHEN alder <= 17 THEN 'child'
        WHEN alder <= 29 AND ${us("'athome'")} < (CASE WHEN alder <= 19 THEN 0.85 WHEN alder <= 21 THEN 0.45
            WHEN alder <= 24 THEN 0.2 ELSE 0.06 END) + CASE WHEN utrikes OR fodelseland_mor <> 'SE' THEN 0.08 ELSE 0 END THEN 'child'
        WHEN ${us("'couple'")} < (CASE WHEN alder <= 24 THEN 0.22 WHEN alder <= 29 THEN 0.55 WHEN alder <= 39 THEN 0.76
            WHEN alder <= 64 THEN 0.76 WHEN alder <= 79 THEN 0.66 ELSE 0.38 END) THEN 'couple'
        ELSE 'single' END AS role
    FROM (SELECT *, lon + pension AS disp_hint FROM py);

    CREATE OR REPLACE TABLE couples AS
    WITH ranked AS (
      SELECT pid, deso, kon, row_number() OVER (PARTITION BY deso, kon
        ORDER BY alder + CASE WHEN kon = 2 THEN 2 ELSE 0 END, ${us("'pair'")}, pid) AS rk
      FROM roles WHERE role = 'couple'
    ),
    counts AS (SELECT deso, least(count(*) FILTER (WHERE kon = 1), count(*) FILTER (WHERE kon = 2)) AS pairs FROM ranked GROUP BY deso)
    SELECT r.pid, r.deso, r.kon, r.rk FROM ranked r JOIN counts c USING (deso) WHERE r.rk <= c.pairs;

    -- adult units: a couple (keyed by the man) or a single adult
    CREATE OR REPLACE TABLE unit_of AS
    SELECT r.pid, r.deso, coalesce(m.pid, r.pid) AS unit
    FROM roles r
    LEFT JOIN couples c ON c.pid = r.pid
    LEFT JOIN couples m ON m.deso = c.deso AND m.rk = c.rk AND m.kon = 1
    WHERE r.role IN ('couple', 'single');

    CREATE OR REPLACE TABLE units AS
    SELECT u.unit, u.deso, avg(r.alder) AS head_age, count(*) AS adults, max(r.utrikes::INTEGER) AS utrikes,
      max((r.origin = 'ovriga')::INTEGER) AS ovriga, avg(r.score) AS score, sum(r.disp_hint) AS resources
    FROM unit_of u JOIN roles r USING (pid) GROUP BY ALL;

    -- families: as many as the DeSO's children need (more children per family where many are foreign-born)
    CREATE OR REPLACE TABLE families AS
    WITH need AS (
      SELECT r.deso, count(*) AS children, any_value(d.share_utr) AS share_utr
      FROM roles r JOIN deso_params d USING (deso) WHERE r.role = 'child' GROUP BY r.deso
    ),
    lottery AS (
      SELECT u.*, n.children, ceil(n.children / (1.7 + 1.2 * n.share_utr)) AS wanted,
        row_number() OVER (PARTITION BY u.deso ORDER BY ln(${uniform(seed, "u.unit", Y, "'fam'")})
          / ((exp(-pow((u.head_age - 40) / 11, 2)) + 0.02) * CASE WHEN u.adults = 2 THEN 3 ELSE 1 END) DESC, u.unit) AS pick
      FROM units u JOIN need n USING (deso) WHERE u.head_age BETWEEN 19 AND 70
    )
    , sized AS (
      -- room for children: 1 + a geometric number, larger where the parents were born outside Europe
      SELECT unit, deso, head_age,
        1 + floor(-ln(1 - ${uniform(seed, "unit", Y, "'cap'")}) * (0.9 + 0.9 * ovriga)) AS cap
      FROM lottery WHERE pick <= wanted
    )
    SELECT unit, deso, cap,
      coalesce(sum(cap) OVER (PARTITION BY deso ORDER BY head_age, unit ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS lo,
      sum(cap) OVER (PARTITION BY deso) AS total
    FROM sized;

    CREATE OR REPLACE TABLE kids AS
    SELECT k.pid, k.deso, (k.c + 0.5) * f.total / k.nc AS pos
    FROM (
      SELECT pid, deso, row_number() OVER (PARTITION BY deso ORDER BY alder, ${us("'sib'")}, pid) - 1 AS c,
        count(*) OVER (PARTITION BY deso) AS nc
      FROM roles WHERE role = 'child'
    ) k LEFT JOIN (SELECT deso, max(total) AS total FROM families GROUP BY deso) f USING (deso);

    -- children sorted by age fill the families sorted by the parents' age, each up to its room
    CREATE OR REPLACE TABLE child_unit AS
    SELECT k.pid, coalesce(f.unit, k.pid) AS unit, f.unit IS NOT NULL AS with_parent
    FROM kids k ASOF LEFT JOIN families f ON f.deso = k.deso AND k.pos >= f.lo;

    CREATE OR REPLACE TABLE members AS
    SELECT r.pid, r.deso, r.role, r.alder, r.utrikes, r.origin, r.score, r.disp_hint,
      CASE WHEN r.role = 'inst' THEN NULL WHEN r.role = 'child' THEN c.unit ELSE u.unit END AS unit,
      CASE WHEN r.role = 'child' AND NOT c.with_parent THEN 'single' ELSE r.role END AS role_final
    FROM roles r LEFT JOIN unit_of u USING (pid) LEFT JOIN child_unit c USING (pid);

    CREATE OR REPLACE TABLE dwellings AS
    WITH hh AS (
      SELECT m.unit, any_value(m.deso) AS deso, count(*) AS size, max(m.alder) AS oldest,
        max((m.utrikes AND m.origin = 'ovriga')::INTEGER) AS ovriga, avg(m.score) AS score,
        sum(m.disp_hint) / sqrt(count(*)) / (350000 * ${(1 + WAGE_GROWTH) ** (year - 2022)}::DOUBLE) AS resources
      FROM members m WHERE m.unit IS NOT NULL GROUP BY m.unit
    ),
    weights AS (
      SELECT h.*, d.p_tenure_unknown,
        d.p_a * (1 + 0.8 * (size >= 3)::INTEGER + 0.6 * (oldest >= 45)::INTEGER) * exp(0.5 * (least(resources, 2) - 1)) AS wa,
        d.p_b * (1 + 0.3 * (oldest >= 60)::INTEGER) AS wb,
        d.p_h * (1 + 0.8 * (oldest < 30)::INTEGER + 1.0 * ovriga) * exp(-0.5 * (least(resources, 2) - 1)) AS wh,
        ${uniform(seed, "h.unit", Y, "'tenure'")} AS u_tenure
      FROM hh h JOIN deso_params d USING (deso)
    ),
    tenure AS (
      SELECT *, CASE WHEN ${uniform(seed, "unit", Y, "'tenunk'")} < p_tenure_unknown THEN NULL
        WHEN u_tenure * (wa + wb + wh) < wa THEN 'aganderatt'
        WHEN u_tenure * (wa + wb + wh) < wa + wb THEN 'bostadsratt'
        WHEN wa + wb + wh > 0 THEN 'hyresratt' ELSE 'hyresratt' END AS upplatelseform
      FROM weights
    ),
    rooms AS (
      SELECT *, greatest(1, least(10, round(
        CASE upplatelseform WHEN 'aganderatt' THEN 4.6 WHEN 'bostadsratt' THEN 2.5 ELSE 2.2 END
        + 0.45 * (size - 1) - 0.5 * (resources < 0.5)::INTEGER - 0.5 * ovriga
        + 0.8 * ${normal(seed, "unit", Y, "'rooms'")})))::INTEGER AS antal_rum
      FROM tenure
    )
    SELECT unit, ${Y}::BIGINT * 10000000000 + row_number() OVER (ORDER BY hash(hash(${seed}::BIGINT, unit, ${Y}, 'hhid')), unit) AS hushall_id,
      upplatelseform, antal_rum,
      greatest(15, least(400, round(antal_rum * 23 + 12 + 7 * ${normal(seed, "unit", Y, "'area'")})))::INTEGER AS bostadsarea
    FROM rooms;

    CREATE OR REPLACE TABLE households AS
    SELECT m.pid, m.role_final AS role, d.hushall_id, d.upplatelseform, d.antal_rum, d.bostadsarea
    FROM members m LEFT JOIN dwellings d USING (unit);
    `,
  );
}

/** Writes personer_YYYY.parquet (sorted by lopnr, fixed settings) through a temporary file. */
async function writePersonFile(ctx: Context, year: number, out: string): Promise<GeneratedFile> {
  const name = `personer_${year}.parquet`;
  const columns = PERSON_COLUMNS.map((c) => `${c.name}::${c.type} AS ${c.name}`).join(", ");
  const rows = await copyParquet(
    ctx.con,
    `SELECT ${columns} FROM personer_out ORDER BY lopnr`,
    join(out, name),
  );
  return { name, rows };
}

/** Writes utvandrade_YYYY.parquet: persons who emigrated during `year`, with their last address. */
async function writeEmigrationFile(ctx: Context, year: number, out: string): Promise<GeneratedFile> {
  const name = `utvandrade_${year}.parquet`;
  const types = Object.fromEntries(EMIGRATION_COLUMNS.map((c) => [c.name, c.type]));
  const sql = `SELECT lopnr::${types.lopnr} AS lopnr, exit_date::${types.datum} AS datum,
      ${kommunOf("home", `${year}`)}::${types.kommun} AS kommun, home::${types.deso} AS deso
    FROM persons WHERE exit_kind = 'emig' AND last_year = ${year - 1} ORDER BY lopnr`;
  const rows = await copyParquet(ctx.con, sql, join(out, name));
  return { name, rows };
}

async function copyParquet(con: Connection, sql: string, path: string): Promise<number> {
  const partial = `${path}.partial`;
  await exec(
    con,
    `COPY (${sql}) TO ${sqlString(partial)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`,
  );
  await rename(partial, path);
  const [{ n }] = await queryRows<{ n: number }>(
    con,
    `SELECT count(*)::INTEGER AS n FROM read_parquet(${sqlString(path)})`,
  );
  return n;
}
