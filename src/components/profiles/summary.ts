// Kommun profiles: one small JSON document per kommun, derived from the publication (published,
// disclosure-protected tables only) so that a kommun page loads a few kilobytes instead of every
// indicator at RegSO level. Runs in Node (the loader src/data/kommunprofiler.zip.ts), never in the
// browser. No table here holds persons: every input is a published table.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { type Connection, queryRows, sqlString } from "../../../data-loaders/db.ts";

/** Indicators shown on every kommun page (those the publication lacks are left out). */
export const KEY_INDICATORS: readonly string[] = [
  "folkmangd",
  "andel_utrikes_fodda",
  "forvarvsarbetande",
  "eftergymnasial_utbildning",
  "lag_ekonomisk_standard",
  "disponibel_inkomst_median",
];

/** Indicators shown per RegSO in the kommun's table (latest year). */
export const REGSO_INDICATORS: readonly string[] = ["folkmangd", "andel_utrikes_fodda", "forvarvsarbetande"];

/** Segregation measures on the kommun page: groupings, focal groups and measures with their `_slump`. */
export const PROFILE_SEGREGATION = {
  indelningar: ["utrikes_fodd", "inkomstkvintil"],
  grupper: ["utrikes", "alla", "1", "5"],
  matt: ["D", "isolering", "H", "D_slump", "isolering_slump", "H_slump"],
} as const;

/** A published value: `varde` null with `status` '..' (suppressed) or '.' (not available). */
export interface ProfileValue {
  ar: number;
  varde: number | null;
  status: string | null;
}

export interface KommunProfile {
  kommun: string;
  namn: string;
  lan: string;
  lanNamn: string;
  /** Key indicators at kommun, its län and riket, every year, all persons and by födelseregion. */
  indikatorer: (ProfileValue & { indikator: string; niva: string; region: string; fodelseregion: string })[];
  /** The kommun's RegSO: index and områdestyp every year. */
  omraden: (ProfileValue & {
    region: string;
    namn: string;
    index: number | null;
    omradestyp: string | null;
  })[];
  /** RegSO indicators of the latest year. */
  regsoIndikatorer: (ProfileValue & { indikator: string; region: string })[];
  /** Segregation measures of the kommun (RegSO and DeSO units), with `_slump` rows. */
  segregation: (ProfileValue & { enhet: string; indelning: string; grupp: string; matt: string })[];
}

function parquet(dir: string, relative: string): string | undefined {
  const file = path.join(dir, relative);
  return existsSync(file) ? `read_parquet(${sqlString(file)})` : undefined;
}

const TOTALT_EXCEPT_FODELSEREGION = [
  "kon",
  "alder",
  "vistelsetid",
  "grund",
  "utbildningsniva",
  "bakgrund",
  "omradestyp",
]
  .map((column) => `${column} = 'totalt'`)
  .join(" AND ");

function list(values: readonly string[]): string {
  return values.map(sqlString).join(", ");
}

/**
 * Every kommun's profile, in kommun code order, from the publication directory `dir`.
 * Missing published files (e.g. an indicator not computed) leave their part empty.
 */
