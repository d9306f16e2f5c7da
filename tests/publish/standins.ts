/**
 * Small stand-ins for the computation modules, so the orchestration, cache, atomic publish and
 * manifest are tested on a five-person extract. They follow the table contracts of
 * docs/architecture.md (raw tables with their internal columns, `*_pub` tables without them) and
 * log every call, so tests can see what was recomputed.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Connection } from "../../data-loaders/db.ts";
import { sqlString } from "../../data-loaders/db.ts";
import type { BuildSteps } from "../../data-loaders/publish/steps.ts";

export interface StandInDefinition {
  id: string;
  omrade: string;
  unit: string;
  /** SQL over `src` grouped by (ar, kommun, kon): numerator, denominator (or NULL), value, persons, persons in numerator. */
  taljare: string;
  namnare: string;
  varde: string;
  antal: string;
  antal_taljare: string;
  /** Source rows; `{years}` is replaced by the years being computed. */
  from: string;
}

export const PERSONS = "(SELECT ar, kon, kommun, lopnr FROM person_ar WHERE ar IN ({years}))";

/** Persons of Y-1 with a flag whether they are still in the extract in Y (needs Y-1). */
const STAYERS = `(SELECT prev.ar + 1 AS ar, prev.kon, prev.kommun, cur.lopnr IS NOT NULL AS kvar
  FROM person_ar prev LEFT JOIN person_ar cur ON cur.lopnr = prev.lopnr AND cur.ar = prev.ar + 1
  WHERE prev.ar + 1 IN ({years}))`;

export function standInDefinitions(extra = 0): StandInDefinition[] {
  const base: StandInDefinition[] = [
    {
      id: "folkmangd",
      omrade: "demografi",
      unit: "antal",
      taljare: "count(*)",
      namnare: "NULL",
      varde: "count(*)",
      antal: "count(*)",
      antal_taljare: "NULL",
      from: PERSONS,
    },
    {
      id: "andel_kvinnor",
      omrade: "demografi",
      unit: "%",
      taljare: "count(*) FILTER (WHERE kon = 2)",
      namnare: "count(*)",
      varde: "100.0 * count(*) FILTER (WHERE kon = 2) / count(*)",
      antal: "count(*)",
      antal_taljare: "count(*) FILTER (WHERE kon = 2)",
      from: PERSONS,
    },
    {
      id: "kvar",
      omrade: "arbetsmarknad",
      unit: "%",
      taljare: "count(*) FILTER (WHERE kvar)",
      namnare: "count(*)",
      varde: "100.0 * count(*) FILTER (WHERE kvar) / count(*)",
      antal: "count(*)",
      antal_taljare: "count(*) FILTER (WHERE kvar)",
      from: STAYERS,
    },
  ];
  for (let i = 0; i < extra; i++) base.push({ ...base[0], id: `folkmangd_${String(i).padStart(3, "0")}` });
  return base;
}

export interface Call {
  step: string;
  years?: number[];
  indicators?: string[];
  /** Years protect/audit were asked for (absent: all). */
  partitions?: string[];
}

export interface StandInSteps extends BuildSteps {
  calls: Call[];
  defs: StandInDefinition[];
  /** What familySignature returns: change it to simulate families that changed. */
  families: string;
}

/** Writes a CSV extract: rows of [lopnr, kon, kommun] per year. */
export async function writeExtract(
  dir: string,
  years: Record<number, [number, number, string][]>,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [year, rows] of Object.entries(years)) {
    const lines = [
      "lopnr,ar,kon,kommun",
      ...rows.map(([lopnr, kon, kommun]) => `${lopnr},${year},${kon},${kommun}`),
    ];
    await writeFile(join(dir, `personer_${year}.csv`), `${lines.join("\n")}\n`);
  }
}

/**
 * 2019: kommun 0180 has persons 1 (man), 2 and 3 (women); 1280 has 4 and 5 (men).
 * 2020: 0180 has 1, 2, 3 and 6 (woman); 1280 has 4 (man) — person 5 left.
 */
export const EXTRACT: Record<number, [number, number, string][]> = {
  2019: [
    [1, 1, "0180"],
    [2, 2, "0180"],
    [3, 2, "0180"],
    [4, 1, "1280"],
    [5, 1, "1280"],
  ],
  2020: [
    [1, 1, "0180"],
    [2, 2, "0180"],
    [3, 2, "0180"],
    [6, 2, "0180"],
    [4, 1, "1280"],
  ],
};

