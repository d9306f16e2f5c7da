/** Small hand-built raw tables for the disclosure-control tests. */
import type { Connection } from "../../data-loaders/db.ts";
import { exec, openDatabase, queryRows } from "../../data-loaders/db.ts";
import { createReferenceTables } from "../../data-loaders/reference/geography.ts";
import { type CertificateData, proveByCertificates } from "../../data-loaders/sdc/certificates.ts";
import type { SdcGraph } from "../../data-loaders/sdc/graph.ts";
import { collectRequirements, nonNegativeOf } from "../../data-loaders/sdc/lp.ts";
import type { SdcRules } from "../../data-loaders/sdc/rules.ts";
import type { TableSpec } from "../../data-loaders/sdc/tables.ts";

export interface IndicatorCell {
  indikator?: string;
  ar?: number;
  niva: string;
  region: string;
  kon?: string;
  alder?: string;
  fodelseregion?: string;
  vistelsetid?: string;
  grund?: string;
  utbildningsniva?: string;
  bakgrund?: string;
  omradestyp?: string;
  taljare?: number | null;
  namnare?: number | null;
  varde?: number | null;
  status?: string | null;
  antal?: number | null;
  antal_taljare?: number | null;
  bidragsgivare?: number | null;
  storsta_bidrag?: number | null;
}

const literal = (v: string | number | null | undefined, type: string) =>
  v === null || v === undefined
    ? `NULL::${type}`
    : typeof v === "number"
      ? `${v}::${type}`
      : `'${v}'::${type}`;

/** A count cell (folkmangd-like): taljare = antal = n, no namnare. */
export function count(
  niva: string,
  region: string,
  n: number,
  extra: Partial<IndicatorCell> = {},
): IndicatorCell {
  return { niva, region, taljare: n, antal: n, varde: n, ...extra };
}

/** A share cell: numerator t of denominator d persons, value in per cent. */
export function share(
  niva: string,
  region: string,
  t: number,
  d: number,
  extra: Partial<IndicatorCell> = {},
) {
  return {
    niva,
    region,
    taljare: t,
    namnare: d,
    varde: d > 0 ? (100 * t) / d : null,
    antal: d,
    antal_taljare: t,
    ...extra,
  } satisfies IndicatorCell;
}

export async function database(): Promise<Connection> {
  const con = await openDatabase({ threads: 1 });
  await createReferenceTables(con);
  return con;
}

/** Creates indikatorer_raw with the columns of docs/architecture.md from the given cells. */
export async function createIndikatorerRaw(con: Connection, cells: IndicatorCell[]): Promise<void> {
  const rows = cells.map((c) =>
    [
      literal(c.indikator ?? "folkmangd", "VARCHAR"),
      literal(c.ar ?? 2022, "SMALLINT"),
      literal(c.niva, "VARCHAR"),
      literal(c.region, "VARCHAR"),
      literal(c.kon ?? "totalt", "VARCHAR"),
      literal(c.alder ?? "totalt", "VARCHAR"),
      literal(c.fodelseregion ?? "totalt", "VARCHAR"),
      literal(c.vistelsetid ?? "totalt", "VARCHAR"),
      literal(c.grund ?? "totalt", "VARCHAR"),
      literal(c.utbildningsniva ?? "totalt", "VARCHAR"),
      literal(c.bakgrund ?? "totalt", "VARCHAR"),
      literal(c.omradestyp ?? "totalt", "VARCHAR"),
      literal(c.taljare, "DOUBLE"),
      literal(c.namnare, "DOUBLE"),
      literal(c.varde, "DOUBLE"),
      literal(c.status, "VARCHAR"),
      literal(c.antal, "BIGINT"),
      literal(c.antal_taljare, "BIGINT"),
      literal(c.bidragsgivare, "BIGINT"),
      literal(c.storsta_bidrag, "DOUBLE"),
    ].join(", "),
  );
  await exec(
    con,
    `CREATE OR REPLACE TABLE indikatorer_raw AS SELECT * FROM (VALUES (${rows.join("), (")}))
       t(indikator, ar, niva, region, kon, alder, fodelseregion, vistelsetid, grund, utbildningsniva, bakgrund,
         omradestyp, taljare, namnare, varde, status, antal, antal_taljare, bidragsgivare, storsta_bidrag)`,
  );
}

export interface PublishedCell {
  indikator: string;
  niva: string;
  region: string;
  kon: string;
  fodelseregion: string;
  taljare: number | null;
  namnare: number | null;
  varde: number | null;
  status: string | null;
}

export async function published(con: Connection, table = "indikatorer_pub"): Promise<PublishedCell[]> {
  return queryRows<PublishedCell>(con, `SELECT * FROM ${table}`);
}