export async function buildKommunProfiles(con: Connection, dir: string): Promise<KommunProfile[]> {
  const regioner = parquet(dir, "regioner.parquet");
  if (!regioner)
    throw new Error(`${dir}: regioner.parquet is missing; is it a publication written by rdi build?`);
  const kommuner = await queryRows<{ kommun: string; namn: string; lan: string; lan_namn: string }>(
    con,
    `SELECT k.region AS kommun, k.namn, k.lan, l.namn AS lan_namn
     FROM ${regioner} AS k LEFT JOIN ${regioner} AS l ON l.niva = 'lan' AND l.region = k.lan
     WHERE k.niva = 'kommun' ORDER BY k.region`,
  );
  const catalogue = path.join(dir, "indikatorer", "katalog.json");
  const published = existsSync(catalogue) ? publishedIndicators(readFileSync(catalogue, "utf-8")) : undefined;
  const wanted = (ids: readonly string[]) => ids.filter((id) => !published || published.has(id));

  // Key indicators: riket, län and kommun files, one UNION over the indicators that exist.
  const indicatorParts: string[] = [];
  for (const indikator of wanted(KEY_INDICATORS)) {
    for (const niva of ["riket", "lan", "kommun"]) {
      const source = parquet(dir, `indikatorer/${indikator}/${niva}.parquet`);
      if (!source) continue;
      indicatorParts.push(
        `SELECT indikator, ar::INTEGER AS ar, niva, region, fodelseregion, varde::DOUBLE AS varde, status
         FROM ${source}
         WHERE ${TOTALT_EXCEPT_FODELSEREGION} AND fodelseregion IN ('totalt', 'sverige', 'utrikes')`,
      );
    }
  }
  const indicatorRows =
    indicatorParts.length === 0
      ? []
      : await queryRows<KommunProfile["indikatorer"][number]>(
          con,
          `${indicatorParts.join(" UNION ALL ")} ORDER BY indikator, niva, region, fodelseregion, ar`,
        );

  const omradenSource = parquet(dir, "omraden/omraden.parquet");
  const omradenRows = omradenSource
    ? await queryRows<KommunProfile["omraden"][number] & { kommun: string }>(
        con,
        `SELECT o.kommun, o.ar::INTEGER AS ar, o.region, coalesce(r.namn, o.region) AS namn,
                o.index::DOUBLE AS index, o.omradestyp, o.index::DOUBLE AS varde, o.status
         FROM ${omradenSource} AS o LEFT JOIN ${regioner} AS r ON r.niva = 'regso' AND r.region = o.region
         WHERE o.niva = 'regso' ORDER BY o.kommun, o.region, o.ar`,
      )
    : [];

  const regsoParts: string[] = [];
  for (const indikator of wanted(REGSO_INDICATORS)) {
    const source = parquet(dir, `indikatorer/${indikator}/regso.parquet`);
    if (!source) continue;
    regsoParts.push(
      `SELECT indikator, ar::INTEGER AS ar, region, varde::DOUBLE AS varde, status FROM ${source}
       WHERE ${TOTALT_EXCEPT_FODELSEREGION} AND fodelseregion = 'totalt'`,
    );
  }
  const regsoRows =
    regsoParts.length === 0
      ? []
      : await queryRows<KommunProfile["regsoIndikatorer"][number] & { kommun: string }>(
          con,
          `WITH alla AS (${regsoParts.join(" UNION ALL ")})
           SELECT r.kommun, a.* FROM alla AS a JOIN ${regioner} AS r ON r.niva = 'regso' AND r.region = a.region
           WHERE a.ar = (SELECT max(ar) FROM alla) ORDER BY r.kommun, a.indikator, a.region`,
        );

  const segregationSource = parquet(dir, "segregation/kommun.parquet");
  const segregationRows = segregationSource
    ? await queryRows<KommunProfile["segregation"][number] & { region: string }>(
        con,
        `SELECT region, ar::INTEGER AS ar, enhet, indelning, grupp, matt, varde::DOUBLE AS varde, status
         FROM ${segregationSource}
         WHERE indelning IN (${list(PROFILE_SEGREGATION.indelningar)})
           AND grupp IN (${list(PROFILE_SEGREGATION.grupper)}) AND matt IN (${list(PROFILE_SEGREGATION.matt)})
         ORDER BY region, enhet, indelning, grupp, matt, ar`,
      )
    : [];

  const byKey = <T>(rows: T[], key: (row: T) => string) => {
    const groups = new Map<string, T[]>();
    for (const row of rows) {
      const k = key(row);
      const group = groups.get(k);
      if (group) group.push(row);
      else groups.set(k, [row]);
    }
    return groups;
  };
  const omradenByKommun = byKey(omradenRows, (row) => row.kommun);
  const regsoByKommun = byKey(regsoRows, (row) => row.kommun);
  const segregationByKommun = byKey(segregationRows, (row) => row.region);

  return kommuner.map(({ kommun, namn, lan, lan_namn }) => ({
    kommun,
    namn,
    lan,
    lanNamn: lan_namn,
    indikatorer: indicatorRows.filter(
      (row) =>
        row.niva === "riket" ||
        (row.niva === "lan" && row.region === lan) ||
        (row.niva === "kommun" && row.region === kommun),
    ),
    omraden: (omradenByKommun.get(kommun) ?? []).map(({ kommun: _, ...row }) => row),
    regsoIndikatorer: (regsoByKommun.get(kommun) ?? []).map(({ kommun: _, ...row }) => row),
    segregation: (segregationByKommun.get(kommun) ?? []).map(({ region: _, ...row }) => row),
  }));
}

