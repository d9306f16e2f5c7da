/**
 * The person frame: one row per person and year with the raw contract columns and every derived
 * variable of registerutdrag.md ("Derived variables"), on today's geography. Every later step
 * (areas, indicators, segregation) reads the table `person_ar` built here.
 * The definitions are explained in docs/derived-variables.md.
 */
import type { Connection } from "../db.ts";
import { exec, queryRows, sqlString } from "../db.ts";
import { createReferenceTables, KOMMUN_RECODE, referencePath } from "../reference/geography.ts";

export interface PersonFrameOptions {
  /** Reference years to include; every year must be present in the view `personer`. */
  years: number[];
}

/** Norden exkl. Sverige (Åland counted with Finland's neighbours as in the database). */
export const NORDEN = ["DK", "FI", "NO", "IS", "FO", "GL", "AX"] as const;
/** EFTA members (IS and NO are also Nordic: Norden wins). */
export const EFTA = ["IS", "LI", "NO", "CH"] as const;
/** EU members by year of accession (and exit), Sweden and the Nordic members left out. */
export const EU_MEMBERSHIP: { land: string; fran: number; till: number | null }[] = [
  ...["AT", "BE", "DE", "ES", "FR", "GR", "IE", "IT", "LU", "NL", "PT"].map((land) => ({
    land,
    fran: 1958,
    till: null,
  })),
  { land: "GB", fran: 1973, till: 2019 }, // Brexit: a member up to and including 2019
  ...["CY", "CZ", "EE", "HU", "LT", "LV", "MT", "PL", "SI", "SK"].map((land) => ({
    land,
    fran: 2004,
    till: null,
  })),
  { land: "BG", fran: 2007, till: null },
  { land: "RO", fran: 2007, till: null },
  { land: "HR", fran: 2013, till: null },
];

/** Vistelsetid classes: upper bounds in days (exclusive), as in registerutdrag.md. */
export const VISTELSETID_GRANSER: { klass: string; under: number | null }[] = [
  { klass: "0-1", under: 730 },
  { klass: "2-3", under: 1460 },
  { klass: "4-9", under: 3650 },
  { klass: "10-", under: null },
];

/** Grounds for settlement that make up "skyddsbehövande och deras anhöriga". */
export const GRUND_SKYDDSBEHOV = ["skyddsbehov", "anhorig_skyddsbehov"] as const;

/** Share of the national median below which ekonomisk standard is low. */
export const LAG_EKONOMISK_STANDARD_ANDEL = 0.6;

const list = (codes: readonly string[]) => codes.map(sqlString).join(", ");

/** SQL mapping a kommun code of any year since 1997 to today's code (only Heby changed code). */
export function kommunRecodeSql(column: string): string {
  const cases = Object.entries(KOMMUN_RECODE)
    .map(([from, to]) => `WHEN ${sqlString(from)} THEN ${sqlString(to)}`)
    .join(" ");
  return `(CASE ${column} ${cases} ELSE ${column} END)`;
}

/** SQL for the födelseregion of a country code in a year (both given as SQL expressions). */
export function fodelseregionSql(land: string, ar: string): string {
  const eu = EU_MEMBERSHIP.map(
    (m) =>
      `(${land} = ${sqlString(m.land)} AND ${ar} >= ${m.fran}${m.till === null ? "" : ` AND ${ar} <= ${m.till}`})`,
  ).join(" OR ");
  return `(CASE WHEN ${land} = 'SE' THEN 'sverige'
    WHEN ${land} IN (${list(NORDEN)}) THEN 'norden'
    WHEN ${land} IN (${list(EFTA)}) OR ${eu} THEN 'eu_efta'
    ELSE 'ovriga' END)`;
}

/** SQL for the vistelsetid class of a number of days (NULL stays NULL). */
export function vistelsetidSql(days: string): string {
  const whens = VISTELSETID_GRANSER.map((g) =>
    g.under === null
      ? `WHEN ${days} IS NOT NULL THEN '${g.klass}'`
      : `WHEN ${days} < ${g.under} THEN '${g.klass}'`,
  ).join(" ");
  return `(CASE ${whens} END)`;
}

