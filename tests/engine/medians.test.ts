/** Exact medians per grouping set (data-loaders/engine/medians.ts) on hand-built persons. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Connection } from "../../data-loaders/db.ts";
import { exec, openDatabase, queryRows } from "../../data-loaders/db.ts";
import { computeMedianCells, interpolateMedian } from "../../data-loaders/engine/medians.ts";

const REGION_OF = { riket: null, lan: "g_lan", kommun: "g_kommun", regso: "g_regso", deso: "g_deso" };
const GROUPS = ["ar", "g_lan", "g_kommun", "g_regso", "g_deso", "g_omradestyp", "b_kon", "b_bakgrund"];
const AGGREGATES = [
  { alias: "a0", fn: "median" as const },
  { alias: "a1", fn: "count" as const },
];
const DIMENSIONS = [
  {
    dim: "none",
    sets: [
      ["ar"],
      ["ar", "b_kon"],
      ["ar", "g_lan"],
      ["ar", "g_lan", "b_kon"],
      ["ar", "g_deso"],
      ["ar", "g_deso", "b_kon"],
    ],
  },
  {
    dim: "bakgrund",
    sets: [
      ["ar", "b_bakgrund"],
      ["ar", "b_bakgrund", "b_kon"],
      ["ar", "g_kommun", "b_bakgrund"],
    ],
  },
];

interface Row {
  ar: number;
  niva: string;
  region: string;
  kon: string;
  dim: string;
  val: string | null;
  a0: number | null;
  a1: number;
}

async function createInput(con: Connection, rows: string[]): Promise<void> {
  await exec(
    con,
    `CREATE OR REPLACE TABLE rdi_median_input (ar SMALLINT, g_lan VARCHAR, g_kommun VARCHAR, g_regso VARCHAR,
       g_deso VARCHAR, g_omradestyp VARCHAR, b_kon VARCHAR, b_bakgrund VARCHAR, c_a0 BOOLEAN, v_a0 DOUBLE,
       c_a1 BOOLEAN)`,
  );
  await exec(con, `INSERT INTO rdi_median_input VALUES ${rows.join(", ")}`);
}

describe("computeMedianCells on nine persons", () => {
  let con: Connection;
  let rows: Row[];
  beforeAll(async () => {
    con = await openDatabase({ threads: 1 });
    // Persons 5 and 8 fail the condition; person 7 passes it without a value; person 9 has no bakgrund.
    const person = (deso: string, kon: string, bakgrund: string | null, c: boolean, v: number | null) => {
      const [lan, kommun, regso] = deso === "D3" ? ["02", "0201", "R2"] : ["01", "0101", "R1"];
      const b = bakgrund === null ? "NULL" : `'${bakgrund}'`;
      return `(2022, '${lan}', '${kommun}', '${regso}', '${deso}', 'A', '${kon}', ${b}, ${c}, ${v ?? "NULL"}, ${c})`;
    };
    await createInput(con, [
      person("D1", "1", "svensk", true, 10),
      person("D1", "2", "svensk", true, 30),
      person("D1", "1", "utlandsk", true, 20),
      person("D2", "2", "utlandsk", true, 50),
      person("D2", "1", "svensk", false, 1000),
      person("D3", "2", "svensk", true, 40),
      person("D3", "1", "utlandsk", true, null),
      person("D3", "1", "svensk", false, 5),
      person("D3", "2", null, true, 60),
    ]);
    await computeMedianCells(con, {
      input: "rdi_median_input",
      target: "cells",
      groupColumns: GROUPS,
      aggregates: AGGREGATES,
      dimensions: DIMENSIONS,
      regionOf: REGION_OF,
    });
    rows = await queryRows<Row>(con, "SELECT * REPLACE (ar::INTEGER AS ar, a1::INTEGER AS a1) FROM cells");
  });
  afterAll(() => con.closeSync());

  const find = (niva: string, region: string, kon: string, dim = "none", val: string | null = null) => {
    const found = rows.filter(
      (r) => r.niva === niva && r.region === region && r.kon === kon && r.dim === dim && r.val === val,
    );
    expect(found).toHaveLength(1);
    return { median: found[0].a0, count: found[0].a1, ar: found[0].ar };
  };

  it("riket: 10, 20, 30, 40, 50, 60 → (30 + 40) / 2; the count includes the person without a value", () => {
    expect(find("riket", "00", "totalt")).toEqual({ median: 35, count: 7, ar: 2022 });
  });

  it("by kön: men 10, 20 → 15 (3 counted); women 30, 40, 50, 60 → 45", () => {
    expect(find("riket", "00", "1")).toMatchObject({ median: 15, count: 3 });
    expect(find("riket", "00", "2")).toMatchObject({ median: 45, count: 4 });
  });

  it("län: 01 has 10, 30, 20, 50 → 25 (1000 excluded by the condition); 02 has 40, 60 → 50", () => {
    expect(find("lan", "01", "totalt")).toMatchObject({ median: 25, count: 4 });
    expect(find("lan", "01", "1")).toMatchObject({ median: 15, count: 2 });
    expect(find("lan", "02", "totalt")).toMatchObject({ median: 50, count: 3 });
  });

  it("a group whose only qualifying person has no value, and one with nobody qualifying: NULL", () => {
    expect(find("lan", "02", "1")).toMatchObject({ median: null, count: 1 });
    expect(find("deso", "D2", "1")).toMatchObject({ median: null, count: 0 });
  });

  it("DeSO with an odd count: 10, 30, 20 → the middle value 20", () => {
    expect(find("deso", "D1", "totalt")).toMatchObject({ median: 20, count: 3 });
    expect(find("deso", "D1", "2")).toMatchObject({ median: 30, count: 1 });
  });

  it("bakgrund: svensk 10, 30, 40 → 30; utländsk 20, 50 → 35; no cell for the missing bakgrund", () => {
    expect(find("riket", "00", "totalt", "bakgrund", "svensk")).toMatchObject({ median: 30, count: 3 });
    expect(find("riket", "00", "totalt", "bakgrund", "utlandsk")).toMatchObject({ median: 35, count: 3 });
    expect(find("riket", "00", "1", "bakgrund", "utlandsk")).toMatchObject({ median: 20, count: 2 });
    expect(find("kommun", "0201", "totalt", "bakgrund", "svensk")).toMatchObject({ median: 40, count: 1 });
    expect(find("kommun", "0201", "totalt", "bakgrund", "utlandsk")).toMatchObject({
      median: null,
      count: 1,
    });
    expect(rows.filter((r) => r.dim === "bakgrund" && r.val === null)).toEqual([]);
  });

  it("one cell per existing group: 1 + 2 + 2 + 4 + 3 + 6 (none) and 2 + 4 + 4 (bakgrund)", () => {
    // Every DeSO and län has both kön; bakgrund × kön: svensk men (1, 5, 8) and women (2, 6),
    // utländsk men (3, 7) and a woman (4); kommun × bakgrund: both in 0101 and 0201. The NULL
    // bakgrund of person 9 gives no cell.
    expect(rows.filter((r) => r.dim === "none")).toHaveLength(1 + 2 + 2 + 4 + 3 + 6);
    expect(rows.filter((r) => r.dim === "bakgrund")).toHaveLength(2 + 4 + 4);
  });
});

/** A fixed linear congruential sequence in [0, 1): deterministic, with many ties among the groups. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/**
 * Rows of dimension none in `cells` that differ from DuckDB's own GROUPING SETS over
 * rdi_median_input (a0 by quantile_cont, a1 by count, and `more` aggregates), both ways.
 */