/** Ids of the indicators in the publication's catalogue (an array of definitions or `{indikatorer: [...]}`). */
export function publishedIndicators(catalogueJson: string): Set<string> {
  const parsed = JSON.parse(catalogueJson) as unknown;
  const items = Array.isArray(parsed)
    ? parsed
    : ((parsed as { indikatorer?: unknown[]; indicators?: unknown[] }).indikatorer ??
      (parsed as { indicators?: unknown[] }).indicators ??
      []);
  return new Set(
    items.map((item) => (item as { id?: unknown }).id).filter((id): id is string => typeof id === "string"),
  );
}

/** An indicator's value at riket in one områdestyp and year (all persons). */
export interface TypeValue extends ProfileValue {
  indikator: string;
  omradestyp: string;
}

/**
 * Every published indicator at riket by områdestyp (types 1–5 and `totalt`; every other breakdown
 * `totalt`), for the Områdestyper page. Indicators without a riket file are left out.
 */
export async function indicatorsByType(con: Connection, dir: string): Promise<TypeValue[]> {
  const catalogue = path.join(dir, "indikatorer", "katalog.json");
  if (!existsSync(catalogue)) throw new Error(`${dir}: indikatorer/katalog.json is missing`);
  const totalt = `${TOTALT_EXCEPT_FODELSEREGION.replace("omradestyp = 'totalt'", "true")} AND fodelseregion = 'totalt'`;
  const parts = [...publishedIndicators(readFileSync(catalogue, "utf-8"))]
    .sort()
    .map((id) => parquet(dir, `indikatorer/${id}/riket.parquet`))
    .filter((source): source is string => source !== undefined)
    .map(
      (source) =>
        `SELECT indikator, ar::INTEGER AS ar, omradestyp, varde::DOUBLE AS varde, status FROM ${source} WHERE ${totalt}`,
    );
  if (parts.length === 0) return [];
  return queryRows<TypeValue>(con, `${parts.join(" UNION ALL ")} ORDER BY indikator, ar, omradestyp`);
}

/** Measures on the Segregation page: two-group measures for these groupings and the M decomposition. */
export const PAGE_SEGREGATION = {
  indelningar: ["utrikes_fodd", "inkomstkvintil", "lag_ekonomisk_standard"],
  grupper: ["utrikes", "alla", "1", "5", "lag"],
  matt: ["D", "isolering", "H", "M", "M_mellan_lan", "M_mellan_kommun", "M_inom_kommun"],
} as const;

/**
 * The Segregation page's selection of segregation/<riket|kommun>.parquet: at riket the measures of
 * PAGE_SEGREGATION, by kommun D of the two-group groupings, each with its `_slump` row, every year.
 */
export async function segregationSummary(
  con: Connection,
  dir: string,
): Promise<
  (ProfileValue & {
    niva: string;
    region: string;
    enhet: string;
    indelning: string;
    grupp: string;
    matt: string;
  })[]
> {
  const matt = PAGE_SEGREGATION.matt.flatMap((m) => [m, `${m}_slump`]);
  // Riket: every selected measure; kommuner: D and its expectation for the two-group maps (keeps the file small).
  const parts = ["riket", "kommun"]
    .map((niva) => parquet(dir, `segregation/${niva}.parquet`))
    .filter((source): source is string => source !== undefined)
    .map(
      (source) =>
        `SELECT niva, region, ar::INTEGER AS ar, enhet, indelning, grupp, matt, varde::DOUBLE AS varde, status
         FROM ${source} WHERE indelning IN (${list(PAGE_SEGREGATION.indelningar)})
           AND grupp IN (${list(PAGE_SEGREGATION.grupper)}) AND matt IN (${list(matt)})
           AND (niva = 'riket' OR (matt IN ('D', 'D_slump') AND grupp IN ('utrikes', 'lag')))`,
    );
  if (parts.length === 0) return [];
  return queryRows(
    con,
    `SELECT * FROM (${parts.join(" UNION ALL ")})
     ORDER BY CASE niva WHEN 'riket' THEN 0 WHEN 'lan' THEN 1 ELSE 2 END, region, enhet, indelning, grupp, matt, ar`,
  );
}
