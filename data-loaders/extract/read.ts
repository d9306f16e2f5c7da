/**
 * Reading a register extract: finding its files, describing their columns, and creating the DuckDB
 * views `personer` and `utvandrade` that the person frame reads.
 *
 * The SQL that turns a file's physical columns into the contract's types lives here and is shared
 * with the validator, so a value the validator accepts is read the same way by the build.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { UserError } from "../cli/command.ts";
import type { Connection } from "../db.ts";
import { exec, queryRows, sqlString } from "../db.ts";
import type { ColumnSpec, ColumnType, ExtractFormat, ExtractKind } from "./contract.ts";
import { ACCEPTED_FORMATS, EMIGRATION_COLUMNS, FILE_NAME_PATTERN, PERSON_COLUMNS } from "./contract.ts";

export interface ExtractFile {
  name: string;
  path: string;
  bytes: number;
  sha256: string;
  year: number;
  kind: ExtractKind;
  format: ExtractFormat;
}

export interface ExtractInfo {
  /** Years with a personer file, ascending. */
  years: number[];
  /** Years (among `years`) with an utvandrade file, ascending. */
  emigrationYears: number[];
  /** The files read, ordered by year, then personer before utvandrade. */
  files: ExtractFile[];
}

/** A file of the extract before it has been hashed. */
export type ExtractCandidate = Omit<ExtractFile, "sha256">;

/** A file whose name looks like part of an extract but breaks the naming rules. */
export interface BadFileName {
  name: string;
  message: string;
}

export interface ExtractListing {
  /** The files to read: one personer file per year (Parquet wins over CSV), utvandrade files. */
  files: ExtractCandidate[];
  /** Files named almost like extract files, e.g. `Personer_2019.parquet`, `personer_19.csv`. */
  badNames: BadFileName[];
  /** CSV files shadowed by a Parquet file of the same year. */
  shadowed: string[];
}

const KIND_ORDER: Record<ExtractKind, number> = { personer: 0, utvandrade: 1 };

/** Orders files by year, then personer before utvandrade. */
export function compareFiles(a: { year: number; kind: ExtractKind }, b: { year: number; kind: ExtractKind }) {
  return a.year - b.year || KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
}

/**
 * Lists the files of an extract directory. Throws UserError when the directory cannot be read.
 * Files that do not start with `personer`/`utvandrade` (README, checksums, hidden files) are ignored.
 */
export async function listExtract(dir: string, options: { years?: number[] } = {}): Promise<ExtractListing> {
  let entries: string[];
  try {
    const dirents = await readdir(dir, { withFileTypes: true });
    entries = dirents.filter((d) => d.isFile() || d.isSymbolicLink()).map((d) => d.name);
  } catch (error) {
    throw new UserError(`cannot read extract directory ${dir}: ${(error as Error).message}`);
  }
  entries.sort();
  const wanted = options.years ? new Set(options.years) : null;
  const files: ExtractCandidate[] = [];
  const badNames: BadFileName[] = [];
  const shadowed: string[] = [];
  for (const name of entries) {
    if (!/^(personer|utvandrade)/i.test(name)) continue;
    const match = FILE_NAME_PATTERN.exec(name);
    if (!match) {
      badNames.push({
        name,
        message: `${name} is not a valid file name: expected personer_YYYY.parquet, personer_YYYY.csv or utvandrade_YYYY.parquet`,
      });
      continue;
    }
    const kind = match[1] as ExtractKind;
    const year = Number(match[2]);
    const format = match[3] as ExtractFormat;
    if (!ACCEPTED_FORMATS[kind].includes(format)) {
      badNames.push({
        name,
        message: `${name}: ${kind} files must be ${ACCEPTED_FORMATS[kind].join(" or ")}`,
      });
      continue;
    }
    if (wanted && !wanted.has(year)) continue;
    const path = resolve(join(dir, name));
    const bytes = (await stat(path)).size;
    files.push({ name, path, bytes, year, kind, format });
  }
  // Parquet wins over CSV for the same year.
  const parquetYears = new Set(
    files.filter((f) => f.kind === "personer" && f.format === "parquet").map((f) => f.year),
  );
  const kept = files.filter((f) => {
    const loses = f.kind === "personer" && f.format === "csv" && parquetYears.has(f.year);
    if (loses) shadowed.push(f.name);
    return !loses;
  });
  kept.sort(compareFiles);
  return { files: kept, badNames, shadowed };
}

const hashCache = new Map<string, Promise<string>>();

