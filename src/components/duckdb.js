// DuckDB-WASM for pages that query published tables with SQL. Import this module only on pages that
// need SQL: it loads DuckDB-WASM (several MB); pages that only draw charts use FileAttachment.parquet().
//
// DuckDB-WASM cannot load its Parquet extension offline (extensions are downloaded from DuckDB's
// extension repository at run time). So Parquet is decoded in the browser with parquet-wasm, whose
// wasm file is served from the site's own origin, and the resulting Arrow IPC stream is inserted into
// DuckDB as a table. See docs/development.md.
import { DuckDBClient } from "npm:@observablehq/duckdb";
import initParquet, { readParquet } from "npm:parquet-wasm";

let parquetReady;

/** Initialises parquet-wasm once, from the wasm file in the site's npm cache. */
function parquetWasm() {
  parquetReady ??= initParquet(import.meta.resolve("npm:parquet-wasm/esm/parquet_wasm_bg.wasm"));
  return parquetReady;
}

/** Decodes Parquet bytes to an Arrow IPC stream. */
export async function parquetToArrowIPC(bytes) {
  await parquetWasm();
  const table = readParquet(bytes);
  try {
    return table.intoIPCStream();
  } catch (error) {
    table.free();
    throw error;
  }
}

/**
 * Loads Parquet files into DuckDB tables: `loadTables(db, {indikator: FileAttachment("…")})`.
 * A source is anything with `arrayBuffer()` (a FileAttachment, a fetch Response). Tables are created
 * one after another in the order given, so a failure names the table it happened in.
 */
export async function loadTables(db, tables) {
  for (const [name, source] of Object.entries(tables)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`loadTables: invalid table name '${name}'`);
    const bytes = new Uint8Array(await (await source).arrayBuffer());
    let ipc;
    try {
      ipc = await parquetToArrowIPC(bytes);
    } catch (error) {
      throw new Error(`loadTables: table ${name}: not a readable Parquet file (${error?.message ?? error})`);
    }
    const connection = await db._db.connect();
    try {
      await connection.query(`DROP TABLE IF EXISTS "${name}"`);
      await connection.insertArrowFromIPCStream(ipc, { name, schema: "main", create: true });
    } finally {
      await connection.close();
    }
  }
  return db;
}

/**
 * Opens an in-memory DuckDB-WASM database (Framework's DuckDBClient: `db.query(sql)`, `db.sql\`…\``)
 * with the given Parquet files loaded as tables. Extensions are never installed or loaded, so a query
 * that would need one fails clearly instead of reaching for the network.
 */
export async function openDuckDB(tables = {}) {
  const db = await DuckDBClient.of();
  const connection = await db._db.connect();
  try {
    await connection.query("SET autoinstall_known_extensions = false");
    await connection.query("SET autoload_known_extensions = false");
  } finally {
    await connection.close();
  }
  return loadTables(db, tables);
}
