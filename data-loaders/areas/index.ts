/**
 * Areas step of `rdi build`: SCB's socio-economic index per RegSO and year, the five områdestyper,
 * the population's distribution over them and the RegSO that changed type. See docs/omradestyper.md.
 *
 * Reads `person_ar` (and the `ref_*` tables) and writes
 *   omraden_raw                  one row per RegSO of the reference geography and year
 *   omraden_fordelning_raw       persons per region, group and områdestyp (riket, län, kommun)
 *   omraden_overgangar_raw       RegSO whose type differs from the previous year
 *   omraden_overgangar_summa_raw RegSO per from → to pair, riket, län and kommun
 * and fills `person_ar.omradestyp`.
 */
import type { Connection } from "../db.ts";
import { exec, queryRows, sqlString } from "../db.ts";
import { type Classification, classifyRegso, type IndexCounts } from "./classify.ts";
import {
  ARBETSLOS_OVER_MANADER,
  BISTAND_MIN_MANADER,
  FORDELNING_GRUPPER,
  OMRADESTYPER,
  type Omradestyp,
  type OmradestypKod,
  UTAN_OMRADESTYP,
  WORKING_AGE,
} from "./config.ts";

export { type Classification, classifyRegso, type IndexCounts, socioekonomisktIndex } from "./classify.ts";
export {
  FORDELNING_GRUPPER,
  OMRADESTYPER,
  type Omradestyp,
  type OmradestypKod,
  UTAN_OMRADESTYP,
} from "./config.ts";

export interface AreasOptions {
  /** Reference years to compute; the tables hold exactly these years. */
  years: readonly number[];
  /** The områdestyper and their cut-offs; defaults to config.ts. */
  types?: readonly Omradestyp[];
  /** Called after each sub-step with its duration (for benchmarks and progress output). */
  onStep?: (step: string, seconds: number) => void;
}

/** What the step found per year (for progress output and the report; never published). */
export interface AreasYearSummary {
  ar: number;
  regsoMedIndex: number;
  medel: number | null;
  standardavvikelse: number | null;
  /** RegSO per områdestyp, in the order of the types. */
  antalPerTyp: Record<string, number>;
  exaktaJamforelser: number;
}

/** Columns of `person_ar` the step reads (a test may create a table with only these). */
export const PERSON_AR_COLUMNS = [
  "ar",
  "alder",
  "regso",
  "kommun_idag",
  "lan_idag",
  "lag_ekonomisk_standard",
  "utbildning",
  "ekbistand_manader",
  "af_status",
  "arbetslos_manader",
  "fodelseregion",
  "bakgrund",
  "vistelsetid",
  "grund",
] as const;

const WORKING_AGE_SQL = `alder BETWEEN ${WORKING_AGE.min} AND ${WORKING_AGE.max}`;
const V3_SQL = `(ekbistand_manader >= ${BISTAND_MIN_MANADER} OR (af_status IS NOT NULL AND arbetslos_manader > ${ARBETSLOS_OVER_MANADER}))`;

