/**
 * The attacker's LP on neighbourhoods (data-loaders/sdc/lp.ts), on a hand-built 2 × 2 table of
 * counts with published margins:
 *
 *            k1   k2 | total
 *     r1      3    7 |   10
 *     r2      9    2 |   11
 *     total  12    9 |   21
 *
 * 3 and 2 fail the count rule (1–4). With the four inner cells suppressed, the attacker knows
 * x11 + x12 = 10, x21 + x22 = 11, x11 + x21 = 12, x12 + x22 = 9, x ≥ 0: one free parameter
 * t = x11 with x12 = 10 − t, x21 = 12 − t, x22 = t − 1, so 1 ≤ t ≤ 10. Hence x11 ∈ [1, 10] and
 * x22 ∈ [0, 9]: both can reach 5, both are protected — but only the LP over all four cells sees it.
 * With the other three fixed at their true values, x11 = 3 exactly.
 */
import { describe, expect, it } from "vitest";
import { type Connection, exec, openDatabase } from "../../data-loaders/db.ts";
import { loadGraph } from "../../data-loaders/sdc/graph.ts";
import {
  collectRequirements,
  describeExposure,
  findExposures,
  highs,
  type LpPhaseInput,
  lpUnitDecider,
} from "../../data-loaders/sdc/lp.ts";
import { resolveRules } from "../../data-loaders/sdc/rules.ts";
import type { TableSpec } from "../../data-loaders/sdc/tables.ts";
import { TWO_BY_TWO_MEMBERS, TWO_BY_TWO_SPEC, twoByTwo } from "./fixtures.ts";

const spec = TWO_BY_TWO_SPEC;
const table = twoByTwo;

/** The one-cell phase's input over the 2 × 2 table, with the given units of work. */
function singlePhase(
  graph: Awaited<ReturnType<typeof loadGraph>>,
  requirements: LpPhaseInput["requirements"],
  byCell: Map<number, number[]>,
  units: number[][],
  hide: boolean,
): LpPhaseInput {
  return {
    phase: "single",
    graph,
    spec,
    requirements,
    byCell: [...byCell],
    units,
    block: 4000,
    first: 4000,
    limit: 4000,
    hide,
    certify: false,
  };
}

