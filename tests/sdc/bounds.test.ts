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
import { ballAround, boundsOnRows, failsOnBounds, propagateBounds } from "../../data-loaders/sdc/bounds.ts";
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

describe("boundsOnRows", () => {
  it("bounds an LP's columns by its rows, to the interval each row allows", () => {
    // x0, x1, x2 ≥ 0 and x3, x4 free, with
    //   x0 + x1 = 10,   x1 − x2 ≥ 7,   x0 + x2 ≤ 2,   x3 − x0 = 0,   x4 + x1 ≤ 9.
    // By hand: x0 ≤ 2 and x2 ≤ 2 (third row); x1 = 10 − x0 ∈ [8, 10] (first); x1 − x2 ≥ 7 leaves
    // x2 ≤ 3 only, looser; x3 = x0 ∈ [0, 2] (fourth), once x0 has an upper bound; x4 ≤ 9 − 8 = 1
    // (fifth), with no lower bound, and the fifth row bounds x1 not at all, as x4 has none. These
    // are exact: (x0, …, x4) = (2, 8, 0, 2, 1) and (0, 10, 2, 0, −1) are feasible.
    const rows = {
      lower: Float64Array.from([10, 7, Number.NEGATIVE_INFINITY, 0, Number.NEGATIVE_INFINITY]),
      upper: Float64Array.from([10, Number.POSITIVE_INFINITY, 2, 0, 9]),
      starts: Int32Array.from([0, 2, 4, 6, 8, 10]),
      indices: Int32Array.from([0, 1, 1, 2, 0, 2, 3, 0, 4, 1]),
      values: Float64Array.from([1, 1, 1, -1, 1, 1, 1, -1, 1, 1]),
    };
    const inf = Number.POSITIVE_INFINITY;
    const own = () => Float64Array.from([0, 0, 0, -inf, -inf]);
    const { lo, hi } = boundsOnRows(rows, 5, own(), new Float64Array(5).fill(inf));
    const expected = [
      [0, 2],
      [8, 10],
      [0, 2],
      [0, 2],
      [-inf, 1],
    ];
    expected.forEach(([l, h], i) => {
      if (Number.isFinite(l)) expect(lo[i]).toBeCloseTo(l, 5);
      else expect(lo[i]).toBe(l);
      expect(hi[i]).toBeCloseTo(h, 5);
      // Widened, never tightened past the truth.
      expect(lo[i]).toBeLessThanOrEqual(l);
      expect(hi[i]).toBeGreaterThanOrEqual(h);
    });
    // Rows past `count` are not read: without the last two, x3 and x4 keep their own bounds.
    const three = boundsOnRows(rows, 3, own(), new Float64Array(5).fill(inf));
    expect([three.lo[3], three.hi[3], three.lo[4], three.hi[4]]).toEqual([-inf, inf, -inf, inf]);
  });

  it("widens each bound it finds, so that rounding keeps the true table inside", () => {
    // x0 + x1 = 0.3 with x1 ≥ 0.1: x0 = 0.2 at most. In floating point 0.3 − 0.1 is
    // 0.19999999999999998, which would cut off the true x0 = 0.2.
    const rows = {
      lower: Float64Array.from([0.3]),
      upper: Float64Array.from([0.3]),
      starts: Int32Array.from([0, 2]),
      indices: Int32Array.from([0, 1]),
      values: Float64Array.from([1, 1]),
    };
    const { hi } = boundsOnRows(rows, 1, Float64Array.from([0, 0.1]), Float64Array.from([1, 1]));
    expect(hi[0]).toBeGreaterThanOrEqual(0.2);
    expect(hi[0]).toBeLessThan(0.2 + 1e-6);
  });
});