/** Computes the areas tables for `years` and sets `person_ar.omradestyp`. */
export async function computeAreas(con: Connection, options: AreasOptions): Promise<AreasYearSummary[]> {
  const years = [...new Set(options.years)].sort((a, b) => a - b);
  if (years.length === 0) throw new Error("computeAreas: no years given");
  for (const year of years) {
    if (!Number.isInteger(year)) throw new Error(`computeAreas: year ${year} is not an integer`);
  }
  const types = options.types ?? OMRADESTYPER;
  const yearList = years.join(", ");
  let started = performance.now();
  const stepDone = (step: string) => {
    const now = performance.now();
    options.onStep?.(step, (now - started) / 1000);
    started = now;
  };

  await checkColumns(con);
  await exec(con, "ALTER TABLE person_ar ADD COLUMN IF NOT EXISTS omradestyp VARCHAR");

  // The only full scan of person_ar (besides the UPDATE): persons and the numerators of V1–V3 per
  // year, RegSO, kommun and group. Everything else is computed from this small table.
  await exec(
    con,
    `CREATE OR REPLACE TEMP TABLE omraden_bas AS
     SELECT ar::SMALLINT AS ar, regso, kommun_idag AS kommun, lan_idag AS lan,
            fodelseregion, bakgrund, vistelsetid, grund,
            count(*)::INTEGER AS antal,
            count(*) FILTER (${WORKING_AGE_SQL})::INTEGER AS antal_20_64,
            count(*) FILTER (lag_ekonomisk_standard)::INTEGER AS antal_lag_ekonomisk_standard,
            count(*) FILTER (${WORKING_AGE_SQL} AND utbildning = 'forgymnasial')::INTEGER AS antal_forgymnasial,
            count(*) FILTER (${WORKING_AGE_SQL} AND ${V3_SQL})::INTEGER AS antal_bistand_arbetsloshet
     FROM person_ar
     WHERE ar IN (${yearList})
     GROUP BY ALL`,
  );
  stepDone("counts per RegSO and group (scan of person_ar)");
  await checkGeography(con, years);
  await exec(
    con,
    `CREATE OR REPLACE TEMP TABLE omraden_antal AS
     SELECT ar, regso,
            sum(antal)::INTEGER AS antal,
            sum(antal_20_64)::INTEGER AS antal_20_64,
            sum(antal_lag_ekonomisk_standard)::INTEGER AS antal_lag_ekonomisk_standard,
            sum(antal_forgymnasial)::INTEGER AS antal_forgymnasial,
            sum(antal_bistand_arbetsloshet)::INTEGER AS antal_bistand_arbetsloshet
     FROM omraden_bas WHERE regso IS NOT NULL
     GROUP BY ar, regso`,
  );

  const summaries = await classifyYears(con, years, types);
  await writeOmradenRaw(con, yearList);
  stepDone("index and classification");

  // Every person-year gets the type of its RegSO; reset first so a rerun leaves no stale types.
  await exec(
    con,
    `UPDATE person_ar SET omradestyp = NULL WHERE ar IN (${yearList}) AND omradestyp IS NOT NULL;
     UPDATE person_ar SET omradestyp = t.omradestyp
     FROM omraden_typ AS t
     WHERE person_ar.ar = t.ar AND person_ar.regso = t.regso;`,
  );

  stepDone("UPDATE person_ar.omradestyp");
  await writeFordelning(con, yearList, types);
  await writeOvergangar(con, types);
  stepDone("distribution and transitions");
  await exec(con, "DROP TABLE omraden_typ; DROP TABLE omraden_antal; DROP TABLE omraden_bas;");
  return summaries;
}

/** Fails with a clear message when `person_ar` or a reference table is missing, or a column the step reads. */
async function checkColumns(con: Connection): Promise<void> {
  const present = await queryRows<{ column_name: string }>(
    con,
    `SELECT column_name FROM information_schema.columns WHERE table_name = 'person_ar'`,
  );
  if (present.length === 0) throw new Error("computeAreas: table person_ar does not exist");
  const names = new Set(present.map((row) => row.column_name));
  const missing = PERSON_AR_COLUMNS.filter((column) => !names.has(column));
  if (missing.length > 0) throw new Error(`computeAreas: person_ar lacks column(s) ${missing.join(", ")}`);
  const tables = await queryRows<{ table_name: string }>(
    con,
    `SELECT table_name FROM information_schema.tables WHERE table_name IN ('ref_lan', 'ref_kommun', 'ref_regso')`,
  );
  if (tables.length < 3) {
    throw new Error(
      "computeAreas: the reference tables ref_lan, ref_kommun, ref_regso are missing (createReferenceTables)",
    );
  }
}