describe("findExposures on neighbourhoods", () => {
  it("proves the rectangle on the whole component when the first neighbourhood is too small", async () => {
    const con = await table([1, 2, 3, 4]);
    // Neighbourhoods of one variable pin x11 = 3; the next (4 variables) holds all four.
    const { exposures, stats } = await findExposures(con, "t", spec, resolveRules({}), {
      neighbourhoods: { block: 1, first: 1 },
    });
    expect(exposures).toEqual([]);
    expect(stats.requirements).toBe(2);
    expect(stats.lps).toBeGreaterThan(1);
    // The bulk phase's balls of one variable pin their seeds (x11 = 3, x22 = 2) on bounds alone:
    // neither gets an LP there.
    expect(stats.outOfReach).toBe(2);
  });

  it("reports a cell as not provable when the largest neighbourhood allowed is too small", async () => {
    const con = await table([1, 2, 3, 4]);
    // At most 1 variable, and a pursuit up to 2: around x11 the neighbourhood is {x11}, pinned by
    // r1 (x12 = 7 fixed) and k1 (x21 = 9 fixed). The pursuit adds x12, the first suppressed member
    // of those relations; x21 no longer fits, and x11 = 12 − 9 = 3 still.
    const { exposures } = await findExposures(con, "t", spec, resolveRules({ lpMaxVariables: 1 }), {
      neighbourhoods: { block: 1, first: 1 },
    });
    expect(exposures.map((e) => [e.cell, e.exact, e.interval])).toEqual([
      [1, false, [3, 3]],
      [4, false, [2, 2]],
    ]);
    expect(describeExposure(exposures[0])).toContain("not provable");
    expect(describeExposure(exposures[0])).toContain("ar=2022,r=r1,k=k1");
  });

  it("names, for an exposure the LP finds, a published cell of a relation that pins it", async () => {
    const con = await table([1, 2, 3, 4]);
    // One variable: around x11 only x11 itself, the other inner cells fixed at their true values.
    // x11 is pinned by r1 (x11 = 10 − x12) and k1 (x11 = 12 − x21): the relation binding at the
    // LP's optimum is one of them, and its only published member is its total: r1 (cell 5,
    // index 4) or k1 (cell 7, index 6). For x22 likewise r2 (cell 6, index 5) or k2 (cell 8, index 7).
    const { exposures } = await findExposures(con, "t", spec, resolveRules({ lpMaxVariables: 1 }), {
      neighbourhoods: { block: 1, first: 1 },
    });
    expect(exposures.map((e) => [e.cell, e.interval])).toEqual([
      [1, [3, 3]],
      [4, [2, 2]],
    ]);
    expect([4, 6]).toContain(exposures[0].repair);
    expect([5, 7]).toContain(exposures[1].repair);
  });

  it("decides cells on worker threads as on the calling thread", async () => {
    // The two tests above, with the rows as units of work (spec.lpWork): x11 and x22 each on a
    // thread of its own.
    const threads = { workers: 2, parallelFrom: 1, neighbourhoods: { block: 1, first: 1 } };
    const byRow: TableSpec = { ...spec, lpWork: "r" };
    const con = await table([1, 2, 3, 4]);
    const proven = await findExposures(con, "t", byRow, resolveRules({}), threads);
    expect(proven.exposures).toEqual([]);
    expect(proven.stats.lps).toBeGreaterThan(1);
    const limited = await findExposures(con, "t", byRow, resolveRules({ lpMaxVariables: 1 }), threads);
    expect(limited.exposures.map((e) => [e.cell, e.exact, e.interval])).toEqual([
      [1, false, [3, 3]],
      [4, false, [2, 2]],
    ]);
  });

  it("pursues a cell along the relations that pin it, beyond its breadth-first neighbourhood", async () => {
    const con = await table([1, 2, 3, 4]);
    // At most 2 variables, a pursuit up to 4. Around x11 the ball is {x11, x12}: x21 = 9 fixed
    // pins x11 = 3 through k1. The pursuit adds x21 (k1's suppressed member outside), where x22 =
    // 2 fixed pins x21 = 9 through r2; then x22: the whole rectangle, x11 ∈ [1, 10]. Likewise
    // around x22. Nothing is hidden: the audit's LP pursues too, without `hide`.
    const { exposures, stats, hidden } = await findExposures(
      con,
      "t",
      spec,
      resolveRules({ lpMaxVariables: 2 }),
      { neighbourhoods: { block: 1, first: 1 } },
    );
    expect(exposures).toEqual([]);
    expect(hidden).toEqual([]);
    expect(stats.requirements).toBe(2);
  });

  it("hides, in protection, the published member of the relation that pins a cell", async () => {
    // x21 = 9 published: x11 = 12 − 9 = 3 on the whole connected part {x11, x12, x22}. (Bounds
    // find that before any LP, so the one-cell phase runs here on its own.) The relation binding
    // x11 is k1 (x11 + x21 = 12), whose only published members are x21 (cell 3, index 2) and k1's
    // total (cell 7, index 6); cells are in cost order, so x21 is hidden. With it the rectangle is
    // whole and x11 ∈ [1, 10]; x22 (bound by r2: x21 + x22 = 11) is then proven in its own ball.
    const con = await table([1, 2, 4]);
    const graph = await loadGraph(con, "t", spec);
    const { requirements, byCell } = collectRequirements(graph, spec, resolveRules({}), [0, 3]);
    const phase = (hide: boolean) =>
      lpUnitDecider(solver, singlePhase(graph, requirements, byCell, [[0, 3]], hide))(0);
    const solver = await highs();
    const hiding = phase(true);
    expect(hiding.exposures).toEqual([]);
    expect(hiding.hidden).toEqual([2]);
    expect(hiding.proven).toEqual([0, 1]);
    expect(graph.sup[2]).toBe(0); // the caller's pattern is left alone
    // The audit's LP hides nothing: both cells are exposed, exactly.
    const auditing = phase(false);
    expect(auditing.hidden).toEqual([]);
    expect(auditing.exposures.map((e) => [e.r, e.exact, e.interval])).toEqual([
      [0, true, [3, 3]],
      [1, true, [2, 2]],
    ]);
  });

  it("proves a cell by a pursuit of several steps with a table that every relation of the table allows", async () => {
    // Only x11 and x12 hidden: x11 = 12 − 9 through k1, and x11 = 10 − x12 = 10 − (9 − 2) through
    // r1 and k2. Hiding one published cell leaves the other route, so the pursuit hides at least
    // two, each step with an LP over more unknowns. Whatever the duals name, the table that proves
    // x11 must be one the attacker cannot rule out: every relation of the table holds in it, with
    // the cells still published at their values. A step whose rows kept a hidden cell's value as
    // a constant (x21 + x22 = 11 read as x21 = 9) would break that.
    const con = await table([1, 2]);
    const graph = await loadGraph(con, "t", spec);
    const { requirements, byCell } = collectRequirements(graph, spec, resolveRules({}), [0]);
    const input = { ...singlePhase(graph, requirements, byCell, [[0]], true), certify: true };
    const result = lpUnitDecider(await highs(), input)(0);
    expect(result.exposures).toEqual([]);
    expect(result.proven).toEqual([0]);
    expect(result.hidden.length).toBeGreaterThanOrEqual(2);
    const certificates = result.certificates;
    if (!certificates) throw new Error("no certificates");
    const last = certificates.start.length - 2;
    const x = [3, 7, 9, 2, 10, 11, 12, 9, 21];
    for (let i = certificates.start[last]; i < certificates.start[last + 1]; i++)
      x[certificates.cell[i]] = certificates.value[i];
    const hidden = new Set([0, 1, ...result.hidden]);
    for (let i = certificates.start[last]; i < certificates.start[last + 1]; i++)
      expect(hidden.has(certificates.cell[i])).toBe(true);
    expect(x[0]).toBeGreaterThanOrEqual(5 - 1e-7);
    for (const v of x) expect(v).toBeGreaterThanOrEqual(-1e-7);
    const relations = [
      [4, 0, 1],
      [5, 2, 3],
      [6, 0, 2],
      [7, 1, 3],
      [8, 4, 5],
      [8, 6, 7],
    ];
    for (const [parent, a, b] of relations) expect(x[a] + x[b]).toBeCloseTo(x[parent], 9);
  });

  it("decides each unit of work on its own: what one unit hid, the next does not see", async () => {
    // The table above (x21 = 9 published), with x11 and x22 in units of their own. Each unit needs
    // x21 hidden: x11 is pinned through k1 (x11 + x21 = 12), x22 through r2 (x21 + x22 = 11). In
    // one unit the second cell found x21 hidden already (hidden [2] once, above); here each unit
    // starts from the published pattern, hides x21 itself and gives it back afterwards — in
    // either order.
    const con = await table([1, 2, 4]);
    const graph = await loadGraph(con, "t", spec);
    const { requirements, byCell } = collectRequirements(graph, spec, resolveRules({}), [0, 3]);
    const decide = lpUnitDecider(await highs(), singlePhase(graph, requirements, byCell, [[0], [3]], true));
    const second = decide(1);
    const first = decide(0);
    expect([first.hidden, second.hidden]).toEqual([[2], [2]]);
    expect(first.proven).toContain(0);
    expect(second.proven).toContain(1);
    expect([first.exposures, second.exposures]).toEqual([[], []]);
    expect(graph.sup[2]).toBe(0);
  });

  it("finds a cell recovered by subtraction, exactly", async () => {
    // x21 = 9 published: x11 = 12 − 9 = 3 and then x12 = 7, x22 = 2.
    const con = await table([1, 2, 4]);
    const { exposures } = await findExposures(con, "t", spec, resolveRules({}));
    expect(exposures.map((e) => [e.cell, e.exact, e.interval, e.trueValue])).toEqual([
      [1, true, [3, 3], 3],
      [4, true, [2, 2], 2],
    ]);
  });

  it("proves both cells with one LP when the bulk pass holds the whole table", async () => {
    const con = await table([1, 2, 3, 4]);
    const { exposures, stats } = await findExposures(con, "t", spec, resolveRules({}));
    expect(exposures).toEqual([]);
    expect(stats.lps).toBe(1);
  });

  it("proves a whole block (spec.lpBlocks) with one LP, before any neighbourhood", async () => {
    const con = await table([1, 2, 3, 4]);
    // Neighbourhoods of one variable prove nothing (above); one block holding the table proves both.
    const blocked: TableSpec = { ...spec, lpBlocks: ["'hela tabellen'"] };
    const { exposures, stats } = await findExposures(con, "t", blocked, resolveRules({}), {
      neighbourhoods: { block: 1, first: 1 },
    });
    expect(exposures).toEqual([]);
    expect(stats.lps).toBe(1);
    // Without the blocks (protection's repair rounds) the neighbourhoods of one variable start,
    // growing to the rectangle as in the first test: more than one LP, the same proof.
    const unblocked = await findExposures(con, "t", blocked, resolveRules({}), {
      neighbourhoods: { block: 1, first: 1 },
      blocks: false,
    });
    expect(unblocked.exposures).toEqual([]);
    expect(unblocked.stats.lps).toBeGreaterThan(1);
    // With `blocksFrom` (the audit's), the block runs only when that many cells are open: two
    // cells are, so a threshold of 2 keeps the block's single LP and one of 3 skips it.
    const lpsFrom = async (blocksFrom: number) => {
      const { exposures, stats } = await findExposures(con, "t", blocked, resolveRules({}), {
        neighbourhoods: { block: 1, first: 1 },
        blocksFrom,
      });
      expect(exposures).toEqual([]);
      return stats.lps;
    };
    expect(await lpsFrom(2)).toBe(1);
    expect(await lpsFrom(3)).toBe(unblocked.stats.lps);
  });

  it("decides blocks on worker threads, pass by pass, as on the calling thread", async () => {
    const con = await table([1, 2, 3, 4]);
    // Pass 1, a block per row: x11 + x12 = 10 with x21 = 9 fixed pins x11 = 3, so each row's LP
    // (one each, on a thread of its own) proves nothing; pass 2, the whole table, proves both
    // cells with one more LP. Neighbourhoods of one variable would prove nothing after that.
    const passes: TableSpec = { ...spec, lpBlocks: ["r", "'hela tabellen'"] };
    for (const workers of [1, 2]) {
      const { exposures, stats } = await findExposures(con, "t", passes, resolveRules({}), {
        workers,
        parallelFrom: 1,
        neighbourhoods: { block: 1, first: 1 },
      });
      expect(exposures).toEqual([]);
      expect(stats.lps).toBe(3);
    }
  });

  it("finds recovered cells on bounds with the LP switched off", async () => {
    // x11 = 10 − 7 and x22 = 11 − 9: each the only unknown of a relation. Bounds propagated over
    // the relations pin both, and no LP is needed to see it.
    const con = await table([1, 4]);
    const { exposures, stats } = await findExposures(con, "t", spec, resolveRules({ lpMaxVariables: 0 }));
    expect(exposures.map((e) => [e.cell, e.interval, e.neighbourhood])).toEqual([
      [1, [3, 3], 0],
      [4, [2, 2], 0],
    ]);
    expect(describeExposure(exposures[0])).toContain("bounds propagated over the relations");
    expect(stats).toEqual({
      requirements: 2,
      lps: 0,
      unchecked: 0,
      witnessed: 0,
      bounded: 2,
      certified: 0,
      outOfReach: 0,
    });
  });

  it("bounds, in the audit, what certificates and witnesses left, after them, as before them", async () => {
    // The table above with the LP on. x11 = 10 − 7 and x22 = 11 − 9 are left open by the proofs
    // (there are none to check here), so the bounds near them run and pin both: exposed on bounds,
    // without an LP, exactly as with the bounds over the whole table first.
    const con = await table([1, 4]);
    for (const boundsLast of [false, true]) {
      const { exposures, stats } = await findExposures(con, "t", spec, resolveRules({}), { boundsLast });
      expect(exposures.map((e) => [e.cell, e.interval, e.neighbourhood])).toEqual([
        [1, [3, 3], 0],
        [4, [2, 2], 0],
      ]);
      expect([stats.bounded, stats.lps]).toEqual([2, 0]);
    }
  });

  it("leaves undecided with the LP off what the bounds cannot settle, and says so", async () => {
    // All four inner cells hidden: the bounds give x11 ≤ min(10, 12) and x22 ≤ min(11, 9), which
    // reach 5, but outer bounds prove nothing — only the LP (above) proves these two.
    const con = await table([1, 2, 3, 4]);
    const { exposures, stats } = await findExposures(con, "t", spec, resolveRules({ lpMaxVariables: 0 }));
    expect(exposures).toEqual([]);
    expect(stats).toEqual({
      requirements: 2,
      lps: 0,
      unchecked: 2,
      witnessed: 0,
      bounded: 0,
      certified: 0,
      outOfReach: 0,
    });
  });
});

