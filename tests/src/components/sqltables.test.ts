import { describe, expect, it } from "vitest";
import { publishedTables, tableOf, tablesInQuery } from "../../../src/components/sqltables.ts";

describe("tableOf", () => {
  it("names every kind of published Parquet file and skips other files", () => {
    expect(tableOf("indikatorer/forvarvsarbetande/kommun.parquet")?.name).toBe("forvarvsarbetande_kommun");
    expect(tableOf("segregation/riket.parquet")?.name).toBe("segregation_riket");
    expect(tableOf("omraden/omraden.parquet")?.name).toBe("omraden");
    expect(tableOf("omraden/fordelning.parquet")?.name).toBe("omraden_fordelning");
    expect(tableOf("regioner.parquet")).toEqual({
      name: "regioner",
      path: "regioner.parquet",
      group: "regioner",
    });
    expect(tableOf("manifest.json")).toBeUndefined();
    expect(tableOf("indikatorer/katalog.json")).toBeUndefined();
    expect(tableOf("indikatorer/Bad-Name/riket.parquet")).toBeUndefined();
  });
});

describe("publishedTables", () => {
  it("lists the tables of the manifest's outputs with their rows, grouped and sorted", () => {
    const tables = publishedTables([
      { path: "regioner.parquet", rows: 3 },
      { path: "manifest.json" },
      { path: "segregation/riket.parquet", rows: 2 },
      { path: "indikatorer/b/riket.parquet", rows: 5 },
      { path: "indikatorer/a/lan.parquet" },
    ]);
    expect(tables.map((t) => t.name)).toEqual(["a_lan", "b_riket", "segregation_riket", "regioner"]);
    expect(tables[1].rows).toBe(5);
    expect("rows" in tables[0]).toBe(false);
  });

  it("refuses two files with the same table name", () => {
    // indikatorer/segregation/riket.parquet and segregation/riket.parquet would both be segregation_riket.
    expect(() =>
      publishedTables([
        { path: "indikatorer/segregation/riket.parquet" },
        { path: "segregation/riket.parquet" },
      ]),
    ).toThrow(/both 'segregation_riket'/);
  });
});

describe("tablesInQuery", () => {
  const names = ["folkmangd_riket", "folkmangd_lan", "regioner"];
  it("finds the tables a query names, ignoring strings and comments", () => {
    const sql = `-- regioner is not used here
      SELECT * FROM FOLKMANGD_LAN /* folkmangd_riket */ WHERE region <> 'regioner'`;
    expect(tablesInQuery(sql, names)).toEqual(["folkmangd_lan"]);
    expect(tablesInQuery('SELECT * FROM "regioner" JOIN folkmangd_riket USING (region)', names)).toEqual([
      "folkmangd_riket",
      "regioner",
    ]);
    // A longer identifier that contains a name is not that name.
    expect(tablesInQuery("SELECT * FROM folkmangd_riket_x", names)).toEqual([]);
  });
});
