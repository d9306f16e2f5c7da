/**
 * The populations ("frames") indicators are computed over, as SQL over `person_ar`.
 *
 * Every frame yields the columns of `person_ar` (NULL where unknown) plus:
 * - `g_lan`, `g_kommun`, `g_regso`, `g_deso`: the region the row counts in at each level
 * - `g_omradestyp`: the områdestyp of that RegSO
 * - `b_*`: the breakdown values (publication codes), see `BREAKDOWN_COLUMNS`
 * - the frame's own columns (schema.ts `FRAMES` documents them)
 */
import { sqlString } from "../db.ts";
import { kommunRecodeSql } from "./derived.ts";
import { AGE_BAND_SETS, type AgeBandSet, type Frame, LEVELS } from "./registry/schema.ts";

/** The column each age band set is grouped by: 25–64 indicators reuse the 20–64 bands. */
export const BAND_COLUMN: Record<AgeBandSet, string> = {
  arbetsfor: "ab_arbetsfor",
  arbetsfor_25: "ab_arbetsfor",
  bred: "ab_bred",
  val: "ab_val",
};

const BAND_SOURCE: Record<string, AgeBandSet> = { ab_arbetsfor: "arbetsfor", ab_bred: "bred", ab_val: "val" };

/** Breakdown dimensions of the grouping (column `b_<dim>` in a frame), besides kön and områdestyp. */
export const DIMENSIONS = [
  "ab_arbetsfor",
  "ab_bred",
  "ab_val",
  "utbildningsniva",
  "fodelseregion",
  "inrikes_utrikes",
  "vistelsetid",
  "grund",
  "bakgrund",
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** SQL giving the band of `alder` for a set of bands such as `20-24`, `65-` (NULL outside). */
export function ageBandSql(set: AgeBandSet, age = "alder"): string {
  const whens = AGE_BAND_SETS[set].bands.map((band) => {
    const [from, to] = band.split("-");
    const upper = to === "" ? "" : ` AND ${age} <= ${Number(to)}`;
    return `WHEN ${age} >= ${Number(from)}${upper} THEN ${sqlString(band)}`;
  });
  return `(CASE ${whens.join(" ")} END)`;
}

/** Adds the breakdown columns `b_*` to a relation with the columns of person_ar. */
function withBreakdowns(relation: string): string {
  const bands = Object.entries(BAND_SOURCE)
    .map(([column, set]) => `${ageBandSql(set)} AS b_${column}`)
    .join(",\n       ");
  return `SELECT f.*,
       kon_kod AS b_kon,
       ${bands},
       utbildning AS b_utbildningsniva,
       fodelseregion AS b_fodelseregion,
       CASE WHEN utrikes_fodd THEN 'utrikes' WHEN NOT utrikes_fodd THEN 'sverige' END AS b_inrikes_utrikes,
       vistelsetid AS b_vistelsetid,
       grund AS b_grund,
       bakgrund AS b_bakgrund
     FROM (${relation}) f`;
}

/** The region columns `g_*` of a row that counts where the person lived (columns of person_ar). */
const here = (alias: string) => {
  const a = alias === "" ? "" : `${alias}.`;
  return `${a}lan_idag AS g_lan, ${a}kommun_idag AS g_kommun, ${a}regso AS g_regso, ${a}deso AS g_deso, ${a}omradestyp AS g_omradestyp`;
};

const REGION_COLUMN: Record<string, string> = {
  lan: "lan_idag",
  kommun: "kommun_idag",
  regso: "regso",
  deso: "deso",
};

/** Emigrations per person and year, or an empty relation when no year has an utvandrade file. */
function emigrations(emigrationYears: number[]): string {
  if (emigrationYears.length === 0) return "(SELECT NULL::BIGINT AS lopnr, NULL::INTEGER AS ar WHERE false)";
  return `(SELECT DISTINCT lopnr, ar::INTEGER AS ar FROM utvandrade WHERE ar IN (${emigrationYears.join(", ")}))`;
}

export interface FrameContext {
  /** Years to produce (the publication year `ar` of the rows). */
  years: number[];
  emigrationYears: number[];
}

/** The SQL of a frame for the given years, with breakdown columns. */
export function frameSql(frame: Frame, ctx: FrameContext): string {
  const years = ctx.years.join(", ");
  // Both sides of a self-join get their years as constants: DuckDB does not derive `n.ar IN (…)`
  // from `n.ar = p.ar + 1`, and without it scans and hashes every year of person_ar (measured
  // 6.4–8.6 → 5.0 s for one full-scale year of fg_ar).
  const minus = (k: number) => ctx.years.map((y) => y - k).join(", ");
  switch (frame) {
    case "ar":
      return withBreakdowns(`SELECT p.*, ${here("p")} FROM person_ar p WHERE p.ar IN (${years})`);
    case "fg_ar": {
      const moved = LEVELS.map((level) =>
        level === "riket"
          ? "(n.lopnr IS NULL AND u.lopnr IS NOT NULL) AS utflyttad_riket"
          : `CASE WHEN n.lopnr IS NOT NULL THEN n.${REGION_COLUMN[level]} IS DISTINCT FROM p.${REGION_COLUMN[level]}
                  ELSE u.lopnr IS NOT NULL END AS utflyttad_${level}`,
      ).join(",\n              ");
      return withBreakdowns(
        `SELECT p.* EXCLUDE (ar), (p.ar + 1)::SMALLINT AS ar, ${here("p")},
              n.lopnr IS NOT NULL AS finns_nu,
              coalesce(n.sysselsatt, false) AS sysselsatt_nu,
              coalesce(n.foretagare, false) AS foretagare_nu,
              u.lopnr IS NOT NULL AS utvandrad_nu,
              ${moved}
         FROM person_ar p
         LEFT JOIN person_ar n ON n.lopnr = p.lopnr AND n.ar = p.ar + 1 AND n.ar IN (${years})
         LEFT JOIN ${emigrations(ctx.emigrationYears)} u ON u.lopnr = p.lopnr AND u.ar = p.ar + 1
         WHERE p.ar IN (${minus(1)})`,
      );
    }
    case "fg_5ar": {
      const stayed = LEVELS.map((level) =>
        level === "riket"
          ? "n.lopnr IS NOT NULL AS kvar_riket"
          : `coalesce(n.${REGION_COLUMN[level]} = p.${REGION_COLUMN[level]}, false) AS kvar_${level}`,
      ).join(",\n              ");
      return withBreakdowns(
        `SELECT p.* EXCLUDE (ar), (p.ar + 5)::SMALLINT AS ar, ${here("p")},
              n.lopnr IS NOT NULL AS finns_nu,
              ${stayed}
         FROM person_ar p
         LEFT JOIN person_ar n ON n.lopnr = p.lopnr AND n.ar = p.ar + 5 AND n.ar IN (${years})
         WHERE p.ar IN (${minus(5)})`,
      );
    }
    case "flyttar": {
      const flags = LEVELS.map((level) =>
        level === "riket"
          ? "false AS flyttat_riket"
          : `n.${REGION_COLUMN[level]} IS DISTINCT FROM p.${REGION_COLUMN[level]} AS flyttat_${level}`,
      ).join(", ");
      const anyMove = LEVELS.filter((l) => l !== "riket")
        .map((level) => `flyttat_${level}`)
        .join(" OR ");
      return withBreakdowns(
        `WITH par AS (
           SELECT n.*, ${flags},
                  p.lan_idag AS fg_lan, p.kommun_idag AS fg_kommun, p.regso AS fg_regso, p.deso AS fg_deso,
                  p.omradestyp AS fg_omradestyp
           FROM person_ar n JOIN person_ar p ON p.lopnr = n.lopnr AND p.ar = n.ar - 1 AND p.ar IN (${minus(1)})
           WHERE n.ar IN (${years})
         ), flyttare AS (SELECT * FROM par WHERE ${anyMove})
         SELECT * EXCLUDE (fg_lan, fg_kommun, fg_regso, fg_deso, fg_omradestyp), 1 AS riktning, ${here("")}
         FROM flyttare
         UNION ALL
         SELECT * EXCLUDE (fg_lan, fg_kommun, fg_regso, fg_deso, fg_omradestyp), -1 AS riktning,
                fg_lan AS g_lan, fg_kommun AS g_kommun, fg_regso AS g_regso, fg_deso AS g_deso,
                fg_omradestyp AS g_omradestyp
         FROM flyttare`,
      );
    }
    case "utrikes_flyttar": {
      const out =
        ctx.emigrationYears.length === 0
          ? ""
          : `UNION ALL BY NAME
         SELECT u.ar::SMALLINT AS ar, -1 AS riktning,
                coalesce(k.lan, left(u.kommun_idag, 2)) AS g_lan, u.kommun_idag AS g_kommun,
                u.regso AS g_regso, u.deso AS g_deso, NULL::VARCHAR AS g_omradestyp
         FROM (SELECT e.ar, e.deso, d.regso, coalesce(d.kommun, ${kommunRecodeSql("e.kommun")}) AS kommun_idag
               FROM utvandrade e LEFT JOIN ref_deso d ON d.deso = e.deso
               WHERE e.ar IN (${years})) u
         LEFT JOIN ref_kommun k ON k.kommun = u.kommun_idag`;
      return withBreakdowns(
        `SELECT p.*, 1 AS riktning, ${here("p")}
         FROM person_ar p
         WHERE p.ar IN (${years}) AND year(p.senaste_invandring) = p.ar
         ${out}`,
      );
    }
  }
}