async function differencesFromDuckDb(con: Connection, more: string): Promise<number> {
  const sets = DIMENSIONS[0].sets.map((s) => `(${s.join(", ")})`).join(", ");
  const [{ n }] = await queryRows<{ n: number }>(
    con,
    `WITH expected AS (
       SELECT ar, CASE WHEN GROUPING(g_deso) = 0 THEN 'deso' WHEN GROUPING(g_lan) = 0 THEN 'lan' ELSE 'riket' END AS niva,
              coalesce(g_deso, g_lan, '00') AS region,
              CASE WHEN GROUPING(b_kon) = 1 THEN 'totalt' ELSE b_kon END AS kon, 'none' AS dim, NULL::VARCHAR AS val,
              quantile_cont(v_a0, 0.5) FILTER (WHERE c_a0) AS a0, count(*) FILTER (WHERE c_a1) AS a1${more}
       FROM rdi_median_input GROUP BY GROUPING SETS (${sets})),
     got AS (SELECT * FROM cells WHERE dim = 'none')
     SELECT count(*)::INTEGER AS n FROM (
       (SELECT * FROM expected EXCEPT ALL SELECT * FROM got) UNION ALL (SELECT * FROM got EXCEPT ALL SELECT * FROM expected))`,
  );
  return n;
}