/** Fails with a clear message when a year is missing or codes lie outside the geography (rule and person-years). */
async function checkGeography(con: Connection, years: readonly number[]): Promise<void> {
  const present = await queryRows<{ ar: number }>(con, "SELECT DISTINCT ar FROM omraden_bas");
  const absent = years.filter((year) => !present.some((row) => row.ar === year));
  if (absent.length > 0)
    throw new Error(`computeAreas: person_ar has no rows for year(s) ${absent.join(", ")}`);
  // [rule as reported, SQL condition of a breaking row of omraden_bas]
  const rules: [string, string][] = [
    [
      "column regso: must be a RegSO of ref_regso lying in kommun_idag",
      "b.regso IS NOT NULL AND (r.regso IS NULL OR r.kommun IS DISTINCT FROM b.kommun)",
    ],
    ["column kommun_idag: must be a kommun of ref_kommun", "k.kommun IS NULL"],
    [
      "column lan_idag: must be the län of kommun_idag in ref_kommun",
      "k.kommun IS NOT NULL AND k.lan IS DISTINCT FROM b.lan",
    ],
  ];
  const counts = await queryRows<Record<string, number>>(
    con,
    `SELECT ${rules.map(([, condition], i) => `coalesce(sum(antal) FILTER (${condition}), 0)::INTEGER AS rule${i}`).join(", ")}
     FROM omraden_bas AS b
     LEFT JOIN ref_regso AS r ON r.regso = b.regso
     LEFT JOIN ref_kommun AS k ON k.kommun = b.kommun`,
  );
  const broken = rules
    .map(([rule], i) => ({ rule, rows: counts[0][`rule${i}`] }))
    .filter(({ rows }) => rows > 0);
  if (broken.length > 0) {
    const detail = broken.map(({ rule, rows }) => `${rule} (${rows} rows)`).join("; ");
    throw new Error(`computeAreas: person_ar breaks ${detail}`);
  }
}

/** Classifies each year's RegSO (in JS, exactly at ties) and stores the types in `omraden_typ`. */
async function classifyYears(
  con: Connection,
  years: readonly number[],
  types: readonly Omradestyp[],
): Promise<AreasYearSummary[]> {
  const rows = await queryRows<IndexCounts & { ar: number; regso: string }>(
    con,
    "SELECT * FROM omraden_antal ORDER BY ar, regso",
  );
  await exec(con, "CREATE OR REPLACE TABLE omraden_typ(ar SMALLINT, regso VARCHAR, omradestyp VARCHAR)");
  const appender = await con.createAppender("omraden_typ");
  const summaries: AreasYearSummary[] = [];
  for (const year of years) {
    const ofYear = rows.filter((row) => row.ar === year);
    const classification: Classification = classifyRegso(ofYear, { types });
    const antalPerTyp = Object.fromEntries(types.map((type) => [type.kod, 0]));
    classification.types.forEach((kod, i) => {
      if (kod === null) return;
      antalPerTyp[kod]++;
      appender.appendSmallInt(year);
      appender.appendVarchar(ofYear[i].regso);
      appender.appendVarchar(kod);
      appender.endRow();
    });
    summaries.push({
      ar: year,
      regsoMedIndex: classification.regsoMedIndex,
      medel: classification.medel,
      standardavvikelse: classification.standardavvikelse,
      antalPerTyp,
      exaktaJamforelser: classification.exaktaJamforelser,
    });
  }
  appender.closeSync();
  return summaries;
}