const BREAKDOWNS_TOTALT = [
  "alder",
  "fodelseregion",
  "vistelsetid",
  "grund",
  "utbildningsniva",
  "bakgrund",
  "omradestyp",
]
  .map((b) => `'totalt' AS ${b}`)
  .join(", ");

function indicatorSql(def: StandInDefinition, years: number[]): string {
  const from = def.from.replaceAll("{years}", years.join(", "));
  return `SELECT ${sqlString(def.id)} AS indikator, ar::SMALLINT AS ar,
      CASE WHEN GROUPING(kommun) = 1 THEN 'riket' ELSE 'kommun' END AS niva,
      CASE WHEN GROUPING(kommun) = 1 THEN '00' ELSE kommun END AS region,
      CASE WHEN GROUPING(kon) = 1 THEN 'totalt' ELSE kon::VARCHAR END AS kon,
      ${BREAKDOWNS_TOTALT},
      (${def.taljare})::DOUBLE AS taljare, (${def.namnare})::DOUBLE AS namnare, (${def.varde})::DOUBLE AS varde,
      NULL::VARCHAR AS status, (${def.antal})::INTEGER AS antal, (${def.antal_taljare})::INTEGER AS antal_taljare,
      NULL::INTEGER AS bidragsgivare, NULL::DOUBLE AS storsta_bidrag
    FROM ${from} src
    GROUP BY GROUPING SETS ((ar), (ar, kon), (ar, kommun), (ar, kommun, kon))`;
}

/**
 * Stand-in steps. Disclosure control suppresses every indicator cell with fewer than 2 persons
 * (`antal < 2`): value columns become NULL and status `..`.
 */
