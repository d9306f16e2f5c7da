import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Connection } from "../../data-loaders/db.ts";
import { openDatabase, queryRows, sqlString } from "../../data-loaders/db.ts";
import {
  INDICATOR_LAYOUT,
  publishedSelect,
  SEGREGATION_LAYOUT,
  writeIndicatorFiles,
  writeRegions,
  writeSegregationFiles,
} from "../../data-loaders/publish/write.ts";
import { createReferenceTables } from "../../data-loaders/reference/geography.ts";
import { tempDir } from "./helpers.ts";

/** A raw indicator table of `cells` cells over 2 indicators × 2 levels, inserted in scrambled order. */
async function rawTable(con: Connection, cells = 40_000): Promise<void> {
  await con.run(`CREATE TABLE indikatorer_raw AS
    SELECT CASE WHEN i % 2 = 0 THEN 'folkmangd' ELSE 'andel' END AS indikator,
      (2000 + i % 7)::INTEGER AS ar,
      CASE WHEN i % 3 = 0 THEN 'riket' ELSE 'kommun' END AS niva,
      lpad(((i * 7919) % 1000)::VARCHAR, 4, '0') AS region,
      CASE i % 3 WHEN 0 THEN 'totalt' WHEN 1 THEN '1' ELSE '2' END AS kon,
      'totalt' AS alder, 'totalt' AS fodelseregion, 'totalt' AS vistelsetid, 'totalt' AS grund,
      'totalt' AS utbildningsniva, 'totalt' AS bakgrund, 'totalt' AS omradestyp,
      i AS taljare, NULL AS namnare, i / 3 AS varde, NULL AS status, i::INTEGER AS antal
    FROM range(${cells}) t(i) ORDER BY hash(i)`);
}

describe("writeIndicatorFiles", () => {
  it("gives the same bytes with 1 and 4 threads, also across several row groups", async () => {
    const hashes: string[][] = [];
    for (const threads of [1, 4]) {
      const con = await openDatabase({ threads });
      // 500,000 cells: the kommun files hold 166,667 rows, two row groups of at most 100,000.
      await rawTable(con, 500_000);
      const root = await tempDir();
      const files = await writeIndicatorFiles(con, "indikatorer_raw", root);
      hashes.push(files.map((f) => `${f.path} ${f.rows} ${f.sha256}`));
      con.closeSync();
    }
    expect(hashes[0]).toHaveLength(4); // 2 indicators × 2 levels
    expect(hashes[1]).toEqual(hashes[0]);
  });

  it("casts to the contract types, drops internal columns and sorts each file", async () => {
    const con = await openDatabase();
    await rawTable(con);
    const root = await tempDir();
    const files = await writeIndicatorFiles(con, "indikatorer_raw", root);
    // Cells with i % 2 = 0 and i % 3 = 0 (i % 6 = 0): folkmangd at riket, 40000 / 6 rounded up = 6,667.
    expect(files.find((f) => f.path === "indikatorer/folkmangd/riket.parquet")?.rows).toBe(6667);
    const file = join(root, "indikatorer/folkmangd/riket.parquet");
    const types = await queryRows<{ column_name: string; column_type: string }>(
      con,
      `DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`,
    );
    expect(types.find((t) => t.column_name === "ar")?.column_type).toBe("SMALLINT");
    expect(types.find((t) => t.column_name === "taljare")?.column_type).toBe("DOUBLE");
    expect(types.find((t) => t.column_name === "namnare")?.column_type).toBe("DOUBLE");
    expect(types.find((t) => t.column_name === "status")?.column_type).toBe("VARCHAR");
    expect(types.map((t) => t.column_name)).not.toContain("antal");
    // Row order in the file equals the order by (ar, region, kon, …) computed independently.
    const unsorted = await queryRows<{ n: number }>(
      con,
      `SELECT count(*)::INTEGER AS n FROM (
         SELECT ar, region, taljare, lag(ar) OVER () AS par, lag(region) OVER () AS pregion
         FROM read_parquet(${sqlString(file)}))
       WHERE par > ar OR (par = ar AND pregion > region)`,
    );
    expect(unsorted[0].n).toBe(0);
    con.closeSync();
  });

  it("refuses tables with person-level columns or lacking contract columns", async () => {
    const con = await openDatabase();
    await con.run(`CREATE TABLE with_lopnr AS SELECT 1::BIGINT AS lopnr, 2020 AS ar`);
    await expect(publishedSelect(con, "with_lopnr", SEGREGATION_LAYOUT)).rejects.toThrow(
      "table with_lopnr holds person-level column(s) lopnr; refusing to publish it",
    );
    await con.run(`CREATE TABLE partial AS SELECT 2020 AS ar, 'riket' AS niva`);
    await expect(publishedSelect(con, "partial", INDICATOR_LAYOUT)).rejects.toThrow(
      "table partial lacks column(s) indikator, region, kon",
    );
    con.closeSync();
  });
});

