/**
 * Witness tables without an LP (data-loaders/sdc/witness.ts), on the hand-built kommun of
 * kommun-fixture.ts (K published) and on kommuner by kön × age class.
 */
import { describe, expect, it } from "vitest";
import type { Connection } from "../../data-loaders/db.ts";
import { exec, openDatabase } from "../../data-loaders/db.ts";
import { loadGraph } from "../../data-loaders/sdc/graph.ts";
import { findExposures, type Requirement } from "../../data-loaders/sdc/lp.ts";
import { resolveRules } from "../../data-loaders/sdc/rules.ts";
import type { TableSpec } from "../../data-loaders/sdc/tables.ts";
import { loadUnits, proveByWitnesses } from "../../data-loaders/sdc/witness.ts";
import { kommun, requirementsOf, spec } from "./kommun-fixture.ts";

/** Classes of one breakdown: each relation a parent class and the classes that add up to it. */
type ClassRelations = [string, string[]][];
const AGE_CLASSES: ClassRelations = [["tot", ["a1", "a2"]]];

/**
 * Kommuner by kön (t, 1, 2) × class (by default age: tot = a1 + a2), and with "L" among
 * `values` their län (L = Σ kommuner, cell by cell); `values` lists each region's cells class by
 * class, kön t, 1, 2 within each; `hidden` says which cells are suppressed. Counts of 1–4 among
 * them answer to the count rule, the others are secondary. Each of `ties` (region, kön, class)
 * gets a suppressed child outside every unit that equals it, as a RegSO that is a kommun's only one,
 * or children that add up to it (`parts`); with `below`, each child is a unit of its own below the
 * kommun, tied by kommun ≥ Σ RegSO (as regso_kommun) with no room.
 */
async function kommunerByClass(
  values: Record<string, number[]>,
  hidden: (region: string, kon: string, klass: string) => boolean,
  relations: ClassRelations = AGE_CLASSES,
  ties: [string, string, string, number[]?][] = [],
  below = false,
) {
  const con = await openDatabase({ threads: 1 });
  const classes = [...new Set(relations.flatMap(([parent, children]) => [parent, ...children]))];
  const slices = classes.flatMap((klass) => ["t", "1", "2"].map((kon) => [kon, klass]));
  const regions = Object.keys(values);
  const id = (region: string, kon: string, klass: string) =>
    regions.indexOf(region) * slices.length + slices.findIndex(([k, a]) => k === kon && a === klass) + 1;
  const cells = regions.flatMap((region) =>
    slices.map(([kon, klass], i) => {
      const v = values[region][i];
      const sup = hidden(region, kon, klass);
      const rule = sup && v < 5 ? "'antal'" : sup ? "'sekundar'" : "NULL";
      const niva = region === "L" ? "lan" : "kommun";
      return `(${id(region, kon, klass)}, 1, 2022, '${niva}', '${region}', '${kon}', '${klass}', ${v}, 'count', ${rule}, ${sup})`;
    }),
  );
  const members: string[] = [];
  const inequalities: number[] = [];
  let g = 0;
  const group = (parent: number, children: number[], kind: "eq" | "ge" = "eq") => {
    g++;
    if (kind === "ge") inequalities.push(g);
    members.push(`(${g}, ${parent}, true)`, ...children.map((c) => `(${g}, ${c}, false)`));
  };
  for (const region of regions) {
    for (const klass of classes)
      group(id(region, "t", klass), [id(region, "1", klass), id(region, "2", klass)]);
    for (const kon of ["t", "1", "2"])
      for (const [parent, children] of relations)
        group(
          id(region, kon, parent),
          children.map((child) => id(region, kon, child)),
        );
  }
  let tie = regions.length * slices.length;
  ties.forEach(([region, kon, klass, parts], k) => {
    const v = values[region][slices.findIndex(([a, b]) => a === kon && b === klass)];
    const children = (parts ?? [v]).map((part, i) => {
      cells.push(
        `(${++tie}, 1, 2022, 'regso', '${region}R${k}.${i}', '${kon}', '${klass}', ${part}, 'count', 'sekundar', true)`,
      );
      return tie;
    });
    group(id(region, kon, klass), children, below ? "ge" : "eq");
  });
  const kommuner = regions.filter((r) => r !== "L");
  if (regions.includes("L"))
    for (const [kon, klass] of slices)
      group(
        id("L", kon, klass),
        kommuner.map((k) => id(k, kon, klass)),
      );
  await exec(
    con,
    `CREATE TABLE t_cells AS SELECT * FROM (VALUES ${cells.join(", ")})
       v(id, tk, ar, niva, region, kon, alder, antal, kind, rule, sup);
     CREATE TABLE t_groups AS SELECT range + 1 AS grp, true AS valid_antal,
       range + 1 NOT IN (${[0, ...inequalities].join(", ")}) AS eq_antal FROM range(${g});
     CREATE TABLE t_members AS SELECT * FROM (VALUES ${members.join(", ")}) v(grp, id, is_parent);`,
  );
  const kommunSpec: TableSpec = {
    ...spec,
    witnessUnits: {
      unit: `CASE WHEN niva = 'kommun' ${below ? "OR niva = 'regso'" : ""} THEN region END`,
      parent: "NULL",
      pool: "CASE WHEN niva = 'kommun' THEN 'L' END",
      slice: "kon || '|' || alder",
    },
  };
  return { con, kommunSpec, id };
}

