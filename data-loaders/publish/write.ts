/**
 * Deterministic Parquet writing for the publication.
 *
 * Every file is written by DuckDB with `COPY (SELECT … ORDER BY …) TO … (FORMAT parquet,
 * COMPRESSION zstd, ROW_GROUP_SIZE …)`: explicit column types from publicering.md, a total sort
 * order and a fixed row-group size, so the same table gives the same bytes whatever the number
 * of threads (tests/publish/write.test.ts checks 1 against 4 threads).
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Connection } from "../db.ts";
import { queryRows, sqlString } from "../db.ts";
import { SORT_KEY } from "../engine/compute.ts";

/** Rows per Parquet row group: large enough for good compression, small enough for DuckDB-WASM range reads. */
export const ROW_GROUP_SIZE = 100_000;

export interface ColumnSpec {
  name: string;
  /** DuckDB type the column is cast to before writing. */
  type: string;
}

export interface TableLayout {
  /** Columns that must exist, in this order, with these types (publicering.md). */
  columns: ColumnSpec[];
  /** Sort order inside one file; must make the order total together with the file's own filter. */
  sortKeys: string[];
}

/** Extra columns of the raw tables that disclosure control needs and that never leave the build. */
export const INTERNAL_COLUMNS = new Set([
  "antal",
  "antal_taljare",
  "bidragsgivare",
  "storsta_bidrag",
  "befolkade_enheter",
  "grupp_antal",
  "antal_20_64",
]);

/** Columns that identify persons or households: a table holding one is never written. */
export const FORBIDDEN_COLUMNS = new Set(["lopnr", "hushall_id", "fodelsear", "senaste_invandring"]);

/** The breakdown columns of the indicator tables: the engine's cell key after indikator, ar, niva, region. */
const BREAKDOWNS = SORT_KEY.slice(4);

export const INDICATOR_LAYOUT: TableLayout = {
  columns: [
    { name: "indikator", type: "VARCHAR" },
    { name: "ar", type: "SMALLINT" },
    { name: "niva", type: "VARCHAR" },
    { name: "region", type: "VARCHAR" },
    ...BREAKDOWNS.map((name) => ({ name, type: "VARCHAR" })),
    { name: "taljare", type: "DOUBLE" },
    { name: "namnare", type: "DOUBLE" },
    { name: "varde", type: "DOUBLE" },
    { name: "status", type: "VARCHAR" },
  ],
  sortKeys: [...SORT_KEY],
};

export const SEGREGATION_LAYOUT: TableLayout = {
  columns: [
    { name: "ar", type: "SMALLINT" },
    { name: "niva", type: "VARCHAR" },
    { name: "region", type: "VARCHAR" },
    { name: "enhet", type: "VARCHAR" },
    { name: "indelning", type: "VARCHAR" },
    { name: "grupp", type: "VARCHAR" },
    { name: "matt", type: "VARCHAR" },
    { name: "varde", type: "DOUBLE" },
    { name: "status", type: "VARCHAR" },
  ],
  sortKeys: ["ar", "niva", "region", "enhet", "indelning", "grupp", "matt"],
};

export const OMRADEN_LAYOUT: TableLayout = {
  columns: [
    { name: "ar", type: "SMALLINT" },
    { name: "niva", type: "VARCHAR" },
    { name: "region", type: "VARCHAR" },
    { name: "kommun", type: "VARCHAR" },
    { name: "v1_lag_ekonomisk_standard", type: "DOUBLE" },
    { name: "v2_forgymnasial", type: "DOUBLE" },
    { name: "v3_bistand_arbetsloshet", type: "DOUBLE" },
    { name: "index", type: "DOUBLE" },
    { name: "omradestyp", type: "VARCHAR" },
    { name: "status", type: "VARCHAR" },
  ],
  sortKeys: ["ar", "niva", "region"],
};

