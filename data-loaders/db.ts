import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";

export type Connection = DuckDBConnection;

export interface OpenOptions {
  /** Database file; defaults to an in-memory database. */
  path?: string;
  /** Worker threads; defaults to DuckDB's choice (all cores). */
  threads?: number;
  /** e.g. "8GB". */
  memoryLimit?: string;
}

/** Opens a DuckDB database and returns a connection to it. */
export async function openDatabase(options: OpenOptions = {}): Promise<Connection> {
  const config: Record<string, string> = {};
  if (options.threads) config.threads = String(options.threads);
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  // No extension may ever be downloaded: the build runs offline.
  config.autoinstall_known_extensions = "false";
  config.autoload_known_extensions = "true";
  const instance = await DuckDBInstance.create(options.path ?? ":memory:", config);
  return instance.connect();
}

/** Runs SQL and returns the rows as plain objects (BIGINT stays bigint: cast in SQL where a number is wanted). */
export async function queryRows<T = Record<string, unknown>>(con: Connection, sql: string): Promise<T[]> {
  const reader = await con.runAndReadAll(sql);
  return reader.getRowObjectsJS() as T[];
}

/** Runs one or more SQL statements, ignoring results. */
export async function exec(con: Connection, sql: string): Promise<void> {
  await con.run(sql);
}

/** Quotes a string as a SQL literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export type TypedColumn = Float64Array | Int32Array | Uint8Array;

/**
 * Runs a query and reads its columns straight into typed arrays, chunk by chunk, without building
 * a JavaScript value per cell: for the million-row reads of disclosure control. `kinds` gives each
 * column's array: "f64" (NULL → NaN), "i32" or "u8" (NULL → 0); cast in SQL to DOUBLE, INTEGER or
 * UTINYINT to match.
 */
export async function queryTyped(
  con: Connection,
  sql: string,
  kinds: readonly ("f64" | "i32" | "u8")[],
): Promise<TypedColumn[]> {
  const result = await con.run(sql);
  const rows = result.rowCount;
  const out: TypedColumn[] = kinds.map((k) =>
    k === "f64" ? new Float64Array(rows) : k === "i32" ? new Int32Array(rows) : new Uint8Array(rows),
  );
  let offset = 0;
  for (let i = 0; i < result.chunkCount; i++) {
    const chunk = result.getChunk(i);
    const n = chunk.rowCount;
    kinds.forEach((kind, col) => {
      const vector = chunk.getColumnVector(col);
      const target = out[col];
      const nullValue = kind === "f64" ? Number.NaN : 0;
      for (let r = 0; r < n; r++) {
        const v = vector.getItem(r);
        target[offset + r] = v === null ? nullValue : (v as number);
      }
    });
    offset += n;
  }
  return out;
}
