import { describe, expect, it } from "vitest";
import { exec, queryRows } from "../../data-loaders/db.ts";
import { auditTables, indikatorerSpec, protectTables, resolveRules } from "../../data-loaders/sdc/index.ts";
import { database } from "./fixtures.ts";

describe("segregation measures", () => {
  it("needs two populated units and a focal group that passes the count rule", async () => {
    const con = await database();
    await exec(
      con,
      `CREATE TABLE segregation_raw AS SELECT * FROM (VALUES
         (2022::SMALLINT, 'kommun', '0560', 'deso', 'utrikes_fodd', 'utrikes', 'D', 0.3, NULL::VARCHAR, 1, 40),
         (2022::SMALLINT, 'kommun', '0561', 'deso', 'utrikes_fodd', 'utrikes', 'D', 0.3, NULL::VARCHAR, 3, 4),
         (2022::SMALLINT, 'kommun', '0562', 'deso', 'utrikes_fodd', 'utrikes', 'D', 0.3, NULL::VARCHAR, 3, 5),
         (2022::SMALLINT, 'kommun', '0563', 'deso', 'fodelseregion', 'alla', 'H', 0.1, NULL::VARCHAR, 2, NULL),
         (2022::SMALLINT, 'kommun', '0564', 'deso', 'utrikes_fodd', 'utrikes', 'D', NULL, '.', 1, 0))
       t(ar, niva, region, enhet, indelning, grupp, matt, varde, status, befolkade_enheter, grupp_antal)`,
    );
    const report = await protectTables(con);
    // 0560: one populated unit → enheter; 0561: 4 persons in the group → antal;
    // 0562 (5 persons) and 0563 (multigroup, 2 units) are published; 0564 keeps its '.'.
    expect(report.suppressed).toEqual([
      { table: "segregation", rule: "antal", cells: 1 },
      { table: "segregation", rule: "enheter", cells: 1 },
    ]);
    const rows = await queryRows<{ region: string; varde: number | null; status: string | null }>(
      con,
      "SELECT region, varde, status FROM segregation_pub ORDER BY region",
    );
    expect(rows).toEqual([
      { region: "0560", varde: null, status: ".." },
      { region: "0561", varde: null, status: ".." },
      { region: "0562", varde: 0.3, status: null },
      { region: "0563", varde: 0.1, status: null },
      { region: "0564", varde: null, status: "." },
    ]);
    await auditTables(con);
  });
});

describe("population by områdestyp (omraden_fordelning)", () => {
  it("protects a small födelseregion group and its cheapest sibling within utrikes", async () => {
    const con = await database();
    // Kommun 0560, områdestyp 3: sverige 40, norden 2, eu_efta 6, ovriga 10, utrikes 18 (= 2 + 6 + 10), alla 58.
    const rows: [string, string, number][] = [
      ["totalt", "alla", 58],
      ["fodelseregion", "sverige", 40],
      ["fodelseregion", "norden", 2],
      ["fodelseregion", "eu_efta", 6],
      ["fodelseregion", "ovriga", 10],
      ["fodelseregion", "utrikes", 18],
    ];
    await exec(
      con,
      `CREATE TABLE omraden_fordelning_raw AS SELECT 2022::SMALLINT AS ar, 'kommun' AS niva, '0560' AS region,
         indelning, grupp, '3' AS omradestyp, antal::BIGINT AS antal, 100.0 * antal / 58 AS andel
       FROM (VALUES ${rows.map(([i, g, n]) => `('${i}', '${g}', ${n})`).join(", ")}) t(indelning, grupp, antal)`,
    );
    await protectTables(con);
    // norden (2) fails the count rule; in the group utrikes = norden + eu_efta + ovriga it is alone,
    // so the cheapest sibling, eu_efta (6 < 10), goes too. Hidden total 8 ≥ 5: enough room.
    const hidden = await queryRows<{ grupp: string; antal: number | null; andel: number | null }>(
      con,
      "SELECT grupp, antal, andel FROM omraden_fordelning_pub WHERE status = '..' ORDER BY grupp",
    );
    expect(hidden).toEqual([
      { grupp: "eu_efta", antal: null, andel: null },
      { grupp: "norden", antal: null, andel: null },
    ]);
    await auditTables(con);
  });
});