describe("computeMedianCells equals DuckDB's quantile_cont", () => {
  it("bit for bit on 2,000 pseudo-random persons with fractional values", async () => {
    const con = await openDatabase({ threads: 1 });
    const next = lcg(12345);
    const values: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const deso = ["D1", "D2", "D3", "D4"][Math.floor(next() * 4)];
      const lan = deso <= "D2" ? "01" : "02";
      const kon = next() < 0.5 ? "1" : "2";
      const bakgrund = next() < 0.5 ? "'svensk'" : "'utlandsk'";
      const c = next() < 0.8;
      const v = next() < 0.05 ? "NULL" : `${next() * 10 ** Math.floor(next() * 8)}::DOUBLE`;
      values.push(
        `(2022, '${lan}', 'K${lan}', 'R${deso}', '${deso}', 'A', '${kon}', ${bakgrund}, ${c}, ${v}, ${c})`,
      );
    }
    await createInput(con, values);
    await computeMedianCells(con, {
      input: "rdi_median_input",
      target: "cells",
      groupColumns: GROUPS,
      aggregates: AGGREGATES,
      dimensions: [DIMENSIONS[0]],
      regionOf: REGION_OF,
    });
    const diff = await differencesFromDuckDb(con, "");
    const total = await queryRows<{ n: number }>(
      con,
      "SELECT count(*)::INTEGER AS n FROM cells WHERE a0 IS NOT NULL",
    );
    con.closeSync();
    expect(total[0].n).toBe(1 + 2 + 2 + 4 + 4 + 8);
    expect(diff).toBe(0);
  });

  it("on two threads: the same rows in the same order, with a second median in its own value order", async () => {
    const next = lcg(777);
    const values: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const deso = ["D1", "D2", "D3", "D4", "D5"][Math.floor(next() * 5)];
      const lan = deso <= "D2" ? "01" : "02";
      const kon = next() < 0.5 ? "1" : "2";
      const bakgrund = next() < 0.1 ? "NULL" : next() < 0.5 ? "'svensk'" : "'utlandsk'";
      const v = (p: number) => (next() < p ? "NULL" : `${Math.floor(next() * 1000) / 8}::DOUBLE`);
      values.push(
        `(2022, '${lan}', 'K${lan}', 'R${deso}', '${deso}', 'A', '${kon}', ${bakgrund}, ${next() < 0.8}, ${v(0.05)},
          ${next() < 0.7}, ${next() < 0.6}, ${v(0.2)})`,
      );
    }
    const rowsOn = async (threads: number) => {
      const con = await openDatabase({ threads: 1 });
      await exec(
        con,
        `CREATE TABLE rdi_median_input (ar SMALLINT, g_lan VARCHAR, g_kommun VARCHAR, g_regso VARCHAR,
           g_deso VARCHAR, g_omradestyp VARCHAR, b_kon VARCHAR, b_bakgrund VARCHAR, c_a0 BOOLEAN, v_a0 DOUBLE,
           c_a1 BOOLEAN, c_a2 BOOLEAN, v_a2 DOUBLE);
         INSERT INTO rdi_median_input VALUES ${values.join(", ")}`,
      );
      await computeMedianCells(con, {
        input: "rdi_median_input",
        target: "cells",
        groupColumns: GROUPS,
        aggregates: [...AGGREGATES, { alias: "a2", fn: "median" }],
        dimensions: DIMENSIONS,
        regionOf: REGION_OF,
        threads,
        parallelFrom: 0,
      });
      const rows = await queryRows<Row & { a2: number | null }>(con, "SELECT * FROM cells ORDER BY rowid");
      // Dimension none against DuckDB's own medians, both of them.
      const n = await differencesFromDuckDb(con, ", quantile_cont(v_a2, 0.5) FILTER (WHERE c_a2) AS a2");
      con.closeSync();
      expect(n).toBe(0);
      return rows;
    };
    const one = await rowsOn(1);
    // none: 1 + 2 + 2 + 4 + 5 + 10 cells; bakgrund: 2 + 4 + 4.
    expect(one.length).toBe(24 + 10);
    expect(one.filter((r) => r.a2 !== null).length).toBe(34);
    expect(await rowsOn(2)).toEqual(one);
  });

  it("interpolates like DuckDB: the middle value for an odd count, lo / 2 + hi / 2 for an even one", async () => {
    expect(interpolateMedian(3, 3, 5)).toBe(3);
    expect(interpolateMedian(1, 4, 2)).toBe(2.5);
    // Pairs where (lo + hi) / 2 or lo + (hi - lo) / 2 round differently (or overflow).
    const pairs: [number, number][] = [
      [0.1, 0.7],
      [1e308, 1.7e308],
    ];
    expect(interpolateMedian(0.1, 0.7, 2)).toBe(0.05 + 0.35);
    expect(interpolateMedian(1e308, 1.7e308, 2)).toBe(1.35e308);
    const con = await openDatabase({ threads: 1 });
    for (const [lo, hi] of pairs) {
      const rows = await queryRows<{ m: number }>(
        con,
        `SELECT quantile_cont(v, 0.5) AS m FROM (VALUES (${lo}::DOUBLE), (${hi}::DOUBLE)) t(v)`,
      );
      expect(interpolateMedian(lo, hi, 2)).toBe(rows[0].m);
    }
    con.closeSync();
  });
});
