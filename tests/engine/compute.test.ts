/** Stage 1 of the indicator engine (data-loaders/engine/compute.ts): packed counts, run in DuckDB. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Connection } from "../../data-loaders/db.ts";
import { exec, openDatabase, queryRows } from "../../data-loaders/db.ts";
import { stage1Aggregates } from "../../data-loaders/engine/compute.ts";

let con: Connection;

beforeAll(async () => {
  con = await openDatabase({ threads: 1 });
  // Ten persons in two groups. Group A: ages 20, 30, 40, 50, 60, 70 with incomes 100 … 600;
  // group B: ages 25, 35, NULL, 80 with incomes -50, 0, 10, NULL.
  await exec(
    con,
    `CREATE TABLE persons AS SELECT * FROM (VALUES
       ('A', 20, 100), ('A', 30, 200), ('A', 40, 300), ('A', 50, 400), ('A', 60, 500), ('A', 70, 600),
       ('B', 25, -50), ('B', 35, 0), ('B', NULL, 10), ('B', 80, NULL)
     ) t(g, alder, ink)`,
  );
});
afterAll(() => con.closeSync());

async function stage1(aggregates: Parameters<typeof stage1Aggregates>[0]) {
  const { selects, unpack } = stage1Aggregates(aggregates);
  await exec(con, `CREATE OR REPLACE TABLE s AS SELECT g, ${selects.join(", ")} FROM persons GROUP BY g`);
  const aliases = aggregates.map((a) => a.alias);
  return queryRows<Record<string, unknown>>(
    con,
    `SELECT g, ${aliases.map((a) => `${a}::DOUBLE AS ${a}`).join(", ")}
     FROM (SELECT s.* ${unpack.map((u) => `, ${u}`).join("")} FROM s) ORDER BY g`,
  );
}

describe("stage1Aggregates", () => {
  it("packs counts two to a column and unpacks each to its own count (an odd one alone)", async () => {
    const { selects, unpack } = stage1Aggregates([
      { alias: "a0", fn: "count", cond: "alder >= 30" },
      { alias: "a1", fn: "count", cond: "true" },
      { alias: "a2", fn: "count", cond: "alder < 30" },
    ]);
    expect(selects).toHaveLength(2);
    expect(unpack).toHaveLength(3);
    // A: ages ≥ 30 are 30…70 (5), all 6, < 30 only 20 (1).
    // B: ≥ 30 are 35 and 80 (2; NULL age is not counted), all 4, < 30 only 25 (1).
    expect(
      await stage1([
        { alias: "a0", fn: "count", cond: "alder >= 30" },
        { alias: "a1", fn: "count", cond: "true" },
        { alias: "a2", fn: "count", cond: "alder < 30" },
      ]),
    ).toEqual([
      { g: "A", a0: 5, a1: 6, a2: 1 },
      { g: "B", a0: 2, a1: 4, a2: 1 },
    ]);
  });

  it("keeps the second count of a pair apart even when the first is large", async () => {
    // 3,000,000 persons pass the first condition and 7 the second: 3,000,000 ≥ 2^21, so a field
    // narrower than 31 bits would carry into the second count.
    await exec(con, "CREATE OR REPLACE TABLE many AS SELECT i FROM range(3000000) r(i)");
    const { selects, unpack } = stage1Aggregates([
      { alias: "a0", fn: "count", cond: "true" },
      { alias: "a1", fn: "count", cond: "i < 7" },
    ]);
    const rows = await queryRows<{ a0: number; a1: number }>(
      con,
      `SELECT a0::DOUBLE AS a0, a1::DOUBLE AS a1
       FROM (SELECT ${unpack.join(", ")} FROM (SELECT ${selects.join(", ")} FROM many) s)`,
    );
    expect(rows).toEqual([{ a0: 3_000_000, a1: 7 }]);
  });

  it("sums and takes the maximum over the persons meeting the condition, NULL when none does", async () => {
    // Ages 20–64: A has 100…500 (sum 1500, max 500); B has -50 and 0 (sum -50, max 0).
    // Age ≥ 75: A none (NULL), B the 80-year-old whose income is NULL (NULL).
    expect(
      await stage1([
        { alias: "a0", fn: "sum", cond: "alder BETWEEN 20 AND 64", value: "ink" },
        { alias: "a1", fn: "max", cond: "alder BETWEEN 20 AND 64", value: "ink" },
        { alias: "a2", fn: "sum", cond: "alder >= 75", value: "ink" },
        { alias: "a3", fn: "count", cond: "alder BETWEEN 20 AND 64" },
      ]),
    ).toEqual([
      { g: "A", a0: 1500, a1: 500, a2: null, a3: 5 },
      { g: "B", a0: -50, a1: 0, a2: null, a3: 2 },
    ]);
  });
});
