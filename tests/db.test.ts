import { describe, expect, it } from "vitest";
import { exec, openDatabase, queryTyped, tableExists, typedArray } from "../data-loaders/db.ts";

/** Rows i = 0…n-1: i / 2, 2i, i mod 200, 3i and i mod 1000, NULL at `nulls` but in the fourth. */
async function rowsWithNulls(n: number, nulls: number[]) {
  const con = await openDatabase({ threads: 1 });
  const isNull = `i IN (${nulls.join(", ")})`;
  return queryTyped(
    con,
    `SELECT CASE WHEN ${isNull} THEN NULL ELSE i / 2 END::DOUBLE,
            CASE WHEN ${isNull} THEN NULL ELSE 2 * i END::INTEGER,
            CASE WHEN ${isNull} THEN NULL ELSE i % 200 END::UTINYINT,
            (i * 3)::BIGINT::DOUBLE,
            CASE WHEN ${isNull} THEN NULL ELSE i % 1000 END::SMALLINT
     FROM range(${n}) t(i) ORDER BY i`,
    // The last: SMALLINT values into an Int32Array, one by one.
    ["f64", "i32", "u8", "f64", "i32"],
  );
}

describe("queryTyped", () => {
  it("reads every value into its typed array, a NULL as NaN or 0, across chunks and mask words", async () => {
    // 5,000 rows span three of DuckDB's chunks (2,048 rows each); the NULLs sit at both ends of
    // 32-bit mask words (31, 32, 63, 64), at a chunk's last and next chunk's first row (2047,
    // 2048), and in the last, partial word of the last chunk (4999).
    const nulls = [0, 31, 32, 63, 64, 100, 2047, 2048, 4999];
    const [half, double, small, triple, narrow] = await rowsWithNulls(5000, nulls);
    expect(half).toBeInstanceOf(Float64Array);
    expect(double).toBeInstanceOf(Int32Array);
    expect(small).toBeInstanceOf(Uint8Array);
    expect(half.length).toBe(5000);
    for (let i = 0; i < 5000; i++) {
      if (nulls.includes(i)) {
        expect(Number.isNaN(half[i])).toBe(true);
        expect(double[i]).toBe(0);
        expect(small[i]).toBe(0);
        expect(narrow[i]).toBe(0);
      } else {
        expect(half[i]).toBe(i / 2);
        expect(double[i]).toBe(2 * i);
        expect(small[i]).toBe(i % 200);
        expect(narrow[i]).toBe(i % 1000);
      }
      // No NULL in this column: its mask words are all set.
      expect(triple[i]).toBe(3 * i);
    }
  });

  it("reads a column without any NULL whole", async () => {
    const [half, double] = await rowsWithNulls(3000, [-1]);
    let sum = 0;
    for (const v of half) sum += v;
    // Σ i / 2 over 0…2999.
    expect(sum).toBe((2999 * 3000) / 4);
    expect(double[2999]).toBe(5998);
  });
});

describe("queryTyped options", () => {
  it("noNulls: a NULL is an error, not NaN or 0", async () => {
    const con = await openDatabase({ threads: 1 });
    const sql = "SELECT CASE WHEN i = 2500 THEN NULL ELSE i END::INTEGER FROM range(3000) t(i)";
    await expect(queryTyped(con, sql, ["i32"], { noNulls: true })).rejects.toThrow(/NULL/);
    const [read] = await queryTyped(con, sql, ["i32"]);
    expect(read[2500]).toBe(0);
  });

  it("release: the same values, chunk by chunk, across chunks and a NULL", async () => {
    const con = await openDatabase({ threads: 1 });
    const sql =
      "SELECT CASE WHEN i = 4097 THEN NULL ELSE i * 2 END::INTEGER, i / 4 FROM range(5000) t(i) ORDER BY i";
    const [double, quarter] = await queryTyped(con, sql, ["i32", "f64"], { release: true });
    expect(double.length).toBe(5000);
    expect(double[4097]).toBe(0);
    expect(double[4999]).toBe(9998);
    expect(double[2048]).toBe(4096);
    expect(quarter[4999]).toBe(4999 / 4);
  });

  it("allocate: the arrays where it puts them, here in shared memory, with the same values", async () => {
    const con = await openDatabase({ threads: 1 });
    const [half, small] = await queryTyped(
      con,
      "SELECT i / 2, (i % 7)::UTINYINT FROM range(3000) t(i)",
      ["f64", "u8"],
      { allocate: (kind, length) => typedArray(kind, length, true) },
    );
    expect(half.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(small.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(half[2999]).toBe(1499.5);
    expect(small[2999]).toBe(2999 % 7);
  });
});

describe("tableExists", () => {
  it("finds tables, temporary tables and views by name, and nothing else", async () => {
    const con = await openDatabase({ path: ":memory:" });
    await exec(
      con,
      `CREATE TABLE kept AS SELECT 1 AS a; CREATE TEMP TABLE scratch AS SELECT 1 AS a;
       CREATE VIEW seen AS SELECT 1 AS a; CREATE TABLE "o'brien" AS SELECT 1 AS a`,
    );
    expect(await tableExists(con, "kept")).toBe(true);
    expect(await tableExists(con, "scratch")).toBe(true);
    expect(await tableExists(con, "seen")).toBe(true);
    expect(await tableExists(con, "o'brien")).toBe(true);
    expect(await tableExists(con, "missing")).toBe(false);
    // A name is matched whole, not as a pattern.
    expect(await tableExists(con, "kep_")).toBe(false);
  });
});