/**
 * One row of six suppressed counts of 1 (cells 2–7) under a published total of 6 (cell 1). Each
 * count must be able to reach 5, and any table meets at most one of them (5 + 5 > 6): the bulk
 * phase's rounds prove one each, four in its four rounds.
 */
async function rowOfSix(): Promise<Connection> {
  const con = await openDatabase({ threads: 1 });
  const inner = [1, 2, 3, 4, 5, 6].map(
    (i) => `(${i + 1}, 1, ${1001 + i}, 2022, 'r1', 'k${i}', 1, 'count', 'antal', true)`,
  );
  const members = [1, 2, 3, 4, 5, 6].map((i) => `(1, ${i + 1}, false)`);
  await exec(
    con,
    `CREATE TABLE t_cells AS SELECT * FROM (VALUES (1, 1, 1001, 2022, 'r1', 'totalt', 6, 'count', NULL, false),
       ${inner.join(", ")}) v(id, tk, code, ar, r, k, antal, kind, rule, sup);
     CREATE TABLE t_groups AS SELECT * FROM (VALUES (1, true, true)) v(grp, valid_antal, eq_antal);
     CREATE TABLE t_members AS SELECT * FROM (VALUES (1, 1, true), ${members.join(", ")}) v(grp, id, is_parent);`,
  );
  return con;
}