export function standInSteps(
  options: { extraIndicators?: number; failValidation?: boolean } = {},
): StandInSteps {
  const calls: Call[] = [];
  const defs = standInDefinitions(options.extraIndicators ?? 0);
  const yearsIn = (years: number[]) => (years.length ? years.join(", ") : "NULL");
  const steps: StandInSteps = {
    calls,
    defs,
    families: "stand-in families",
    async validateExtract() {
      calls.push({ step: "validate" });
      if (options.failValidation) {
        return {
          ok: false,
          problems: [
            {
              file: "personer_2020.csv",
              column: "kon",
              rule: "code list 1, 2",
              rows: 3,
              message: "3 rows with a kon outside 1, 2",
            },
          ],
        };
      }
      return { ok: true, problems: [] };
    },
    async openExtract(con: Connection, dir: string, { years }) {
      calls.push({ step: "open", years });
      const files = (years ?? []).map((y) => sqlString(join(dir, `personer_${y}.csv`))).join(", ");
      await con.run(`CREATE OR REPLACE VIEW personer AS SELECT * FROM read_csv([${files}], header = true,
        columns = {'lopnr': 'BIGINT', 'ar': 'SMALLINT', 'kon': 'TINYINT', 'kommun': 'VARCHAR'})`);
      await con.run(`CREATE OR REPLACE VIEW utvandrade AS SELECT 1::BIGINT AS lopnr WHERE false`);
    },
    async createPersonFrame(con: Connection, { years }) {
      calls.push({ step: "person frame", years });
      await con.run(
        `CREATE OR REPLACE TABLE person_ar AS SELECT * FROM personer WHERE ar IN (${yearsIn(years)})`,
      );
    },
    async computeAreas(con: Connection, { years }) {
      calls.push({ step: "areas", years });
      await con.run(`CREATE OR REPLACE TABLE omraden_raw AS
        SELECT ar, 'regso' AS niva, kommun || 'R001' AS region, kommun, 10.0 AS v1_lag_ekonomisk_standard,
          20.0 AS v2_forgymnasial, 30.0 AS v3_bistand_arbetsloshet, count(*)::DOUBLE AS index, '3' AS omradestyp,
          NULL::VARCHAR AS status, count(*)::INTEGER AS antal, 0 AS antal_20_64
        FROM person_ar WHERE ar IN (${yearsIn(years)}) GROUP BY ar, kommun`);
      await con.run(`CREATE OR REPLACE TABLE omraden_fordelning_raw AS
        SELECT ar, 'riket' AS niva, '00' AS region, 'alla' AS grupp, '3' AS omradestyp, 100.0 AS andel,
          NULL::VARCHAR AS status, count(*)::INTEGER AS antal
        FROM person_ar WHERE ar IN (${yearsIn(years)}) GROUP BY ar`);
      await con.run(`CREATE OR REPLACE TABLE omraden_overgangar_raw AS
        SELECT ar, 'kommun' AS niva, kommun AS region, 0 AS byten, NULL::VARCHAR AS status
        FROM person_ar WHERE ar IN (${yearsIn(years)}) GROUP BY ar, kommun`);
      await con.run(`CREATE OR REPLACE TABLE omraden_overgangar_summa_raw AS
        SELECT ar, 'riket' AS niva, '00' AS region, '3' AS fran_typ, '3' AS till_typ, count(DISTINCT kommun)::INTEGER AS antal_regso
        FROM person_ar WHERE ar IN (${yearsIn(years)}) GROUP BY ar`);
    },
    async computeIndicators(con: Connection, { years, indicators }) {
      calls.push({ step: "indicators", years, indicators });
      const chosen = defs.filter((d) => !indicators || indicators.includes(d.id));
      await con.run(
        `CREATE OR REPLACE TABLE indikatorer_raw AS ${chosen.map((d) => indicatorSql(d, years)).join(" UNION ALL ")}`,
      );
    },
    async computeSegregation(con: Connection, { years }) {
      calls.push({ step: "segregation", years });
      await con.run(`CREATE OR REPLACE TABLE segregation_raw AS
        SELECT ar, 'riket' AS niva, '00' AS region, 'regso' AS enhet, 'kon' AS indelning, '2' AS grupp, 'D' AS matt,
          (count(*) FILTER (WHERE kon = 2))::DOUBLE / count(*) AS varde, NULL::VARCHAR AS status,
          count(DISTINCT kommun)::INTEGER AS befolkade_enheter, (count(*) FILTER (WHERE kon = 2))::INTEGER AS grupp_antal
        FROM person_ar WHERE ar IN (${yearsIn(years)}) GROUP BY ar`);
    },
    async protectTables(con: Connection, { partitions }) {
      calls.push(partitions ? { step: "protect", partitions: [...partitions].sort() } : { step: "protect" });
      const only = partitions
        ? `ar::VARCHAR IN (${[...partitions].map((p) => `'${p}'`).join(", ") || "NULL"})`
        : "true";
      await con.run(`CREATE OR REPLACE TABLE indikatorer_pub AS
        SELECT * EXCLUDE (antal, antal_taljare, bidragsgivare, storsta_bidrag, taljare, namnare, varde, status),
          CASE WHEN antal < 2 THEN NULL ELSE taljare END AS taljare,
          CASE WHEN antal < 2 THEN NULL ELSE namnare END AS namnare,
          CASE WHEN antal < 2 THEN NULL ELSE varde END AS varde,
          CASE WHEN antal < 2 THEN '..' ELSE status END AS status
        FROM indikatorer_raw WHERE ${only}`);
      const byPartition = await con.runAndReadAll(
        `SELECT 'indikatorer' AS "table", ar::VARCHAR AS "partition", 'antal' AS rule, count(*)::INTEGER AS cells
         FROM indikatorer_raw WHERE ${only} AND antal < 2 GROUP BY ar ORDER BY ar`,
      );
      await con.run(
        `CREATE OR REPLACE TABLE segregation_pub AS SELECT * EXCLUDE (befolkade_enheter, grupp_antal) FROM segregation_raw`,
      );
      await con.run(
        `CREATE OR REPLACE TABLE omraden_pub AS SELECT * EXCLUDE (antal, antal_20_64) FROM omraden_raw`,
      );
      await con.run(
        `CREATE OR REPLACE TABLE omraden_fordelning_pub AS SELECT * EXCLUDE (antal) FROM omraden_fordelning_raw`,
      );
      const partitionCounts = byPartition.getRowObjectsJS();
      const total = partitionCounts.reduce((n, c) => n + Number(c.cells), 0);
      return {
        rules: { minsta_antal: 2 },
        suppressed: total > 0 ? [{ table: "indikatorer", rule: "antal", cells: total }] : [],
        byPartition: partitionCounts,
      };
    },
    async familySignature() {
      return steps.families;
    },
    async auditTables(_con: Connection, options) {
      calls.push(
        options?.partitions
          ? { step: "audit", partitions: [...options.partitions].sort() }
          : { step: "audit" },
      );
      return { ok: true };
    },
    catalogue() {
      return defs.map((d) => ({ id: d.id, omrade: d.omrade, unit: d.unit, label: { sv: d.id, en: d.id } }));
    },
    async codeVersion() {
      return "stand-in code version 1";
    },
    definitions() {
      return Object.fromEntries(defs.map((d) => [d.id, d]));
    },
  };
  return steps;
}
