/**
 * Bounds propagated over the relations (data-loaders/sdc/bounds.ts), on the hand-built 2 × 2 table
 * of counts with published margins used for the LP (lp.test.ts):
 *
 *            k1   k2 | total
 *     r1      3    7 |   10
 *     r2      9    2 |   11
 *     total  12    9 |   21
 */
import { describe, expect, it } from "vitest";
import { exec, openDatabase } from "../../data-loaders/db.ts";
import { ballAround, failsOnBounds, propagateBounds } from "../../data-loaders/sdc/bounds.ts";
import { loadGraph } from "../../data-loaders/sdc/graph.ts";
import type { TableSpec } from "../../data-loaders/sdc/tables.ts";
import { TWO_BY_TWO_MEMBERS } from "./fixtures.ts";

const spec: TableSpec = {
  name: "test",
  raw: "test_raw",
  pub: "test_pub",
  columns: ["ar", "r", "k", "taljare", "namnare", "status"],
  requiredRaw: ["ar", "r", "k", "taljare", "namnare"],
  sort: ["ar", "r", "k"],
  tableKeys: ["ar"],
  cellKeys: ["r", "k"],
  hide: ["taljare", "namnare"],
  additive: ["taljare", "namnare"],
  relations: [{ name: "margin", kind: "eq", child: "true", parent: {} }],
  kind: "'share'",
  cost: "namnare",
  weak: "false",
  primary: () => "NULL",
  quantities: { count: "taljare", numerator: "taljare", denominator: "namnare" },
};

/** Cells 1–4 inner, 5–6 row totals, 7–8 column totals, 9 the grand total; one value per column. */
async function graphOf(
  suppressed: number[],
  values: { taljare: number[]; namnare: number[] },
  kind = "count",
  numeratorRelations = true,
) {
  const con = await openDatabase({ threads: 1 });
  const keys = [
    ["r1", "k1"],
    ["r1", "k2"],
    ["r2", "k1"],
    ["r2", "k2"],
    ["r1", "totalt"],
    ["r2", "totalt"],
    ["totalt", "k1"],
    ["totalt", "k2"],
    ["totalt", "totalt"],
  ];
  const rows = keys.map(([r, k], i) => {
    const sup = suppressed.includes(i + 1);
    return `(${i + 1}, 1, 2022, '${r}', '${k}', ${values.taljare[i]}, ${values.namnare[i]}, '${kind}', ${sup ? "'sekundar'" : "NULL"}, ${sup})`;
  });
  await exec(
    con,
    `CREATE TABLE t_cells AS SELECT * FROM (VALUES ${rows.join(", ")})
       v(id, tk, ar, r, k, taljare, namnare, kind, rule, sup);
     CREATE TABLE t_groups AS SELECT range + 1 AS grp, ${numeratorRelations} AS valid_taljare,
       ${numeratorRelations} AS eq_taljare,
       true AS valid_namnare, true AS eq_namnare FROM range(6);
     ${TWO_BY_TWO_MEMBERS}`,
  );
  return loadGraph(con, "t", spec);
}

const COUNTS = [3, 7, 9, 2, 10, 11, 12, 9, 21];
const interval = (b: ReturnType<typeof propagateBounds>, col: number, cell: number) => [
  b.lo[col][cell - 1],
  b.hi[col][cell - 1],
];