/** Layout of tables without a fixed contract (fordelning, overgangar): `ar` typed, sorted by every column. */
export const FREE_LAYOUT: TableLayout = { columns: [], sortKeys: [] };

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export async function tableColumns(con: Connection, table: string): Promise<string[]> {
  const rows = await queryRows<{ column_name: string }>(
    con,
    `SELECT column_name FROM information_schema.columns WHERE table_name = ${sqlString(table)} ORDER BY ordinal_position`,
  );
  if (rows.length === 0) throw new Error(`table ${table} does not exist or has no columns`);
  return rows.map((r) => r.column_name);
}

export interface PublishedSelect {
  /** SELECT list with casts: contract columns first, then any extra public columns. */
  selectList: string;
  /** ORDER BY list: the layout's sort keys, then every other written column (a total order). */
  orderBy: string;
}

/**
 * The columns of `table` as they are published: the layout's columns with their contract types,
 * then the other columns except those in `drop` (by default the raw tables' internal columns;
 * a `*_pub` table from disclosure control is written with all its columns). Throws when a contract column
 * is missing or a person-level column is present.
 */
export async function publishedSelect(
  con: Connection,
  table: string,
  layout: TableLayout,
  drop: ReadonlySet<string> = INTERNAL_COLUMNS,
): Promise<PublishedSelect> {
  const present = await tableColumns(con, table);
  const forbidden = present.filter((c) => FORBIDDEN_COLUMNS.has(c));
  if (forbidden.length > 0) {
    throw new Error(
      `table ${table} holds person-level column(s) ${forbidden.join(", ")}; refusing to publish it`,
    );
  }
  const missing = layout.columns.filter((c) => !present.includes(c.name)).map((c) => c.name);
  if (missing.length > 0) {
    throw new Error(`table ${table} lacks column(s) ${missing.join(", ")} required by publicering.md`);
  }
  const contract = new Set(layout.columns.map((c) => c.name));
  const extras = present.filter((c) => !contract.has(c) && !drop.has(c));
  const selectList = [
    ...layout.columns.map((c) => `CAST(${quoteIdent(c.name)} AS ${c.type}) AS ${quoteIdent(c.name)}`),
    ...extras.map((c) => (c === "ar" ? `CAST(ar AS SMALLINT) AS ar` : quoteIdent(c))),
  ].join(", ");
  const written = [...layout.columns.map((c) => c.name), ...extras];
  // Free layouts lead with (ar, niva, region); every written column follows, so the order is total.
  const leading =
    layout.sortKeys.length > 0
      ? layout.sortKeys
      : ["ar", "niva", "region"].filter((c) => written.includes(c));
  const ordered = [...leading, ...written.filter((c) => !leading.includes(c))];
  return { selectList, orderBy: ordered.map((c) => `${quoteIdent(c)} NULLS FIRST`).join(", ") };
}