/** `omraden_raw`: every RegSO of the geography and year; shares in %, numerators for disclosure control. */
async function writeOmradenRaw(con: Connection, yearList: string): Promise<void> {
  await exec(
    con,
    `CREATE OR REPLACE TABLE omraden_raw AS
     WITH grid AS (
       SELECT y.ar::SMALLINT AS ar, r.regso, r.kommun
       FROM (SELECT unnest([${yearList}]) AS ar) AS y CROSS JOIN ref_regso AS r
     ), counted AS (
       SELECT g.ar, g.regso, g.kommun,
              coalesce(a.antal, 0) AS antal,
              coalesce(a.antal_20_64, 0) AS antal_20_64,
              coalesce(a.antal_lag_ekonomisk_standard, 0) AS antal_lag_ekonomisk_standard,
              coalesce(a.antal_forgymnasial, 0) AS antal_forgymnasial,
              coalesce(a.antal_bistand_arbetsloshet, 0) AS antal_bistand_arbetsloshet
       FROM grid AS g LEFT JOIN omraden_antal AS a USING (ar, regso)
     ), shares AS (
       SELECT *,
              CASE WHEN antal > 0 THEN 100 * antal_lag_ekonomisk_standard / antal END AS v1,
              CASE WHEN antal_20_64 > 0 THEN 100 * antal_forgymnasial / antal_20_64 END AS v2,
              CASE WHEN antal_20_64 > 0 THEN 100 * antal_bistand_arbetsloshet / antal_20_64 END AS v3
       FROM counted
     )
     SELECT s.ar, 'regso' AS niva, s.regso AS region, s.kommun,
            s.v1::DOUBLE AS v1_lag_ekonomisk_standard,
            s.v2::DOUBLE AS v2_forgymnasial,
            s.v3::DOUBLE AS v3_bistand_arbetsloshet,
            ((s.v1 + s.v2 + s.v3) / 3)::DOUBLE AS index,
            t.omradestyp,
            CASE WHEN s.v2 IS NULL THEN '.' END AS status,
            s.antal, s.antal_20_64,
            s.antal_lag_ekonomisk_standard, s.antal_forgymnasial, s.antal_bistand_arbetsloshet
     FROM shares AS s LEFT JOIN omraden_typ AS t USING (ar, regso)
     ORDER BY s.ar, s.regso`,
  );
}

/** SQL VALUES list of (key, sort order) for a grid dimension. */
function valuesList(rows: string[][]): string {
  return rows.map((row, i) => `(${row.map(sqlString).join(", ")}, ${i})`).join(", ");
}

/**
 * `omraden_fordelning_raw`: per year, region (riket, län, kommun), group and områdestyp the
 * persons, and their share of the group in the region. A full grid: zero rows are kept.
 */
