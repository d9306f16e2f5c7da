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