export interface WrittenFile {
  /** Path relative to the publication root, with forward slashes. */
  path: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * Writes the result of `query` (which must carry its own ORDER BY) to `root/relativePath` as
 * zstd Parquet with a fixed row-group size, and returns its row count, size and SHA-256.
 */
export async function writeParquet(
  con: Connection,
  query: string,
  root: string,
  relativePath: string,
): Promise<WrittenFile> {
  const file = join(root, relativePath);
  await mkdir(dirname(file), { recursive: true });
  const result = await queryRows<{ Count: bigint | number }>(
    con,
    `COPY (${query}) TO ${sqlString(file)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${ROW_GROUP_SIZE})`,
  );
  const rows = Number(result[0]?.Count ?? 0);
  const bytes = (await stat(file)).size;
  return { path: relativePath, rows, bytes, sha256: await sha256File(file) };
}

/**
 * Writes `indikatorer/<indikator>/<niva>.parquet` for every indicator and level in `table`.
 * The table is first sorted by (indikator, niva) so each file's filter reads only its own row groups.
 */
export async function writeIndicatorFiles(
  con: Connection,
  table: string,
  root: string,
  drop: ReadonlySet<string> = INTERNAL_COLUMNS,
): Promise<WrittenFile[]> {
  const { selectList, orderBy } = await publishedSelect(con, table, INDICATOR_LAYOUT, drop);
  const staging = `${table}__sorted`;
  await con.run(
    `CREATE OR REPLACE TEMP TABLE ${staging} AS SELECT ${selectList} FROM ${table} ORDER BY indikator, niva, ${orderBy}`,
  );
  try {
    const parts = await queryRows<{ indikator: string; niva: string }>(
      con,
      `SELECT DISTINCT indikator, niva FROM ${staging} ORDER BY indikator, niva`,
    );
    const files: WrittenFile[] = [];
    for (const { indikator, niva } of parts) {
      assertSafeName(indikator, "indikator");
      assertSafeName(niva, "niva");
      files.push(
        await writeParquet(
          con,
          // ORDER BY again although the staging table is sorted: without it, a parallel filtered
          // scan gave different bytes with 4 threads than with 1 (tests/publish/write.test.ts).
          `SELECT * FROM ${staging} WHERE indikator = ${sqlString(indikator)} AND niva = ${sqlString(niva)} ORDER BY ${orderBy}`,
          root,
          `indikatorer/${indikator}/${niva}.parquet`,
        ),
      );
    }
    return files;
  } finally {
    await con.run(`DROP TABLE IF EXISTS ${staging}`);
  }
}

/** Writes `segregation/<niva>.parquet` for every level in `table`. */
export async function writeSegregationFiles(
  con: Connection,
  table: string,
  root: string,
  drop: ReadonlySet<string> = INTERNAL_COLUMNS,
): Promise<WrittenFile[]> {
  const { selectList, orderBy } = await publishedSelect(con, table, SEGREGATION_LAYOUT, drop);
  const levels = await queryRows<{ niva: string }>(con, `SELECT DISTINCT niva FROM ${table} ORDER BY niva`);
  const files: WrittenFile[] = [];
  for (const { niva } of levels) {
    assertSafeName(niva, "niva");
    files.push(
      await writeParquet(
        con,
        `SELECT ${selectList} FROM ${table} WHERE niva = ${sqlString(niva)} ORDER BY ${orderBy}`,
        root,
        `segregation/${niva}.parquet`,
      ),
    );
  }
  return files;
}

/** Writes one whole table to one file with the given layout. */
export async function writeTableFile(
  con: Connection,
  table: string,
  layout: TableLayout,
  root: string,
  relativePath: string,
  drop: ReadonlySet<string> = INTERNAL_COLUMNS,
): Promise<WrittenFile> {
  const { selectList, orderBy } = await publishedSelect(con, table, layout, drop);
  return writeParquet(con, `SELECT ${selectList} FROM ${table} ORDER BY ${orderBy}`, root, relativePath);
}

/**
 * Writes `regioner.parquet`: codes and names of every region (niva, region, namn, kommun, lan),
 * from the reference tables `ref_lan`, `ref_kommun`, `ref_regso`, `ref_deso`.
 * DeSO have no names at SCB; their code is their name.
 */
export async function writeRegions(con: Connection, root: string): Promise<WrittenFile> {
  const query = `
    SELECT niva, region, namn, kommun, lan FROM (
      SELECT 0 AS rang, 'riket' AS niva, '00' AS region, 'Riket' AS namn, NULL::VARCHAR AS kommun, NULL::VARCHAR AS lan
      UNION ALL SELECT 1, 'lan', lan, namn, NULL, lan FROM ref_lan
      UNION ALL SELECT 2, 'kommun', kommun, namn, kommun, lan FROM ref_kommun
      UNION ALL SELECT 3, 'regso', regso, namn, kommun, lan FROM ref_regso
      UNION ALL SELECT 4, 'deso', deso, deso, kommun, lan FROM ref_deso
    ) ORDER BY rang, region`;
  return writeParquet(con, query, root, "regioner.parquet");
}

/** Ids become folder and file names: allow only the characters ids are made of. */
function assertSafeName(value: string, column: string): void {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) {
    throw new Error(`column ${column} holds '${value}', which cannot be used as a file name`);
  }
}