/**
 * SQL for the consumption units of a household with `adults` persons aged 20+ and `children`
 * aged 0–19: 1.00 for the first adult, 0.51 for a second, 0.60 for each further adult, 0.52 for
 * the first child and 0.42 for each further child. In a household without adults the oldest
 * member counts as the first adult. Computed in DECIMAL so that 1 + 0.51 + 0.52 + 0.42 is exactly 2.45.
 */
export function konsumtionsenheterSql(adults: string, children: string): string {
  const a = `greatest(${adults}, 1)`;
  const c = `(${children} - CASE WHEN ${adults} = 0 THEN 1 ELSE 0 END)`;
  return `(1.00
    + CASE WHEN ${a} >= 2 THEN 0.51 ELSE 0.00 END
    + greatest(${a} - 2, 0) * 0.60
    + CASE WHEN ${c} >= 1 THEN 0.52 ELSE 0.00 END
    + greatest(${c} - 1, 0) * 0.42)::DOUBLE`;
}

/** Loads prisbasbelopp per year from the reference data into `ref_prisbasbelopp(ar, prisbasbelopp)`. */
export async function createPrisbasbeloppTable(con: Connection): Promise<void> {
  await exec(
    con,
    `CREATE OR REPLACE TABLE ref_prisbasbelopp AS
     SELECT ar::SMALLINT AS ar, prisbasbelopp_kr::DOUBLE AS prisbasbelopp
     FROM read_csv(${sqlString(referencePath("prisbasbelopp.csv"))}, header = true,
                   columns = {'ar': 'INTEGER', 'prisbasbelopp_kr': 'INTEGER'})
     ORDER BY ar`,
  );
}

/**
 * Creates `ref_*` and the table `person_ar` (docs/architecture.md) from the view `personer`.
 * `omradestyp` is NULL; the areas step fills it. The table has no defined row order (sorting
 * 10 million wide rows a year costs more than it is worth): every consumer sorts what it writes.
 */