/** SHA-256 of a file (hex), cached by path, size and modification time. */
export async function sha256File(path: string): Promise<string> {
  const info = await stat(path);
  const key = `${path}\0${info.size}\0${info.mtimeMs}`;
  let hash = hashCache.get(key);
  if (!hash) {
    hash = new Promise<string>((resolveHash, reject) => {
      const h = createHash("sha256");
      createReadStream(path, { highWaterMark: 1 << 20 })
        .on("data", (chunk) => h.update(chunk))
        .on("error", reject)
        .on("end", () => resolveHash(h.digest("hex")));
    });
    hashCache.set(key, hash);
    hash.catch(() => hashCache.delete(key));
  }
  return hash;
}

export async function hashFiles(files: ExtractCandidate[]): Promise<ExtractFile[]> {
  const hashed: ExtractFile[] = [];
  for (const f of files) hashed.push({ ...f, sha256: await sha256File(f.path) });
  return hashed;
}

/** A physical column of a file: its name and DuckDB type as read. */
export interface PhysicalColumn {
  name: string;
  type: string;
}

/** Reads the header line of a CSV file (UTF-8, comma separated, optional double quotes). */
export async function readCsvHeader(path: string): Promise<string[]> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(1 << 20);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    let text = buffer.subarray(0, bytesRead).toString("utf8");
    if (text.startsWith("\uFEFF")) text = text.slice(1);
    const end = text.search(/\r?\n/);
    const line = end === -1 ? text : text.slice(0, end);
    if (line.length === 0) return [];
    return splitCsvLine(line);
  } finally {
    await handle.close();
  }
}

/** Splits one CSV line on commas, honouring double-quoted fields with "" escapes. */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      fields.push(field);
      field = "";
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/** Quotes an identifier for SQL. */
export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export type CsvErrorMode = "fail" | "skip" | { table: string; scan: string };

/**
 * The relation (table function call) reading a CSV file with every column as VARCHAR: the header
 * gives the names, nothing is auto-detected, and the contract types are applied in SQL afterwards.
 * Malformed lines (wrong field count, bad quoting, bad UTF-8) make the read fail, are skipped, or
 * are collected with their line numbers in a rejects table.
 */
export function csvRelation(path: string, header: string[], errors: CsvErrorMode): string {
  const columns = header.map((name) => `${sqlString(name)}: 'VARCHAR'`).join(", ");
  const handling =
    errors === "fail"
      ? "ignore_errors = false"
      : errors === "skip"
        ? "ignore_errors = true"
        : `store_rejects = true, rejects_table = ${sqlString(errors.table)}, rejects_scan = ${sqlString(errors.scan)}`;
  return `read_csv(${sqlString(path)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = {${columns}}, ${handling})`;
}

export function parquetRelation(path: string): string {
  return `read_parquet(${sqlString(path)})`;
}

/** Physical columns of a Parquet file (reads the footer only). Throws when the file is not Parquet. */
export async function describeParquet(con: Connection, path: string): Promise<PhysicalColumn[]> {
  const rows = await queryRows<{ column_name: string; column_type: string }>(
    con,
    `DESCRIBE SELECT * FROM ${parquetRelation(path)}`,
  );
  return rows.map((r) => ({ name: r.column_name, type: r.column_type }));
}

const INTEGER_TYPES = new Set([
  "TINYINT",
  "SMALLINT",
  "INTEGER",
  "BIGINT",
  "HUGEINT",
  "UTINYINT",
  "USMALLINT",
  "UINTEGER",
  "UBIGINT",
  "UHUGEINT",
]);

/**
 * How a physical column becomes the contract type:
 * - `same`: already the contract type;
 * - `convert`: `sql` converts it, giving NULL for values that do not fit (out of range, bad text);
 * - `mistyped`: the physical type cannot hold the contract type (e.g. a kommun code stored as a number).
 */
export type Conversion = { kind: "same" } | { kind: "convert"; sql: string } | { kind: "mistyped" };

/** Conversion of a Parquet column of DuckDB type `physical` to the contract type of `spec`. */
export function parquetConversion(spec: ColumnSpec, physical: string, ref: string): Conversion {
  if (physical === spec.type || (spec.type === "REAL" && physical === "FLOAT")) return { kind: "same" };
  const numeric = INTEGER_TYPES.has(physical);
  const decimal = physical === "FLOAT" || physical === "DOUBLE" || physical.startsWith("DECIMAL");
  if (spec.type === "REAL" && (numeric || decimal))
    return { kind: "convert", sql: `TRY_CAST(${ref} AS REAL)` };
  if (isIntegerType(spec.type) && numeric)
    return { kind: "convert", sql: `TRY_CAST(${ref} AS ${spec.type})` };
  return { kind: "mistyped" };
}

function isIntegerType(type: ColumnType): boolean {
  return type === "TINYINT" || type === "SMALLINT" || type === "INTEGER" || type === "BIGINT";
}

/**
 * Strict conversion of CSV text to the contract type: integers are digits with an optional minus
 * sign (DuckDB's own cast would round "1.5" and accept "0x10"), booleans are `0`/`1`, dates are
 * `YYYY-MM-DD`. Text that does not follow the rule converts to NULL.
 */