/**
 * The kommun of kommun-fixture.ts with sums of money (D1 = 1000 = 600 + 400, D2 = 1000 = 500 + 500,
 * D3 = 100 = 50 + 50, R1 = D1 + D2, R2 = D3, K = R1 + R2), `published` as there: which of the
 * bounds (sense, bound) on the money of one cell witness tables prove.
 */
async function proveMoney(
  published: string[],
  region: string,
  slice: number,
  bounds: ["max" | "min", number][],
): Promise<number[]> {
  const { con, id } = await kommun({
    published,
    values: {
      D1: [1000, 600, 400],
      D2: [1000, 500, 500],
      D3: [100, 50, 50],
      R1: [2000, 1100, 900],
      R2: [100, 50, 50],
      K: [2100, 1150, 950],
    },
  });
  const graph = await loadGraph(con, "t", spec);
  const units = await loadUnits(con, "t", spec, graph.cells);
  if (!units) throw new Error("no units");
  const cell = id(region, slice);
  const requirements = bounds.map(
    ([sense, bound]): Requirement => ({
      cell,
      rule: "bidragsgivare",
      quantity: "antal",
      terms: [{ column: "antal", coef: 1 }],
      sense,
      bound,
    }),
  );
  const proven = new Uint8Array(requirements.length);
  const byCell = new Map([[cell - 1, requirements.map((_, r) => r)]]);
  proveByWitnesses(graph, spec, units, requirements, byCell, proven, () => true);
  return [...proven];
}

/** Witness tables alone (LP off) prove all `n` requirements, and nothing is found exposed. */
async function expectWitnessed(con: Connection, tableSpec: TableSpec, n: number, acrossLevels = false) {
  const { exposures, stats } = await findExposures(con, "t", tableSpec, resolveRules({ lpMaxVariables: 0 }), {
    acrossLevels,
  });
  expect(exposures).toEqual([]);
  expect(stats).toEqual({
    requirements: n,
    witnessed: n,
    lps: 0,
    unchecked: 0,
    bounded: 0,
    certified: 0,
    outOfReach: 0,
  });
}