describe("propagateBounds", () => {
  it("follows a chain of relations with one unknown each to the exact values", async () => {
    // x21 = 9 published: x11 = 12 − 9 = 3, then x12 = 10 − 3 = 7, then x22 = 9 − 7 = 2.
    const graph = await graphOf([1, 2, 4], { taljare: COUNTS, namnare: COUNTS });
    const bounds = propagateBounds(graph, spec, () => true);
    expect([1, 2, 4].map((c) => interval(bounds, 0, c))).toEqual([
      [3, 3],
      [7, 7],
      [2, 2],
    ]);
    const requirement = {
      cell: 1,
      rule: "antal",
      quantity: "taljare",
      terms: [{ column: "taljare", coef: 1 }],
      sense: "max" as const,
      bound: 5,
    };
    expect(failsOnBounds(bounds, spec, requirement)).toEqual({ fails: true, interval: [3, 3] });
  });

  it("gives intervals that contain the exact ones, here equal to them", async () => {
    // All four hidden: x11 = t, x12 = 10 − t, x21 = 12 − t, x22 = t − 1 with 1 ≤ t ≤ 10 (the LP's
    // intervals). The shuttle finds the same: x11 ≥ 12 − 11 from column k1, x11 ≤ 10 from row r1.
    const graph = await graphOf([1, 2, 3, 4], { taljare: COUNTS, namnare: COUNTS });
    const bounds = propagateBounds(graph, spec, () => true);
    expect([1, 2, 3, 4].map((c) => interval(bounds, 0, c))).toEqual([
      [1, 10],
      [0, 9],
      [2, 11],
      [0, 9],
    ]);
    // Without the sign constraint nothing bounds them: the rectangle moves freely.
    const free = propagateBounds(graph, spec, () => false);
    expect(interval(free, 0, 1)).toEqual([Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]);
  });

  it("checks locally with looser bounds: the cells outside keep their loosest", async () => {
    // As the chain above, but only x12 may be tightened: its relations see x11 and x22 at
    // [0, ∞), so x12 ≤ min(10, 9) instead of exactly 7 — outer bounds still, only looser.
    const graph = await graphOf([1, 2, 4], { taljare: COUNTS, namnare: COUNTS });
    const mask = new Uint8Array(graph.cells);
    mask[1] = 1;
    const bounds = propagateBounds(graph, spec, () => true, mask);
    expect(interval(bounds, 0, 2)).toEqual([0, 9]);
    expect(interval(bounds, 0, 1)).toEqual([0, Number.POSITIVE_INFINITY]);
    // One relation out from x12 lie the hidden x11 (row r1) and x22 (column k2); published
    // cells are constants and do not widen the ball.
    const ball = ballAround(graph, [1], 1);
    expect([...ball].flatMap((m, c) => (m ? [c + 1] : []))).toEqual([1, 2, 4]);
  });

  it("holds a share's numerator below its denominator", async () => {
    // x11 and x12 hidden in both columns; the numerators' relations do not hold (as for a net
    // count), so only numerator ≤ denominator bounds them. The denominators are pinned by the
    // published x21 and x22: x11 = 12 − 9 = 3, x12 = 9 − 2 = 7. So x11's numerator lies in [0, 3].
    const taljare = [2, 5, 8, 1, 0, 0, 0, 0, 0];
    const graph = await graphOf([1, 2], { taljare, namnare: COUNTS }, "share", false);
    const bounds = propagateBounds(graph, spec, () => true);
    expect(interval(bounds, 1, 1)).toEqual([3, 3]);
    expect(interval(bounds, 0, 1)).toEqual([0, 3]);
    expect(interval(bounds, 0, 2)).toEqual([0, 7]);
  });

  it("widens a bound by what rounding leaves of a relation, never tightening past the truth", async () => {
    // Row r1's total published as 9.9999996 against 3 + 7: the relation holds within the
    // tolerance of cells.ts. Taken exactly, row r1 gives x11 ≤ 9.9999996 − 7 = 2.9999996 while
    // column k1 gives x11 ≥ 12 − 9 = 3: bounds that exclude the true table. Widened by the
    // residual (4e-7) they keep it.
    const taljare = [3, 7, 9, 2, 9.9999996, 11, 12, 9, 20.9999996];
    const graph = await graphOf([1], { taljare, namnare: taljare });
    const bounds = propagateBounds(graph, spec, () => true);
    const [lo, hi] = interval(bounds, 0, 1);
    expect(lo).toBeLessThanOrEqual(3);
    expect(hi).toBeGreaterThanOrEqual(3);
    expect(hi - lo).toBeLessThan(1e-5);
  });
});
