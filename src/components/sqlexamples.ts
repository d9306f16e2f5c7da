// Example queries of the SQL console (src/sql.md, src/en/sql.md). They use the published tables and
// columns of publicering.md only; tests/src/components/sqlexamples.test.ts runs them in DuckDB.

export interface SqlExample {
  title: string;
  sql: string;
}

/** The breakdowns other than the ones a query splits by stay at `totalt`. */
const ALL_TOTALT = (except: string[] = []): string =>
  ["kon", "alder", "fodelseregion", "vistelsetid", "grund", "utbildningsniva", "bakgrund", "omradestyp"]
    .filter((column) => !except.includes(column))
    .map((column) => `${column} = 'totalt'`)
    .join(" AND ");

const QUERIES = {
  byRegion: `SELECT ar, fodelseregion, varde, status
FROM forvarvsarbetande_riket
WHERE ${ALL_TOTALT(["fodelseregion"])}
ORDER BY ar, fodelseregion`,
  kommuner: `SELECT r.namn AS kommun, i.varde AS procent
FROM andel_utrikes_fodda_kommun AS i
JOIN regioner AS r ON r.niva = 'kommun' AND r.region = i.region
WHERE i.ar = (SELECT max(ar) FROM andel_utrikes_fodda_kommun)
  AND ${ALL_TOTALT().replaceAll(/(\w+) = /g, "i.$1 = ")}
  AND i.status IS NULL
ORDER BY i.varde DESC, kommun
LIMIT 10`,
  segregation: `SELECT ar, enhet, indelning, grupp, matt, round(varde, 3) AS varde, status
FROM segregation_riket
WHERE indelning = 'utrikes_fodd'
ORDER BY enhet, matt, grupp, ar`,
  omraden: `SELECT ar, omradestyp, count(*)::INTEGER AS regso
FROM omraden
WHERE niva = 'regso'
GROUP BY ar, omradestyp
ORDER BY ar, omradestyp`,
  suppressed: `SELECT niva, count(*)::INTEGER AS celler,
  count(*) FILTER (WHERE status = '..')::INTEGER AS skyddade,
  round(100 * count(*) FILTER (WHERE status = '..') / count(*), 1) AS procent_skyddade
FROM (
  SELECT niva, status FROM forvarvsarbetande_riket
  UNION ALL SELECT niva, status FROM forvarvsarbetande_lan
  UNION ALL SELECT niva, status FROM forvarvsarbetande_kommun
)
GROUP BY niva
ORDER BY celler`,
};

export const SQL_EXAMPLES: Record<"sv" | "en", SqlExample[]> = {
  sv: [
    { title: "Förvärvsarbetande efter födelseregion och år, riket", sql: QUERIES.byRegion },
    { title: "Tio kommuner med störst andel utrikes födda, senaste året", sql: QUERIES.kommuner },
    { title: "Segregationsmått för utrikes födda, riket", sql: QUERIES.segregation },
    { title: "Antal RegSO per områdestyp och år", sql: QUERIES.omraden },
    { title: "Andel skyddade celler per nivå, förvärvsarbetande", sql: QUERIES.suppressed },
  ],
  en: [
    { title: "Gainfully employed by region of birth and year, Sweden", sql: QUERIES.byRegion },
    {
      title: "Ten municipalities with the largest share of foreign-born, latest year",
      sql: QUERIES.kommuner,
    },
    { title: "Segregation measures for the foreign-born, Sweden", sql: QUERIES.segregation },
    { title: "Number of RegSO by area type and year", sql: QUERIES.omraden },
    { title: "Share of suppressed cells by level, gainfully employed", sql: QUERIES.suppressed },
  ],
};