describe("socio-economic index per RegSO (omraden)", () => {
  it("hides the shares and the index of a RegSO with at most 20 persons aged 20–64, keeps its type", async () => {
    const con = await database();
    await exec(
      con,
      `CREATE TABLE omraden_raw AS SELECT * FROM (VALUES
         (2022::SMALLINT, 'regso', '0560R001', '0560', 10.0, 20.0, 5.0, 11.7, '3', NULL::VARCHAR, 300, 20),
         (2022::SMALLINT, 'regso', '0560R002', '0560', 12.0, 22.0, 6.0, 13.3, '2', NULL::VARCHAR, 300, 21))
       t(ar, niva, region, kommun, v1_lag_ekonomisk_standard, v2_forgymnasial, v3_bistand_arbetsloshet, index,
         omradestyp, status, antal, antal_20_64)`,
    );
    await protectTables(con);
    const rows = await queryRows<Record<string, unknown>>(con, "SELECT * FROM omraden_pub ORDER BY region");
    expect(Object.keys(rows[0])).toEqual([
      "ar",
      "niva",
      "region",
      "kommun",
      "v1_lag_ekonomisk_standard",
      "v2_forgymnasial",
      "v3_bistand_arbetsloshet",
      "index",
      "omradestyp",
      "status",
    ]);
    expect(rows[0]).toMatchObject({
      region: "0560R001",
      index: null,
      v2_forgymnasial: null,
      omradestyp: "3",
      status: "..",
    });
    expect(rows[1]).toMatchObject({ region: "0560R002", index: 13.3, omradestyp: "2", status: null });
  });
});

describe("rules", () => {
  it("are configurable and reject nonsense", () => {
    expect(resolveRules({ countMin: 3 }).countMin).toBe(3);
    expect(() => resolveRules({ moneyDominance: 1.5 })).toThrow(
      /moneyDominance must be a number in \(0, 1\]/,
    );
    expect(() => resolveRules({ countMin: 0 })).toThrow(/countMin must be an integer ≥ 1/);
  });

  it("a stricter count rule suppresses more", async () => {
    const con = await database();
    await exec(
      con,
      `CREATE TABLE segregation_raw AS SELECT 2022::SMALLINT AS ar, 'kommun' AS niva, '0560' AS region, 'deso' AS enhet,
         'utrikes_fodd' AS indelning, 'utrikes' AS grupp, 'D' AS matt, 0.3 AS varde, NULL::VARCHAR AS status,
         3 AS befolkade_enheter, 7 AS grupp_antal`,
    );
    // 7 persons pass the default rule (≥ 5) but not a rule of at least 10.
    expect((await protectTables(con)).suppressed).toEqual([]);
    expect((await protectTables(con, { rules: { countMin: 10 } })).suppressed).toEqual([
      { table: "segregation", rule: "antal", cells: 1 },
    ]);
  });
});

describe("witness units of the indicator table", () => {
  it("put a kommun's cells by områdestyp in the kommun's unit, and leave län and riket out", async () => {
    const con = await database();
    const { unit, pool } = indikatorerSpec().witnessUnits ?? { unit: "NULL", pool: "NULL" };
    const rows = await queryRows<{
      niva: string;
      omradestyp: string;
      unit: string | null;
      pool: string | null;
    }>(
      con,
      `SELECT niva, omradestyp, ${unit} AS unit, ${pool} AS pool FROM (VALUES
         ('kommun', '0560', 'totalt'), ('kommun', '0560', '3'), ('lan', '05', '3'), ('riket', '00', 'totalt'))
         v(niva, region, omradestyp)`,
    );
    expect(rows).toEqual([
      { niva: "kommun", omradestyp: "totalt", unit: "0560", pool: "lan 05" },
      { niva: "kommun", omradestyp: "3", unit: "0560", pool: "lan 05" },
      { niva: "lan", omradestyp: "3", unit: null, pool: null },
      { niva: "riket", omradestyp: "totalt", unit: null, pool: null },
    ]);
  });
});