/**
 * The 2 × 2 table with every inner cell suppressed and the margins published:
 *
 *            k1   k2 | total
 *     r1      1    4 |    5
 *     r2      4   10 |   14
 *     total   5   14 |   19
 *
 * x11, x12 and x21 fail the count rule; x22 = 10 is hidden as a secondary. One free parameter
 * t = x11: x12 = x21 = 5 − t, x22 = 9 + t, 0 ≤ t ≤ 5. x11 reaches 5 only at t = 5, where x12 and
 * x21 are 0; they reach 5 only at t = 0.
 */
async function seedAgainstTwo(): Promise<Connection> {
  const con = await openDatabase({ threads: 1 });
  const cells = [
    [1, "r1", "k1", 1, "'antal'"],
    [2, "r1", "k2", 4, "'antal'"],
    [3, "r2", "k1", 4, "'antal'"],
    [4, "r2", "k2", 10, "'sekundar'"],
    [5, "r1", "totalt", 5, "NULL"],
    [6, "r2", "totalt", 14, "NULL"],
    [7, "totalt", "k1", 5, "NULL"],
    [8, "totalt", "k2", 14, "NULL"],
    [9, "totalt", "totalt", 19, "NULL"],
  ].map(
    ([id, r, k, antal, rule]) =>
      `(${id}, 1, ${1000 + Number(id)}, 2022, '${r}', '${k}', ${antal}, 'count', ${rule}, ${Number(id) <= 4})`,
  );
  await exec(
    con,
    `CREATE TABLE t_cells AS SELECT * FROM (VALUES ${cells.join(", ")}) v(id, tk, code, ar, r, k, antal, kind, rule, sup);
     CREATE TABLE t_groups AS SELECT * FROM (VALUES (1, true, true), (2, true, true), (3, true, true),
       (4, true, true), (5, true, true), (6, true, true)) v(grp, valid_antal, eq_antal);
     ${TWO_BY_TWO_MEMBERS}`,
  );
  return con;
}

