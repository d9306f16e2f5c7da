import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase, queryRows } from "../../data-loaders/db.ts";
import { EMIGRATION_COLUMNS, PERSON_COLUMNS } from "../../data-loaders/extract/contract.ts";
import { listExtract, openExtract, splitCsvLine } from "../../data-loaders/extract/read.ts";
import { writeExtract } from "./fixture.ts";

const json = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v));

describe("openExtract", () => {
  it("creates personer with exactly the contract's columns and types, extra columns dropped", async () => {
    const extract = await writeExtract();
    const con = await openDatabase({ threads: 1 });
    try {
      const info = await openExtract(con, extract.dir);
      expect(info.years).toEqual([2021, 2022]);
      expect(info.emigrationYears).toEqual([2022]);
      expect(info.files.map((f) => f.name)).toEqual([
        "personer_2021.parquet",
        "personer_2022.parquet",
        "utvandrade_2022.parquet",
      ]);
      const sha = createHash("sha256")
        .update(readFileSync(join(extract.dir, "personer_2021.parquet")))
        .digest("hex");
      expect(info.files[0].sha256).toBe(sha);

      const columns = await queryRows<{ name: string; type: string }>(
        con,
        "SELECT column_name AS name, column_type AS type FROM (DESCRIBE personer)",
      );
      // extra_info is in the files but not in the view; REAL is DuckDB's FLOAT.
      expect(columns).toEqual(
        PERSON_COLUMNS.map((c) => ({ name: c.name, type: c.type === "REAL" ? "FLOAT" : c.type })),
      );
      const perYear = await queryRows(
        con,
        "SELECT ar::INTEGER AS ar, count(*)::INTEGER AS n FROM personer GROUP BY ar ORDER BY ar",
      );
      expect(perYear).toEqual([
        { ar: 2021, n: 32 },
        { ar: 2022, n: 30 },
      ]);
      const emigrants = await queryRows(
        con,
        "SELECT lopnr::INTEGER AS lopnr, datum::VARCHAR AS datum, kommun, ar::INTEGER AS ar FROM utvandrade ORDER BY lopnr",
      );
      expect(emigrants).toEqual([
        { lopnr: 31, datum: "2022-03-15", kommun: "0114", ar: 2022 },
        { lopnr: 32, datum: "2022-08-01", kommun: "1280", ar: 2022 },
      ]);
    } finally {
      con.closeSync();
      extract.cleanup();
    }
  });

  it("reads a CSV extract to the same rows as the Parquet one", async () => {
    const parquet = await writeExtract();
    const csv = await writeExtract({ format: "csv" });
    const con = await openDatabase({ threads: 1 });
    try {
      const all = "SELECT * FROM personer ORDER BY ar, lopnr";
      await openExtract(con, parquet.dir);
      const fromParquet = await queryRows(con, all);
      const csvInfo = await openExtract(con, csv.dir);
      const fromCsv = await queryRows(con, all);
      expect(csvInfo.files.map((f) => f.format)).toEqual(["csv", "csv", "parquet"]);
      expect(fromCsv.length).toBe(62); // 32 + 30
      expect(json(fromCsv)).toBe(json(fromParquet));
    } finally {
      con.closeSync();
      parquet.cleanup();
      csv.cleanup();
    }
  });

  it("selects years and gives an empty, typed utvandrade without emigration files", async () => {
    const extract = await writeExtract({ mutate: "DROP TABLE utvandrade_2022" });
    const con = await openDatabase({ threads: 1 });
    try {
      const info = await openExtract(con, extract.dir, { years: [2022] });
      expect(info.years).toEqual([2022]);
      expect(info.emigrationYears).toEqual([]);
      const [row] = await queryRows(
        con,
        "SELECT count(*)::INTEGER AS n, min(ar)::INTEGER AS ar FROM personer",
      );
      expect(row).toEqual({ n: 30, ar: 2022 });
      const columns = await queryRows(
        con,
        "SELECT column_name AS name, column_type AS type FROM (DESCRIBE utvandrade)",
      );
      expect(columns).toEqual([
        ...EMIGRATION_COLUMNS.map((c) => ({ name: c.name, type: c.type })),
        { name: "ar", type: "SMALLINT" },
      ]);
      const [empty] = await queryRows(con, "SELECT count(*)::INTEGER AS n FROM utvandrade");
      expect(empty.n).toBe(0);
    } finally {
      con.closeSync();
      extract.cleanup();
    }
  });

  it("fails clearly on a missing year or a missing column", async () => {
    const extract = await writeExtract({ mutate: "ALTER TABLE personer_2022 DROP COLUMN kon" });
    const con = await openDatabase({ threads: 1 });
    try {
      await expect(openExtract(con, extract.dir, { years: [2020] })).rejects.toThrow(
        /no personer file for 2020/,
      );
      await expect(openExtract(con, extract.dir)).rejects.toThrow(
        /personer_2022\.parquet: missing column\(s\) kon/,
      );
    } finally {
      con.closeSync();
      extract.cleanup();
    }
  });
});

describe("listExtract", () => {
  it("lets Parquet win over CSV and orders files by year and kind", async () => {
    const extract = await writeExtract();
    try {
      writeFileSync(join(extract.dir, "personer_2022.csv"), "lopnr\n1\n");
      writeFileSync(join(extract.dir, "personer_2023.csv"), "lopnr\n1\n");
      const listing = await listExtract(extract.dir);
      expect(listing.files.map((f) => f.name)).toEqual([
        "personer_2021.parquet",
        "personer_2022.parquet",
        "utvandrade_2022.parquet",
        "personer_2023.csv",
      ]);
      expect(listing.shadowed).toEqual(["personer_2022.csv"]);
    } finally {
      extract.cleanup();
    }
  });

  it("rejects a directory that does not exist", async () => {
    await expect(listExtract("/nonexistent/rdi-extract")).rejects.toThrow(/cannot read extract directory/);
  });
});

describe("splitCsvLine", () => {
  it("splits on commas outside double quotes", () => {
    expect(splitCsvLine('a,"b,c",,"d""e"')).toEqual(["a", "b,c", "", 'd"e']);
  });
});
