import { type DuckDBConnection, type DuckDBDataChunk, DuckDBInstance } from "@duckdb/node-api";

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

/** A table or view of this name exists (in any schema, temporary ones included). */
export async function tableExists(con: Connection, name: string): Promise<boolean> {
  const rows = await queryRows<{ n: number }>(
    con,
    `SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE table_name = ${sqlString(name)}`,
  );
  return rows[0].n > 0;
}

export type TypedColumn = Float64Array | Int32Array | Uint8Array;

/**
 * Runs a query and reads its columns straight into typed arrays, chunk by chunk, without building
 * a JavaScript value per cell: for the million-row reads of disclosure control and the medians.
 * `kinds` gives each column's array: "f64" (NULL → NaN), "i32" or "u8" (NULL → 0); cast in SQL to
 * DOUBLE, INTEGER or UTINYINT to match. Options: `noNulls` makes a NULL an error instead;
 * `allocate` gives the arrays (default `typedArray`), for instance in shared memory for a worker
 * thread to read without a copy (medians.ts); `release` fetches the chunks one by one, each freed
 * as it is copied, instead of reading them in place: an await per chunk (about 0.9 s more for 10.5
 * million rows of six columns), but DuckDB's copy of the result does not stay beside the arrays
 * (240 MB less at the peak for those rows: 1,560 against 1,800 MB).
 */
export async function queryTyped(
  con: Connection,
  sql: string,
  kinds: readonly ("f64" | "i32" | "u8")[],
  options: {
    noNulls?: boolean;
    allocate?: (kind: "f64" | "i32" | "u8", length: number) => TypedColumn;
    release?: boolean;
  } = {},
): Promise<TypedColumn[]> {
  const result = await con.run(sql);
  const rows = result.rowCount;
  const allocate = options.allocate ?? typedArray;
  const out: TypedColumn[] = kinds.map((k) => allocate(k, rows));
  let offset = 0;
  const copy = (chunk: DuckDBDataChunk) => {
    kinds.forEach((kind, col) => {
      const nullValue = options.noNulls ? null : kind === "f64" ? Number.NaN : 0;
      copyVector(chunk.getColumnVector(col), out[col], offset, chunk.rowCount, nullValue);
    });
    offset += chunk.rowCount;
  };
  if (options.release) {
    for (
      let chunk = await result.fetchChunk();
      chunk && chunk.rowCount > 0;
      chunk = await result.fetchChunk()
    )
      copy(chunk);
  } else {
    for (let i = 0; i < result.chunkCount; i++) copy(result.getChunk(i));
  }
  if (offset !== rows) throw new Error(`queryTyped: ${offset} rows read of ${rows}`);
  return out;
}

/** A zeroed typed array of `length`, in shared memory (a SharedArrayBuffer) when `shared`. */
export function typedArray(kind: "f64" | "i32" | "u8", length: number, shared = false): TypedColumn {
  const bytes = kind === "f64" ? 8 : kind === "i32" ? 4 : 1;
  const buffer = shared ? new SharedArrayBuffer(length * bytes) : new ArrayBuffer(length * bytes);
  return kind === "f64"
    ? new Float64Array(buffer)
    : kind === "i32"
      ? new Int32Array(buffer)
      : new Uint8Array(buffer);
}

/** What the client's vectors hold beside `getItem`, where it exposes them (not in its types). */
interface VectorParts {
  items?: unknown;
  validity?: { data: BigUint64Array | null; offset: number };
}

/**
 * Copies the first n values of a result vector into `target` from `offset`. Where the client
 * exposes the vector's buffer in the target's own array type (`items`), it is copied at once and
 * only the NULLs of its validity mask are then set, read as 32-bit words (the mask's BigInt words
 * cost an allocation per value); else value by value. NULL becomes `nullValue`; with `nullValue`
 * null a NULL is an error.
 */
export function copyVector(
  vector: { getItem(index: number): unknown },
  target: TypedColumn,
  offset: number,
  n: number,
  nullValue: number | null,
): void {
  const { items, validity } = vector as unknown as VectorParts;
  /** What a NULL becomes. */
  const nullAs = () => {
    if (nullValue === null) throw new Error("a NULL in a column read as having none");
    return nullValue;
  };
  if (
    ArrayBuffer.isView(items) &&
    items.constructor === target.constructor &&
    (items as TypedColumn).length === n
  ) {
    target.set(items as never, offset);
    const mask = validity?.data;
    if (!mask) return;
    // Each 64-bit word as two 32-bit halves, low first (little-endian, as every platform Node runs on here).
    const words = new Uint32Array(mask.buffer, mask.byteOffset, mask.length * 2);
    const start = validity?.offset ?? 0;
    for (let r = 0; r < n; ) {
      const bit = start + r;
      // A word whose 32 bits are all set holds no NULL: skip it whole.
      if ((bit & 31) === 0 && r + 32 <= n && words[bit >>> 5] === 0xffffffff) {
        r += 32;
        continue;
      }
      if (((words[bit >>> 5] >>> (bit & 31)) & 1) === 0) target[offset + r] = nullAs();
      r++;
    }
    return;
  }
  for (let r = 0; r < n; r++) {
    const v = vector.getItem(r);
    target[offset + r] = v === null ? nullAs() : Number(v);
  }
}