describe("the bulk phase's rounds", () => {
  it("meet the requirements nearest the seed first, the seed's own before all", async () => {
    const con = await rowOfSix();
    const graph = await loadGraph(con, "t", spec);
    const cells = [0, 1, 2, 3, 4, 5].map((k) => k + 1); // graph indices of the six counts
    const { requirements, byCell } = collectRequirements(graph, spec, resolveRules({}), cells);
    const solver = await highs();
    const bulk = (seed: number) =>
      lpUnitDecider(solver, {
        ...singlePhase(graph, requirements, byCell, [[seed]], false),
        phase: "bulk",
      })(0);
    // The ball around a seed is the seed, then the row's other counts in cell order; the four
    // rounds meet the first four of it. Unweighted, the solver's tables met other counts (around
    // the last cell: requirements 1, 3, 4, 5).
    expect(bulk(1).proven).toEqual([0, 1, 2, 3]);
    expect(bulk(5).proven).toEqual([0, 1, 2, 4]);
    expect(bulk(6).proven).toEqual([0, 1, 2, 5]);
    expect(bulk(6).lps).toBe(4);
  });

  it("meet the seed's requirement first even where that leaves two others short", async () => {
    const con = await seedAgainstTwo();
    const graph = await loadGraph(con, "t", spec);
    const { requirements, byCell } = collectRequirements(graph, spec, resolveRules({}), [0, 1, 2]);
    const { proven, lps, certificates } = lpUnitDecider(await highs(), {
      ...singlePhase(graph, requirements, byCell, [[0]], false),
      phase: "bulk",
      certify: true,
    })(0);
    // Shortfalls at t: x11 5 − t, x12 and x21 t each. Weighted by rank alone (2, 1.67, 1.33) the
    // least is at t = 0, which leaves the seed short; the seed's weight of 2 · 3 = 6 outweighs the
    // two others: t = 5 first (x11 = 5, x12 = x21 = 0, x22 = 14), then t = 0 for the other two.
    expect(proven).toEqual([0, 1, 2]);
    expect(lps).toBe(2);
    const first = certificates?.start[1] ?? 0;
    const table = [...(certificates?.cell.subarray(0, first) ?? [])].map((c, i) => [
      c,
      (certificates?.value[i] ?? Number.NaN) + 0, // + 0: the LP gives -0
    ]);
    expect(table).toEqual([
      [0, 5],
      [1, 0],
      [2, 0],
      [3, 14],
    ]);
  });
});