export function csvConversion(spec: ColumnSpec, ref: string): Conversion {
  switch (spec.type) {
    case "VARCHAR":
      return { kind: "same" };
    case "BOOLEAN":
      return { kind: "convert", sql: `CASE ${ref} WHEN '1' THEN true WHEN '0' THEN false END` };
    case "DATE":
      return {
        kind: "convert",
        sql: `CASE WHEN regexp_full_match(${ref}, '[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN TRY_CAST(${ref} AS DATE) END`,
      };
    case "REAL":
      return { kind: "convert", sql: `TRY_CAST(${ref} AS REAL)` };
    default:
      return {
        kind: "convert",
        sql: `CASE WHEN regexp_full_match(${ref}, '-?[0-9]+') THEN TRY_CAST(${ref} AS ${spec.type}) END`,
      };
  }
}

/**
 * The SQL that reads column `spec` with the contract type, for the reader. A plain CAST: the
 * extract has been validated, and a value that still cannot be cast stops the build with an error
 * rather than becoming NULL (CSV `0`/`1` cast to false/true).
 */
function castForReader(spec: ColumnSpec): string {
  return `CAST(${sqlIdent(spec.name)} AS ${spec.type})`;
}

/** Physical columns of any extract file (Parquet footer or CSV header, CSV columns are VARCHAR). */
export async function describeFile(
  con: Connection,
  file: { path: string; format: ExtractFormat },
): Promise<PhysicalColumn[]> {
  if (file.format === "parquet") return describeParquet(con, file.path);
  return (await readCsvHeader(file.path)).map((name) => ({ name, type: "VARCHAR" }));
}

/** One SELECT that reads a file with exactly the contract's columns and types. */
async function selectFile(
  con: Connection,
  file: ExtractCandidate,
  columns: readonly ColumnSpec[],
): Promise<string> {
  const physical = await describeFile(con, file);
  const names = new Set(physical.map((c) => c.name));
  const missing = columns.filter((c) => !names.has(c.name)).map((c) => c.name);
  if (missing.length > 0) {
    throw new UserError(`${file.name}: missing column(s) ${missing.join(", ")}; run rdi validate`);
  }
  const relation =
    file.format === "parquet"
      ? parquetRelation(file.path)
      : csvRelation(
          file.path,
          physical.map((c) => c.name),
          "fail",
        );
  const list = columns.map((c) => `${castForReader(c)} AS ${sqlIdent(c.name)}`);
  if (file.kind === "utvandrade") list.push(`${file.year}::SMALLINT AS ar`);
  return `SELECT ${list.join(", ")} FROM ${relation}`;
}

/** The typed empty relation of `utvandrade` when the extract has no emigration file. */
const EMPTY_EMIGRATION = `SELECT ${EMIGRATION_COLUMNS.map((c) => `NULL::${c.type} AS ${sqlIdent(c.name)}`).join(", ")}, NULL::SMALLINT AS ar WHERE false`;

/**
 * Creates the views `personer` (all selected years, the contract's columns and types, extra columns
 * dropped) and `utvandrade` (lopnr, datum, kommun, deso, ar; empty when there is no file).
 * The extract should have passed `validateExtract`; this only checks that the needed files and
 * columns exist.
 */
export async function openExtract(
  con: Connection,
  dir: string,
  options: { years?: number[] } = {},
): Promise<ExtractInfo> {
  const listing = await listExtract(dir, options);
  const personer = listing.files.filter((f) => f.kind === "personer");
  const years = personer.map((f) => f.year);
  if (options.years) {
    const missing = options.years.filter((y) => !years.includes(y));
    if (missing.length > 0) {
      throw new UserError(
        `${dir}: no personer file for ${missing.join(", ")} (personer_YYYY.parquet or .csv)`,
      );
    }
  }
  if (personer.length === 0)
    throw new UserError(`${dir}: the extract has no personer_YYYY.parquet or .csv file`);
  const emigration = listing.files.filter((f) => f.kind === "utvandrade" && years.includes(f.year));
  const personSelects = await Promise.all(personer.map((f) => selectFile(con, f, PERSON_COLUMNS)));
  const emigrationSelects = await Promise.all(emigration.map((f) => selectFile(con, f, EMIGRATION_COLUMNS)));
  await exec(con, `CREATE OR REPLACE VIEW personer AS ${personSelects.join("\nUNION ALL\n")}`);
  await exec(
    con,
    `CREATE OR REPLACE VIEW utvandrade AS ${emigrationSelects.length > 0 ? emigrationSelects.join("\nUNION ALL\n") : EMPTY_EMIGRATION}`,
  );
  const files = await hashFiles([...personer, ...emigration].sort(compareFiles));
  return { years, emigrationYears: emigration.map((f) => f.year), files };
}