export async function createPersonFrame(con: Connection, options: PersonFrameOptions): Promise<void> {
  const years = [...new Set(options.years)].sort((a, b) => a - b);
  if (years.length === 0) throw new Error("createPersonFrame: no years given");
  await createReferenceTables(con);
  await createPrisbasbeloppTable(con);

  const yearList = years.join(", ");
  const present = await queryRows<{ ar: number }>(
    con,
    `SELECT DISTINCT ar::INTEGER AS ar FROM personer WHERE ar IN (${yearList}) ORDER BY ar`,
  );
  const missing = years.filter((y) => !present.some((p) => p.ar === y));
  if (missing.length > 0) {
    throw new Error(`createPersonFrame: view personer has no rows for year(s) ${missing.join(", ")}`);
  }
  const pbb = await queryRows<{ ar: number }>(
    con,
    `SELECT ar::INTEGER AS ar FROM ref_prisbasbelopp WHERE ar IN (${yearList})`,
  );
  const noPbb = years.filter((y) => !pbb.some((p) => p.ar === y));
  if (noPbb.length > 0) {
    throw new Error(
      `prisbasbelopp.csv: column prisbasbelopp_kr has no value for year(s) ${noPbb.join(", ")} (rule: one row per year)`,
    );
  }

  // Households and the national median of ekonomisk standard first, as small tables of their
  // own: the wide persons then pass once, straight into person_ar. (As CTEs of one statement the
  // persons were read into the household aggregate and the median as well, and DuckDB
  // materialised the wide rows in between.)
  const ekonomiskStandard =
    "coalesce(h.disp_ink_hushall, p.disp_ink::DOUBLE) / coalesce(h.konsumtionsenheter, 1.0)";
  await exec(
    con,
    `CREATE OR REPLACE TEMP TABLE rdi_hushall AS
     SELECT ar, hushall_id, personer, disp_ink_hushall,
            ${konsumtionsenheterSql("vuxna", "barn")} AS konsumtionsenheter
     FROM (
       SELECT ar, hushall_id,
              count(*)::INTEGER AS personer,
              count(*) FILTER (WHERE ar - fodelsear >= 20)::INTEGER AS vuxna,
              count(*) FILTER (WHERE ar - fodelsear < 20)::INTEGER AS barn,
              sum(disp_ink)::DOUBLE AS disp_ink_hushall
       FROM personer WHERE ar IN (${yearList}) AND hushall_id IS NOT NULL
       GROUP BY ar, hushall_id
     )`,
  );
  await exec(
    con,
    `CREATE OR REPLACE TEMP TABLE rdi_median_ekonomisk_standard AS
     SELECT p.ar, median(${ekonomiskStandard}) AS median_ekonomisk_standard
     FROM personer p LEFT JOIN rdi_hushall h ON h.ar = p.ar AND h.hushall_id = p.hushall_id
     WHERE p.ar IN (${yearList})
     GROUP BY p.ar`,
  );
  await exec(
    con,
    `CREATE OR REPLACE TABLE person_ar AS
     WITH p AS (
       SELECT * FROM personer WHERE ar IN (${yearList})
     ),
     berikad AS (
       SELECT p.*,
              (p.ar - p.fodelsear)::INTEGER AS alder,
              p.kon::VARCHAR AS kon_kod,
              p.fodelseland <> 'SE' AS utrikes_fodd,
              CASE WHEN p.fodelseland <> 'SE' THEN 'utlandsk'
                   WHEN coalesce(p.fodelseland_mor, 'SE') <> 'SE' AND coalesce(p.fodelseland_far, 'SE') <> 'SE'
                     THEN 'utlandsk'
                   ELSE 'svensk' END AS bakgrund,
              ${fodelseregionSql("p.fodelseland", "p.ar")} AS fodelseregion,
              CASE WHEN p.fodelseland <> 'SE'
                   THEN date_diff('day', p.senaste_invandring, make_date(p.ar, 12, 31))::INTEGER END
                AS vistelsetid_dagar,
              CASE WHEN p.fodelseland = 'SE' THEN NULL
                   WHEN p.grund_for_bosattning IN (${list(GRUND_SKYDDSBEHOV)}) THEN 'skyddsbehov'
                   ELSE 'ovriga' END AS grund,
              CASE p.utbildningsniva WHEN 1 THEN 'forgymnasial' WHEN 2 THEN 'gymnasial'
                   WHEN 3 THEN 'eftergymnasial' WHEN 4 THEN 'eftergymnasial' ELSE 'saknas' END AS utbildning,
              coalesce(d.kommun, ${kommunRecodeSql("p.kommun")}) AS kommun_idag,
              d.regso AS regso,
              b.prisbasbelopp AS prisbasbelopp,
              coalesce(h.personer, 1)::INTEGER AS hushall_storlek,
              coalesce(h.konsumtionsenheter, 1.0) AS konsumtionsenheter,
              ${ekonomiskStandard} AS ekonomisk_standard
       FROM p
       LEFT JOIN ref_deso d ON d.deso = p.deso
       LEFT JOIN ref_prisbasbelopp b ON b.ar = p.ar
       LEFT JOIN rdi_hushall h ON h.ar = p.ar AND h.hushall_id = p.hushall_id
     )
     SELECT b.* EXCLUDE (vistelsetid_dagar, kommun_idag, regso, prisbasbelopp, hushall_storlek,
                         konsumtionsenheter, ekonomisk_standard),
            ${vistelsetidSql("b.vistelsetid_dagar")} AS vistelsetid,
            b.vistelsetid_dagar,
            b.kommun_idag,
            coalesce(k.lan, left(b.kommun_idag, 2)) AS lan_idag,
            b.regso,
            b.prisbasbelopp,
            b.hushall_storlek,
            b.konsumtionsenheter,
            b.ekonomisk_standard,
            b.ekonomisk_standard < ${LAG_EKONOMISK_STANDARD_ANDEL} * m.median_ekonomisk_standard
              AS lag_ekonomisk_standard,
            NULL::VARCHAR AS omradestyp
     FROM berikad b
     JOIN rdi_median_ekonomisk_standard m ON m.ar = b.ar
     LEFT JOIN ref_kommun k ON k.kommun = b.kommun_idag`,
  );
  await exec(con, "DROP TABLE rdi_hushall; DROP TABLE rdi_median_ekonomisk_standard");
}