describe("the bulk phase's neighbourhoods out of reach", () => {
  it("leaves a seed without an LP where its neighbourhood's bounds pin it below what it must reach", async () => {
    const con = await table([1, 2, 3, 4]);
    const graph = await loadGraph(con, "t", spec);
    const { requirements, byCell } = collectRequirements(graph, spec, resolveRules({}), [0, 3]);
    const solver = await highs();
    const bulk = (block: number) =>
      lpUnitDecider(solver, {
        ...singlePhase(graph, requirements, byCell, [[0]], false),
        phase: "bulk",
        block,
      })(0);
    // x11 = 3 must be able to reach 5. In a ball of two variables (x11, x12) the fixed x21 = 9
    // pins x11 = 12 − 9 = 3 through k1: out of reach on bounds, so no LP.
    expect(bulk(2)).toMatchObject({ proven: [], lps: 0, outOfReach: 1 });
    // The whole rectangle: x11 = t, x12 = 10 − t, x21 = 12 − t, x22 = t − 1, so 1 ≤ t ≤ 10 and the
    // bounds allow 5. The LP runs and meets both counts (t = 5 gives x22 = 4; t = 6 gives 5).
    const whole = bulk(4);
    expect(whole.outOfReach).toBe(0);
    expect(whole.lps).toBeGreaterThan(0);
    expect(whole.proven).toEqual([0, 1]);
  });
});

describe("findExposures with a share whole by definition", () => {
  // Persons with a foreign background (taljare) among all (namnare), by födelseregion:
  //              taljare  namnare
  //   sverige (S)      0       20   hidden
  //   utrikes (U)     10       10   hidden, namnare rule (10 ≤ 20): must be able to reach 21
  //   totalt  (T)     10       30   published
  // As a plain share, U's namnare may reach 30 (S = 0 of 0). Everyone born abroad has a foreign
  // background, and the attacker knows it: namnare U = taljare U = 10 − taljare S ≤ 10. Exposed.
  const shareSpec: TableSpec = {
    ...spec,
    columns: ["ar", "r", "taljare", "namnare", "status"],
    requiredRaw: ["ar", "r", "taljare", "namnare"],
    sort: ["ar", "r"],
    cellKeys: ["r"],
    hide: ["taljare", "namnare"],
    additive: ["taljare", "namnare"],
    quantities: { count: "taljare", numerator: "taljare", denominator: "namnare" },
  };
  async function foreignBackground(utrikesKind: string) {
    const con = await openDatabase({ threads: 1 });
    await exec(
      con,
      `CREATE TABLE t_cells AS SELECT * FROM (VALUES
         (1, 1, 2022, 'sverige', 0, 20, 'share', 'sekundar', true),
         (2, 1, 2022, 'utrikes', 10, 10, '${utrikesKind}', 'namnare', true),
         (3, 1, 2022, 'totalt', 10, 30, 'share', NULL, false))
         v(id, tk, ar, r, taljare, namnare, kind, rule, sup);
       CREATE TABLE t_groups AS SELECT * FROM (VALUES (1, true, true, true, true))
         v(grp, valid_taljare, eq_taljare, valid_namnare, eq_namnare);
       CREATE TABLE t_members AS SELECT * FROM (VALUES (1, 3, true), (1, 1, false), (1, 2, false))
         v(grp, id, is_parent);`,
    );
    return findExposures(con, "t", shareSpec, resolveRules({}));
  }

  it("finds nothing exposed when the utrikes cell is a plain share", async () => {
    expect((await foreignBackground("share")).exposures).toEqual([]);
  });

  it("finds the utrikes denominator held at 10 or below when the share is whole by definition", async () => {
    const { exposures } = await foreignBackground("whole");
    expect(exposures.map((e) => [e.cell, e.quantity, e.interval])).toEqual([[2, "namnare", [0, 10]]]);
  });
});