describe("proveByWitnesses", () => {
  it("proves every count of a dark kommun by gathering DeSOs, RegSOs moving along", async () => {
    const { con } = await kommun({ published: ["K"] });
    const { graph, requirements, byCell, units } = await requirementsOf(con);
    // D1 t,1,2; D2 t,1,2; D3 1,2; R1 1,2; R2 1,2 (R1 t = 7 and D3 t = R2 t = 6 pass the rule).
    expect(requirements).toHaveLength(12);
    const proven = new Uint8Array(requirements.length);
    const count = proveByWitnesses(graph, spec, units, requirements, byCell, proven, () => true);
    // Gathering D2 and D3 into D1 gives D1 = R1 = (13, 7, 6); D3 takes D1 and D2 and gives
    // D3 = R2 = (13, 7, 6): every requirement reaches 5, and K stays at its published value.
    expect(count).toBe(12);
    expect([...proven].every((p) => p === 1)).toBe(true);
  });

  it("moves only within the RegSO when the other RegSO is published", async () => {
    const { con, id } = await kommun({ published: ["K", "R2", "D3"] });
    const { graph, requirements, byCell, units } = await requirementsOf(con);
    expect(requirements).toHaveLength(8); // D1 t,1,2; D2 t,1,2; R1 1,2
    const proven = new Uint8Array(requirements.length);
    proveByWitnesses(graph, spec, units, requirements, byCell, proven, () => true);
    // D2 into D1: D1 = (7, 4, 3), and D1 into D2 the same: only the totals reach 5.
    const provenCells = requirements.filter((_, r) => proven[r]).map((r) => r.cell);
    expect(provenCells.sort((a, b) => a - b)).toEqual([id("D1", 0), id("D2", 0)]);
  });

  it("rejects a witness that breaks a relation the attacker uses", async () => {
    // D2's kön relation does not hold (4 ≠ 2 + 1), so it is no equation; R1 = D1 + D2 = (7, 4, 2).
    // Moving D2 into D1 would give D1 = (7, 4, 2), breaking D1's own kön equation: rejected.
    // Moving D1 into D2 leaves D1 = (0, 0, 0), which satisfies it: D2 t = 7 is proven, while
    // D2 1 = 4 and D2 2 = 2 stay short of 5. D1 t is proven by a smaller move instead: two
    // persons of kön 1 from D2 give D1 = (5, 4, 1), which keeps D1's equation, and D2 = (2, 0, 1),
    // which has none; R1 stays. Nothing else can reach 5: D1 1 + D2 1 = R1 1 = 4 and
    // D1 2 + D2 2 = 2, fixed by K − R2.
    const { con, id } = await kommun({
      published: ["K", "R2", "D3"],
      values: { D2: [4, 2, 1], R1: [7, 4, 2], K: [13, 7, 5] },
      broken: ["D2", "R1", "K"],
    });
    const { graph, requirements, byCell, units } = await requirementsOf(con);
    const proven = new Uint8Array(requirements.length);
    expect(proveByWitnesses(graph, spec, units, requirements, byCell, proven, () => true)).toBe(2);
    expect(requirements.filter((_, r) => proven[r]).map((r) => r.cell)).toEqual([id("D1", 0), id("D2", 0)]);
  });

  it("gathers a DeSO whose published cells are empty, as long as nothing moves into them", async () => {
    //          t   1   2
    //     D1   2   2   0 (2 published)    R1   5   5   0
    //     D2   3   3   0 (2 published)    R2   6   3   3
    //     D3   6   3   3                  K   11   8   3   (published)
    // D1 and D2 count nobody of kön 2 and publish that 0; everything else below K is suppressed.
    // D2 gathered into D1 moves nothing into D1's published 0: D1 = (5, 5, 0) proves D1 t and 1,
    // and D1 into D2 proves D2's. D3 takes D1 across the (dark) RegSOs: D3 = R2 = (8, 5, 3) proves
    // D3 1 and R2 1. D3 2 and R2 2 cannot move: R1 2 = D1 2 + D2 2 = 0 is published, so
    // R2 2 = K 2 − R1 2 = 3 exactly.
    const { con, id } = await kommun({
      published: ["K", "D1:2", "D2:2"],
      values: { D1: [2, 2, 0], D2: [3, 3, 0], R1: [5, 5, 0], K: [11, 8, 3] },
    });
    const { graph, requirements, byCell, units } = await requirementsOf(con);
    const proven = new Uint8Array(requirements.length);
    proveByWitnesses(graph, spec, units, requirements, byCell, proven, () => true);
    const provenCells = requirements.filter((_, r) => proven[r]).map((r) => r.cell);
    expect(provenCells).toEqual([
      id("D1", 0),
      id("D1", 1),
      id("D2", 0),
      id("D2", 1),
      id("D3", 1),
      id("R2", 1),
    ]);
    // The LP agrees that the two left are exposed.
    const { exposures } = await findExposures(con, "t", spec, resolveRules({}));
    expect(exposures.map((e) => [e.cell, e.interval[0], e.interval[1]])).toEqual([
      [id("D3", 2), 3, 3],
      [id("R2", 2), 3, 3],
    ]);
  });

  it("proves a lower bound by a swap the other way (money)", async () => {
    // Sums of money by kön; the DeSO totals and everything of R1 and K are published, so D1 and
    // D2 can only trade between kön, in opposite directions:
    //          t      1      2
    //     D1   1000   600    400        R1 = D1 + D2   2000  1100  900   (published)
    //     D2   1000   500    500
    // D1 1 must be able to lie 10 % either side of 600: [540, 660]. D1 1 −60, D1 2 +60 with
    // D2 1 +60, D2 2 −60 keeps every published sum, and so does the opposite.
    // A bound beyond the 1,000 of D1 t (D1 2 cannot go below 0) is out of reach.
    const proven = await proveMoney(["K", "R1", "R2", "D3", "D1:t", "D2:t"], "D1", 1, [
      ["max", 660],
      ["min", 540],
      ["max", 1001],
    ]);
    expect(proven).toEqual([1, 1, 0]);
  });

  it("moves whole kronor enough to pass a bound between two integers", async () => {
    // Sums of money in whole kronor, by kön; D1 and D2 publish kön 2, so neither is dark, and
    // R2 and D3 are published, so D1 trades only with D2:
    //          t      1      2
    //     D1   1000   600    400 (published)    R1 = D1 + D2   2000  1100  900
    //     D2   1000   500    500 (published)
    // D1 t must be able to reach 1,100.5 and fall to 899.5. Persons of kön 1 moving from D2 to D1
    // keep R1 and both kön 2: 100 kr fall short by 0.5 kr, 101 kr give D1 = (1101, 701, 400),
    // D2 = (899, 399, 500); and the same the other way for the lower bound.
    // Beyond R1 1 = 1,100 (all of kön 1 in D1) no move reaches: 1,500.5 stays open.
    const proven = await proveMoney(["K", "R2", "D3", "D1:2", "D2:2"], "D1", 0, [
      ["max", 1100.5],
      ["min", 899.5],
      ["max", 1500.5],
    ]);
    expect(proven).toEqual([1, 1, 0]);
  });

  it("proves a count by a cycle inside one kommun, with no partner", async () => {
    //              t   1   2
    //     totalt  20  12   8      every total published (kön totals, age totals)
    //     20–44    8   3   5      kön × age suppressed
    //     45–64   12   9   3
    // 20–44 kön 1 and 45–64 kön 2 (3 each) must reach 5. Neither a swap within an age class nor
    // one within a kön keeps the published totals; the cycle 20–44 1 +2, 20–44 2 −2, 45–64 1 −2,
    // 45–64 2 +2 keeps them all and shows both at 5.
    const { con, kommunSpec } = await kommunerByClass(
      { K: [20, 12, 8, 8, 3, 5, 12, 9, 3] },
      (_, kon, age) => kon !== "t" && age !== "tot",
    );
    await expectWitnessed(con, kommunSpec, 2);
  });

  it("leaves to the LP what no witness proves, which then finds the exposures", async () => {
    const { con, id } = await kommun({ published: ["K", "R2", "D3"] });
    const { exposures, stats } = await findExposures(con, "t", spec, resolveRules({}));
    expect(stats.witnessed).toBe(2);
    // R1 = K − R2 = (7, 4, 3) exactly, so R1's 1 and 2 are recovered, and D1, D2 by kön lie in
    // [0, 4] and [0, 3]: below 5.
    const found = exposures.map((e) => [e.cell, e.interval[0], e.interval[1]]);
    expect(found).toEqual([
      [id("D1", 1), 0, 4],
      [id("D1", 2), 0, 3],
      [id("D2", 1), 0, 4],
      [id("D2", 2), 0, 3],
      [id("R1", 1), 4, 4],
      [id("R1", 2), 3, 3],
    ]);
  });

  it("lets the LP keep a relation that holds only up to rounding, as the data check does", async () => {
    //          t           1   2
    //     D1   2           2   0                 R1   6   4   2 (2 published)
    //     D2   4.0000004   2   2.0000004 (2 published)
    //     D3   6           3   3                 R2   6   3   3       K   12   7   5 (published)
    // D1 2 = R1 2 − D2 2 = −0.0000004: the relation R1 = D1 + D2 holds within the tolerance with
    // which cells.ts accepts one, but an exact row would leave even the true table outside the
    // LP, since D1 2 ≥ 0 (it threw "ended with status 8", infeasible). With it, the LP finds
    // what an attacker finds: R2 2 = K 2 − R1 2 = 3 = D3 2 exactly, while D1, D2 and kön 1
    // everywhere can reach 5 (D1 1 = 7 with D2 1 = R2 1 = 0).
    const { con, id } = await kommun({
      published: ["K", "R1:2", "D2:2"],
      values: {
        D1: [2, 2, 0],
        D2: [4.0000004, 2, 2.0000004],
        R1: [6, 4, 2],
        K: [12, 7, 5],
      },
    });
    const { exposures } = await findExposures(con, "t", spec, resolveRules({}));
    expect(exposures.map((e) => e.cell)).toEqual([id("D3", 2), id("R2", 2)]);
  });

  it("proves by witness tables with the LP off too, and finds the rest exposed on bounds", async () => {
    const dark = await kommun({ published: ["K"] });
    const all = await findExposures(dark.con, "t", spec, resolveRules({ lpMaxVariables: 0 }));
    expect(all.stats).toEqual({
      requirements: 12,
      lps: 0,
      witnessed: 12,
      unchecked: 0,
      bounded: 0,
      certified: 0,
      outOfReach: 0,
    });
    // With R2 published, R1 = K − R2 = (7, 4, 3) exactly, and D1, D2 by kön are at most R1's:
    // the six exposures the LP finds (above), found here without it.
    const lit = await kommun({ published: ["K", "R2", "D3"] });
    const some = await findExposures(lit.con, "t", spec, resolveRules({ lpMaxVariables: 0 }));
    expect(some.exposures.map((e) => [e.cell, e.interval[0], e.interval[1]])).toEqual([
      [lit.id("D1", 1), 0, 4],
      [lit.id("D1", 2), 0, 3],
      [lit.id("D2", 1), 0, 4],
      [lit.id("D2", 2), 0, 3],
      [lit.id("R1", 1), 4, 4],
      [lit.id("R1", 2), 3, 3],
    ]);
    expect(some.stats).toEqual({
      requirements: 8,
      lps: 0,
      witnessed: 2,
      unchecked: 0,
      bounded: 6,
      certified: 0,
      outOfReach: 0,
    });
  });

  it("swaps persons between kön within DeSOs whose totals are published, RegSOs moving along", async () => {
    //          t   1   2
    //     D1   6   4   2        R1   13   7   6
    //     D2   7   3   4        R2    9   5   4
    //     D3   9   5   4        K    22  12  10
    // Every total published, every kön cell below K suppressed; the counts of 1–4 are D1 1 and 2,
    // D2 1 and 2, D3 2 and R2 2 (the others secondary). No DeSO is dark, so nothing is gathered.
    const { con } = await kommun({
      published: ["K", "D1:t", "D2:t", "D3:t", "R1:t", "R2:t"],
      values: { D1: [6, 4, 2], D2: [7, 3, 4], D3: [9, 5, 4], R1: [13, 7, 6], R2: [9, 5, 4], K: [22, 12, 10] },
    });
    const { graph, requirements, byCell, units } = await requirementsOf(con);
    expect(requirements).toHaveLength(6);
    const proven = new Uint8Array(requirements.length);
    // D1 1 takes 1 from D1 2 while D2 gives 1 back the other way: D1 = (6, 5, 1), D2 = (7, 2, 5),
    // R1 unchanged; likewise for D1 2 (3 moved), D2 1 (2) and D2 2 (1). D3 2 swaps 1 with D1 across
    // the RegSOs: D3 = R2 = (9, 4, 5), D1 = (6, 5, 1), R1 = (13, 8, 5), K unchanged — which also
    // shows R2 2 at 5.
    expect(proveByWitnesses(graph, spec, units, requirements, byCell, proven, () => true)).toBe(6);
  });

  it("swaps between age classes inside a kommun, kön totalt following, mirrored in another kommun", async () => {
    //              totalt        20–44         45–64
    //            t   1   2     t   1   2     t   1   2
    //     K1    20  12   8     8   3   5    12   9   3
    //     K2    30  14  16    13   6   7    17   8   9
    //     L     50  26  24    21   9  12    29  17  12   (published, as are both kommuner's totals)
    // K1's 20–44 kön 1 (3) and 45–64 kön 2 (3) must reach 5. Swapping within the age classes'
    // kön 1 alone would change K1's published kön-1 total, so the swap runs across age classes:
    // 20–44 gains 2 in kön 1 and in totalt, 45–64 loses them, and K2 does the opposite, so every
    // total and L stay.
    const { con, kommunSpec } = await kommunerByClass(
      {
        K1: [20, 12, 8, 8, 3, 5, 12, 9, 3],
        K2: [30, 14, 16, 13, 6, 7, 17, 8, 9],
        L: [50, 26, 24, 21, 9, 12, 29, 17, 12],
      },
      (region, _, age) => region !== "L" && age !== "tot",
    );
    const { exposures, stats } = await findExposures(con, "t", kommunSpec, resolveRules({}));
    expect(exposures).toEqual([]);
    expect(stats).toEqual({
      requirements: 2,
      witnessed: 2,
      lps: 0,
      unchecked: 0,
      bounded: 0,
      certified: 0,
      outOfReach: 0,
    });
  });
  // Kommuner by kön × födelseregion-like classes: tot = sv + ut, ut = v1 + v2 (as totalt =
  // sverige + utrikes and utrikes = Σ vistelsetid). Kön totals and v2 are published, as is L.
  //                  tot           sv            ut            v1            v2
  //               t   1   2     t   1   2     t   1   2     t   1   2     t   1   2
  //     K1       40  20  20    22  12  10    18   8  10     6   1   5    12   7   5
  //     K2       55  30  25    27  15  12    28  15  13    15   9   6    13   6   7
  //     L        95  50  45    49  27  22    46  23  23    21  10  11    25  13  12
  const BORN: ClassRelations = [
    ["tot", ["sv", "ut"]],
    ["ut", ["v1", "v2"]],
  ];
  const born = {
    K1: [40, 20, 20, 22, 12, 10, 18, 8, 10, 6, 1, 5, 12, 7, 5],
    K2: [55, 30, 25, 27, 15, 12, 28, 15, 13, 15, 9, 6, 13, 6, 7],
    L: [95, 50, 45, 49, 27, 22, 46, 23, 23, 21, 10, 11, 25, 13, 12],
  };

  it("proves a count by an exchange: persons of its kind come in, others leave, every published cell stays", async () => {
    // K1's v1 kön 1 (1) must reach 5. Its sibling v2 is published, so no swap within ut and no
    // cycle; its parents ut and tot kön 1 lead to a published total, so no person move. The
    // exchange: K1 gains 4 in v1 and ut (kön 1 and t) and loses 4 in sv (kön 1: 12 → 8, t: 22 →
    // 18); K2 does the opposite (v1 kön 1: 9 → 5, ut kön 1: 15 → 11, sv kön 1: 15 → 19). Every
    // total, every v2 and L stay.
    const { con, kommunSpec } = await kommunerByClass(
      born,
      (region, _, klass) => region !== "L" && klass !== "tot" && klass !== "v2",
      BORN,
    );
    await expectWitnessed(con, kommunSpec, 1);
  });

  it("finds no exchange where the persons leaving are published too, and the LP finds the cell exposed", async () => {
    // With K1's sv kön 1 published as well, ut kön 1 = 20 − 12 = 8 and v1 kön 1 = 8 − 7 = 1.
    const { con, kommunSpec, id } = await kommunerByClass(
      born,
      (region, kon, klass) =>
        region !== "L" &&
        klass !== "tot" &&
        klass !== "v2" &&
        !(region === "K1" && kon === "1" && klass === "sv"),
      BORN,
    );
    const { exposures, stats } = await findExposures(con, "t", kommunSpec, resolveRules({}));
    expect(stats.witnessed).toBe(0);
    expect(exposures.map((e) => [e.cell, e.interval[0], e.interval[1]])).toEqual([
      [id("K1", "1", "v1"), 1, 1],
    ]);
  });
  it("moves persons of the numerator too where a share's cells have too few outside it", async () => {
    // Shares (taljare / namnare) by kön of two kommuner and their län; the kön totals and L are
    // published:           t         1         2
    //             K1     29/42     5/12     24/30
    //             K2     30/52    20/30     10/22
    //             L      59/94    25/42     34/52
    // K1's kön 1 (12 persons) fails the namnare rule and must be able to reach 21: 9 more, taken
    // from K1's kön 2, which K2 mirrors. K1's kön 2 has only 30 − 24 = 6 persons outside its
    // numerator, so 6 move counted in namnare alone (K1 kön 1: 5/18, kön 2: 24/24; K2 kön 1:
    // 20/24, kön 2: 10/28), and 3 more counted in both (K1 kön 1: 8/21, kön 2: 21/21; K2 kön 1:
    // 17/21, kön 2: 13/31). Every share stays within its denominator and every total stays.
    const con = await openDatabase({ threads: 1 });
    const cells: [string, string, number, number, string | null][] = [
      ["K1", "t", 29, 42, null],
      ["K1", "1", 5, 12, "'namnare'"],
      ["K1", "2", 24, 30, "'sekundar'"],
      ["K2", "t", 30, 52, null],
      ["K2", "1", 20, 30, "'sekundar'"],
      ["K2", "2", 10, 22, "'sekundar'"],
      ["L", "t", 59, 94, null],
      ["L", "1", 25, 42, null],
      ["L", "2", 34, 52, null],
    ];
    const rows = cells.map(
      ([region, kon, taljare, namnare, rule], i) =>
        `(${i + 1}, 1, 2022, '${region === "L" ? "lan" : "kommun"}', '${region}', '${kon}', ${taljare}, ${namnare}, 'share', ${rule ?? "NULL"}, ${rule !== null})`,
    );
    // Groups: kön within K1, K2 and L (parents 1, 4, 7), then L = K1 + K2 for kön t, 1 and 2.
    const members = [
      [1, 1, 2, 3],
      [2, 4, 5, 6],
      [3, 7, 8, 9],
      [4, 7, 1, 4],
      [5, 8, 2, 5],
      [6, 9, 3, 6],
    ].flatMap(([g, parent, ...children]) => [
      `(${g}, ${parent}, true)`,
      ...children.map((c) => `(${g}, ${c}, false)`),
    ]);
    await exec(
      con,
      `CREATE TABLE t_cells AS SELECT * FROM (VALUES ${rows.join(", ")})
         v(id, tk, ar, niva, region, kon, taljare, namnare, kind, rule, sup);
       CREATE TABLE t_groups AS SELECT range + 1 AS grp, true AS valid_taljare, true AS eq_taljare,
         true AS valid_namnare, true AS eq_namnare FROM range(6);
       CREATE TABLE t_members AS SELECT * FROM (VALUES ${members.join(", ")}) v(grp, id, is_parent);`,
    );
    const shareSpec: TableSpec = {
      ...spec,
      columns: ["ar", "niva", "region", "kon", "taljare", "namnare", "status"],
      hide: ["taljare", "namnare"],
      additive: ["taljare", "namnare"],
      quantities: { count: "taljare", numerator: "taljare", denominator: "namnare" },
      witnessUnits: {
        unit: "CASE WHEN niva = 'kommun' THEN region END",
        parent: "NULL",
        pool: "CASE WHEN niva = 'kommun' THEN 'L' END",
        slice: "kon",
      },
    };
    await expectWitnessed(con, shareSpec, 1);
  });
  // As BORN, with a third class nd beside sv and ut (tot = sv + nd + ut), K1's sv or nd kön 1
  // held by the RegSOs of `ties` (see kommunerByClass). Kön totals, v2 and L are published.
  //                  tot           sv            nd            ut            v1            v2
  //               t   1   2     t   1   2     t   1   2     t   1   2     t   1   2     t   1   2
  //     K1       45  25  20    17  12   5    10   5   5    18   8  10     6   1   5    12   7   5
  //     K2       72  40  32    27  15  12    17  10   7    28  15  13    15   9   6    13   6   7
  const withNd = (ties: [string, string, string, number[]?][], below = false) =>
    kommunerByClass(
      {
        K1: [45, 25, 20, 17, 12, 5, 10, 5, 5, 18, 8, 10, 6, 1, 5, 12, 7, 5],
        K2: [72, 40, 32, 27, 15, 12, 17, 10, 7, 28, 15, 13, 15, 9, 6, 13, 6, 7],
        L: [117, 65, 52, 44, 27, 17, 27, 15, 12, 46, 23, 23, 21, 10, 11, 25, 13, 12],
      },
      (region, _, klass) => region !== "L" && klass !== "tot" && klass !== "v2",
      [
        ["tot", ["sv", "nd", "ut"]],
        ["ut", ["v1", "v2"]],
      ],
      ties,
      below,
    );
  it("leaves out of an exchange a cell tied to cells that do not move with it", async () => {
    // K1's sv kön 1 equals a hidden RegSO outside the units. K1's v1 kön 1 (1) needs 4 more: ut
    // kön 1 gains them, and sv (12) or nd (5) kön 1 must give them up. sv holds more, but
    // changing it would break its equation with the RegSO, so nd gives them (K1 nd kön 1: 5 → 1,
    // K2's: 10 → 14).
    const { con, kommunSpec } = await withNd([["K1", "1", "sv"]]);
    await expectWitnessed(con, kommunSpec, 1);
  });
  it("closes an exchange over the RegSOs below a kommun, and the partner's mirror over its own", async () => {
    // As above, but both sv and nd kön 1 of K1 are held by RegSOs below it (K1 ≥ RegSO, with no
    // room): whichever gives up the 4 persons, its RegSO must give them up too. sv holds more, so
    // K1 loses them from sv and from the RegSO below it; K2 mirrors at kommun level only.
    //                  v1 kön 1   v1 t   ut kön 1   ut t   sv kön 1   sv t   RegSO of sv kön 1
    //     K1             1 → 5   6 → 10   8 → 12  18 → 22  12 → 8  17 → 13       12 → 8
    //     K2             9 → 5  15 → 11  15 → 11  28 → 24  15 → 19  27 → 31
    // L, every published total, v2 and nd stay.
    const { con, kommunSpec } = await withNd(
      [
        ["K1", "1", "sv"],
        ["K1", "1", "nd"],
      ],
      true,
    );
    await expectWitnessed(con, kommunSpec, 1, true);
  });
  it("spreads an exchange over RegSOs when none below the kommun holds all that is missing", async () => {
    // As above, with K1's sv kön 1 (12) held by four RegSOs of 3 each and its nd kön 1 (5) by two
    // of 2 and 3. sv has the most room, but no RegSO of it holds the 4 persons that v1 kön 1 lacks:
    // the first exchange takes 3 from the first RegSO (its room), the pattern is closed anew and
    // the second takes the last one from the next. K2 mirrors both at kommun level:
    //                  v1 kön 1   v1 t   ut kön 1   ut t   sv kön 1   sv t   RegSOs of sv kön 1
    //     K1             1 → 5   6 → 10   8 → 12  18 → 22  12 → 8  17 → 13   3, 3, 3, 3 → 0, 2, 3, 3
    //     K2             9 → 5  15 → 11  15 → 11  28 → 24  15 → 19  27 → 31
    const { con, kommunSpec } = await withNd(
      [
        ["K1", "1", "sv", [3, 3, 3, 3]],
        ["K1", "1", "nd", [2, 3]],
      ],
      true,
    );
    await expectWitnessed(con, kommunSpec, 1, true);
  });
});