async function writeFordelning(
  con: Connection,
  yearList: string,
  types: readonly Omradestyp[],
): Promise<void> {
  const groups = Object.entries(FORDELNING_GRUPPER).flatMap(([indelning, grupper]) =>
    grupper.map((grupp) => [indelning, grupp]),
  );
  const typeCodes = [["totalt"], ...types.map((type) => [type.kod]), [UTAN_OMRADESTYP]];
  await exec(
    con,
    `CREATE OR REPLACE TEMP TABLE fordelning_bas AS
     SELECT b.ar, b.lan, b.kommun, b.fodelseregion, b.bakgrund, b.vistelsetid, b.grund,
            coalesce(t.omradestyp, ${sqlString(UTAN_OMRADESTYP)}) AS omradestyp, b.antal
     FROM omraden_bas AS b LEFT JOIN omraden_typ AS t USING (ar, regso);

     CREATE OR REPLACE TABLE omraden_fordelning_raw AS
     WITH per_group AS (
       SELECT ar, lan, kommun, 'totalt' AS indelning, 'alla' AS grupp, omradestyp, antal FROM fordelning_bas
       UNION ALL SELECT ar, lan, kommun, 'fodelseregion', fodelseregion, omradestyp, antal
         FROM fordelning_bas WHERE fodelseregion IS NOT NULL
       UNION ALL SELECT ar, lan, kommun, 'fodelseregion', 'utrikes', omradestyp, antal
         FROM fordelning_bas WHERE fodelseregion <> 'sverige'
       UNION ALL SELECT ar, lan, kommun, 'bakgrund', bakgrund, omradestyp, antal
         FROM fordelning_bas WHERE bakgrund IS NOT NULL
       UNION ALL SELECT ar, lan, kommun, 'vistelsetid', vistelsetid, omradestyp, antal
         FROM fordelning_bas WHERE vistelsetid IS NOT NULL
       UNION ALL SELECT ar, lan, kommun, 'grund', grund, omradestyp, antal
         FROM fordelning_bas WHERE grund IS NOT NULL
     ), counted AS (
       SELECT ar,
              CASE WHEN GROUPING(kommun) = 0 THEN 'kommun' WHEN GROUPING(lan) = 0 THEN 'lan' ELSE 'riket' END AS niva,
              coalesce(kommun, lan, '00') AS region,
              indelning, grupp, omradestyp, sum(antal) AS antal
       FROM (SELECT * FROM per_group UNION ALL SELECT * REPLACE ('totalt' AS omradestyp) FROM per_group)
       GROUP BY GROUPING SETS ((ar, indelning, grupp, omradestyp),
                               (ar, lan, indelning, grupp, omradestyp),
                               (ar, kommun, indelning, grupp, omradestyp))
     ), regions AS (
       SELECT 'riket' AS niva, '00' AS region, 0 AS niva_ordning
       UNION ALL SELECT 'lan', lan, 1 FROM ref_lan
       UNION ALL SELECT 'kommun', kommun, 2 FROM ref_kommun
     ), grid AS (
       SELECT y.ar::SMALLINT AS ar, r.niva, r.region, r.niva_ordning,
              g.indelning, g.grupp, g.grupp_ordning, t.omradestyp, t.typ_ordning
       FROM (SELECT unnest([${yearList}]) AS ar) AS y
       CROSS JOIN regions AS r
       CROSS JOIN (VALUES ${valuesList(groups)}) AS g(indelning, grupp, grupp_ordning)
       CROSS JOIN (VALUES ${valuesList(typeCodes)}) AS t(omradestyp, typ_ordning)
     ), filled AS (
       SELECT grid.*, coalesce(c.antal, 0)::INTEGER AS antal,
              (sum(coalesce(c.antal, 0)) FILTER (grid.omradestyp = 'totalt')
                 OVER (PARTITION BY grid.ar, grid.niva, grid.region, grid.indelning, grid.grupp))::INTEGER AS grupp_antal
       FROM grid LEFT JOIN counted AS c USING (ar, niva, region, indelning, grupp, omradestyp)
     )
     SELECT ar, niva, region, indelning, grupp, omradestyp, antal,
            CASE WHEN grupp_antal > 0 THEN 100 * antal / grupp_antal END::DOUBLE AS andel,
            CASE WHEN grupp_antal = 0 THEN '.' END AS status,
            grupp_antal
     FROM filled
     ORDER BY ar, niva_ordning, region, grupp_ordning, typ_ordning;

     DROP TABLE fordelning_bas;`,
  );
}

/**
 * `omraden_overgangar_raw`: one row per RegSO whose type in year Y differs from its type in Y-1
 * (both years computed); a missing type is written 'saknas'.
 * `omraden_overgangar_summa_raw`: per Y, region (riket, län, kommun) and pair of types the number
 * of RegSO that had type fran_typ in Y-1 and till_typ in Y, unchanged pairs included; a full
 * grid over the types 1–5 (RegSO without a type in either year are left out).
 */
