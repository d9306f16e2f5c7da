// Parquet in the browser without DuckDB-WASM: decode a published file to plain rows, and write the
// explorer's selection as a Parquet download. parquet-wasm's wasm is served from the site's npm cache.
import { Float64, Int16, Table, tableFromIPC, tableToIPC, Utf8, vectorFromArray } from "npm:apache-arrow";
import initParquet, * as Parquet from "npm:parquet-wasm";

let ready;
function parquetWasm() {
  ready ??= initParquet(import.meta.resolve("npm:parquet-wasm/esm/parquet_wasm_bg.wasm"));
  return ready;
}

/** Parquet bytes → array of plain objects (BIGINT and DECIMAL columns become numbers). */
export async function parquetRows(bytes) {
  await parquetWasm();
  const wasmTable = Parquet.readParquet(new Uint8Array(bytes));
  const table = tableFromIPC(wasmTable.intoIPCStream());
  // DECIMAL values arrive as Arrow big numbers; valueOf(scale) gives the number.
  const decimals = table.schema.fields.filter(
    (field) => Number.isInteger(field.type?.scale) && Number.isInteger(field.type?.precision),
  );
  return Array.from(table, (row) => {
    const object = row.toJSON();
    for (const key of Object.keys(object)) {
      if (typeof object[key] === "bigint") object[key] = Number(object[key]);
    }
    for (const field of decimals) {
      const value = object[field.name];
      if (value != null) object[field.name] = Number(value.valueOf(field.type.scale));
    }
    return object;
  });
}

/**
 * Rows → Parquet bytes. `columns` gives each column's name and type: "utf8", "int16" or "float64".
 * Nulls are kept as nulls.
 */
export async function rowsToParquet(rows, columns) {
  await parquetWasm();
  const types = { utf8: () => new Utf8(), int16: () => new Int16(), float64: () => new Float64() };
  const vectors = {};
  for (const { name, type } of columns) {
    vectors[name] = vectorFromArray(
      rows.map((row) => row[name] ?? null),
      types[type](),
    );
  }
  const ipc = tableToIPC(new Table(vectors), "stream");
  const wasmTable = Parquet.Table.fromIPCStream(ipc);
  return Parquet.writeParquet(wasmTable);
}