/** Regions of the published table that are suppressed, as `niva:region[:kon]` strings, sorted. */
export async function suppressedCells(con: Connection, withKon = false): Promise<string[]> {
  const rows = await published(con);
  return rows
    .filter((r) => r.status === "..")
    .map((r) => `${r.niva}:${r.region}${withKon ? `:${r.kon}` : ""}`)
    .sort();
}

/**
 * The six relations of a 2 × 2 table with its margins, as `t_members` (cells 1–4 inner x11, x12,
 * x21, x22; 5–6 row totals; 7–8 column totals; 9 the grand total): rows, columns, and the grand
 * total over both.
 */
export const TWO_BY_TWO_MEMBERS = `CREATE TABLE t_members AS SELECT * FROM (VALUES
  (1, 5, true), (1, 1, false), (1, 2, false),
  (2, 6, true), (2, 3, false), (2, 4, false),
  (3, 7, true), (3, 1, false), (3, 3, false),
  (4, 8, true), (4, 2, false), (4, 4, false),
  (5, 9, true), (5, 5, false), (5, 6, false),
  (6, 9, true), (6, 7, false), (6, 8, false)) v(grp, id, is_parent);`;

/** The 2 × 2 table of counts with published margins (lp.test.ts, certificates.test.ts). */
export const TWO_BY_TWO_SPEC: TableSpec = {
  name: "test",
  raw: "test_raw",
  pub: "test_pub",
  columns: ["ar", "r", "k", "antal", "status"],
  requiredRaw: ["ar", "r", "k", "antal"],
  sort: ["ar", "r", "k"],
  tableKeys: ["ar"],
  cellKeys: ["r", "k"],
  hide: ["antal"],
  additive: ["antal"],
  // findExposures reads the groups from the working tables; the relation only says there are some.
  relations: [{ name: "margin", kind: "eq", child: "true", parent: {} }],
  kind: "'count'",
  cost: "antal",
  weak: "false",
  primary: () => "NULL",
  quantities: { count: "antal" },
};

/**
 * The working tables `t_cells`, `t_groups`, `t_members` of the 2 × 2 table with the given cells
 * suppressed: cells 1–4 inner (x11 = 3, x12 = 7, x21 = 9, x22 = 2; 3 and 2 fail the count rule),
 * 5–6 row totals, 7–8 column totals, 9 the grand total. Cell i has the packed key code 1000 + i.
 */
export async function twoByTwo(suppressed: number[]): Promise<Connection> {
  const con = await openDatabase({ threads: 1 });
  const cells: [number, string, string, number, string | null][] = [
    [1, "r1", "k1", 3, "antal"],
    [2, "r1", "k2", 7, null],
    [3, "r2", "k1", 9, null],
    [4, "r2", "k2", 2, "antal"],
    [5, "r1", "totalt", 10, null],
    [6, "r2", "totalt", 11, null],
    [7, "totalt", "k1", 12, null],
    [8, "totalt", "k2", 9, null],
    [9, "totalt", "totalt", 21, null],
  ];
  const rows = cells.map(([id, r, k, antal, rule]) => {
    const sup = suppressed.includes(id);
    const ruleText = rule ? `'${rule}'` : sup ? "'sekundar'" : "NULL";
    return `(${id}, 1, ${1000 + id}, 2022, '${r}', '${k}', ${antal}, 'count', ${ruleText}, ${sup})`;
  });
  await exec(
    con,
    `CREATE TABLE t_cells AS SELECT * FROM (VALUES ${rows.join(", ")})
       v(id, tk, code, ar, r, k, antal, kind, rule, sup);
     CREATE TABLE t_groups AS SELECT * FROM (VALUES (1, true, true), (2, true, true), (3, true, true),
       (4, true, true), (5, true, true), (6, true, true)) v(grp, valid_antal, eq_antal);
     ${TWO_BY_TWO_MEMBERS}`,
  );
  return con;
}

/**
 * The audit's check of certificates (certificates.ts) on `graph`: the requirements of `cells`,
 * which of them the tables prove, and how many tables passed.
 */
export function checkCertificates(
  graph: SdcGraph,
  spec: TableSpec,
  rules: SdcRules,
  certificates: CertificateData,
  cells: number[],
) {
  const { requirements, byCell } = collectRequirements(graph, spec, rules, cells);
  const proven = new Uint8Array(requirements.length);
  const nonNegative = nonNegativeOf(graph, spec);
  const result = proveByCertificates(graph, spec, nonNegative, certificates, requirements, byCell, proven);
  return { requirements, proven, passed: result.passed, count: result.proven };
}