async function writeOvergangar(con: Connection, types: readonly Omradestyp[]): Promise<void> {
  const saknas = sqlString(UTAN_OMRADESTYP);
  const typeCodes = types.map((type) => [type.kod]);
  await exec(
    con,
    `CREATE OR REPLACE TABLE omraden_overgangar_raw AS
     SELECT c.ar, c.kommun, c.region AS regso,
            coalesce(p.omradestyp, ${saknas}) AS fran_typ,
            coalesce(c.omradestyp, ${saknas}) AS till_typ
     FROM omraden_raw AS c JOIN omraden_raw AS p ON p.region = c.region AND p.ar = c.ar - 1
     WHERE coalesce(p.omradestyp, ${saknas}) <> coalesce(c.omradestyp, ${saknas})
     ORDER BY c.ar, c.region;

     CREATE OR REPLACE TABLE omraden_overgangar_summa_raw AS
     WITH pairs AS (
       SELECT c.ar, r.lan, c.kommun, p.omradestyp AS fran_typ, c.omradestyp AS till_typ
       FROM omraden_raw AS c
       JOIN omraden_raw AS p ON p.region = c.region AND p.ar = c.ar - 1
       JOIN ref_regso AS r ON r.regso = c.region
       WHERE p.omradestyp IS NOT NULL AND c.omradestyp IS NOT NULL
     ), counted AS (
       SELECT ar,
              CASE WHEN GROUPING(kommun) = 0 THEN 'kommun' WHEN GROUPING(lan) = 0 THEN 'lan' ELSE 'riket' END AS niva,
              coalesce(kommun, lan, '00') AS region, fran_typ, till_typ, count(*) AS antal_regso
       FROM pairs
       GROUP BY GROUPING SETS ((ar, fran_typ, till_typ), (ar, lan, fran_typ, till_typ), (ar, kommun, fran_typ, till_typ))
     ), regions AS (
       SELECT 'riket' AS niva, '00' AS region, 0 AS niva_ordning
       UNION ALL SELECT 'lan', lan, 1 FROM ref_lan
       UNION ALL SELECT 'kommun', kommun, 2 FROM ref_kommun
     ), followed_years AS (
       SELECT DISTINCT c.ar FROM omraden_raw AS c JOIN omraden_raw AS p ON p.ar = c.ar - 1 AND p.region = c.region
     ), grid AS (
       SELECT y.ar, r.niva, r.region, r.niva_ordning, f.fran_typ, f.fran_ordning, t.till_typ, t.till_ordning
       FROM followed_years AS y CROSS JOIN regions AS r
       CROSS JOIN (VALUES ${valuesList(typeCodes)}) AS f(fran_typ, fran_ordning)
       CROSS JOIN (VALUES ${valuesList(typeCodes)}) AS t(till_typ, till_ordning)
     )
     SELECT grid.ar, grid.niva, grid.region, grid.fran_typ, grid.till_typ,
            coalesce(c.antal_regso, 0)::INTEGER AS antal_regso
     FROM grid LEFT JOIN counted AS c USING (ar, niva, region, fran_typ, till_typ)
     ORDER BY grid.ar, grid.niva_ordning, grid.region, grid.fran_ordning, grid.till_ordning;`,
  );
}

/** Swedish and English names of the områdestyper by code, for the site's labels and legends. */
export function omradestypNamn(kod: OmradestypKod): { namn: string; nameEn: string } {
  const type = OMRADESTYPER.find((candidate) => candidate.kod === kod);
  if (!type) throw new Error(`unknown områdestyp ${kod}`);
  return { namn: type.namn, nameEn: type.nameEn };
}

/**
 * The rule of a type in words, for legends: "index ≥ medel + 2 sd" (sv) or "index ≥ mean + 2 sd" (en);
 * the last type reads "index < medel − 1 sd".
 */
export function omradestypRegel(
  kod: OmradestypKod,
  language: "sv" | "en" = "sv",
  types: readonly Omradestyp[] = OMRADESTYPER,
): string {
  const i = types.findIndex((candidate) => candidate.kod === kod);
  if (i < 0) throw new Error(`unknown områdestyp ${kod}`);
  const mean = language === "sv" ? "medel" : "mean";
  const bound = (k: number) => {
    if (k === 0) return mean;
    const size = Math.abs(k).toLocaleString(language === "sv" ? "sv-SE" : "en-GB");
    return `${mean} ${k > 0 ? "+" : "−"} ${size} sd`;
  };
  const own = types[i].minstSd;
  if (own !== null) return `index ≥ ${bound(own)}`;
  return `index < ${bound(types[i - 1].minstSd as number)}`;
}