describe("writeSegregationFiles and writeRegions", () => {
  it("writes one file per level and keeps extra public columns", async () => {
    const con = await openDatabase();
    await con.run(`CREATE TABLE seg AS SELECT * FROM (VALUES
      (2021, 'kommun', '0180', 'deso', 'utrikes_fodd', 'utrikes', 'D', 0.5, NULL, 12, 'x'),
      (2021, 'riket', '00', 'deso', 'utrikes_fodd', 'utrikes', 'D', 0.4, NULL, 5984, 'y'),
      (2020, 'kommun', '0180', 'deso', 'utrikes_fodd', 'utrikes', 'D', 0.6, NULL, 12, 'z'))
      t(ar, niva, region, enhet, indelning, grupp, matt, varde, status, befolkade_enheter, anmarkning)`);
    const root = await tempDir();
    const files = await writeSegregationFiles(con, "seg", root);
    expect(files.map((f) => [f.path, f.rows])).toEqual([
      ["segregation/kommun.parquet", 2],
      ["segregation/riket.parquet", 1],
    ]);
    const rows = await queryRows(
      con,
      `SELECT ar::INTEGER AS ar, varde, anmarkning FROM read_parquet(${sqlString(join(root, "segregation/kommun.parquet"))})`,
    );
    // 2020 before 2021; befolkade_enheter (internal) dropped, anmarkning (extra) kept.
    expect(rows).toEqual([
      { ar: 2020, varde: 0.6, anmarkning: "z" },
      { ar: 2021, varde: 0.5, anmarkning: "x" },
    ]);
    con.closeSync();
  });

  it("lists every region with its name, kommun and län", async () => {
    const con = await openDatabase();
    await createReferenceTables(con);
    const root = await tempDir();
    const file = await writeRegions(con, root);
    const counts = await queryRows<{ niva: string; n: number }>(
      con,
      `SELECT niva, count(*)::INTEGER AS n FROM read_parquet(${sqlString(join(root, "regioner.parquet"))}) GROUP BY niva`,
    );
    expect(Object.fromEntries(counts.map((c) => [c.niva, c.n]))).toEqual({
      riket: 1,
      lan: 21,
      kommun: 290,
      regso: 3363,
      deso: 5984,
    });
    const stockholm = await queryRows(
      con,
      `SELECT * FROM read_parquet(${sqlString(join(root, "regioner.parquet"))}) WHERE region IN ('00', '01', '0180')`,
    );
    expect(stockholm).toEqual([
      { niva: "riket", region: "00", namn: "Riket", kommun: null, lan: null },
      { niva: "lan", region: "01", namn: "Stockholms län", kommun: null, lan: "01" },
      { niva: "kommun", region: "0180", namn: "Stockholm", kommun: "0180", lan: "01" },
    ]);
    expect(file.bytes).toBe((await readFile(join(root, "regioner.parquet"))).length);
    con.closeSync();
  });
});
