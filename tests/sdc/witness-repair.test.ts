/**
 * Protection by witness tables (data-loaders/sdc/witness-repair.ts) on the hand-built kommun of
 * kommun-fixture.ts, with K, R2 and D3 published:
 *
 *          t   1   2
 *     D1   3   2   1        R1 = D1 + D2   7   4   3
 *     D2   4   2   2        R2 = D3        6   3   3   (published)
 *     D3   6   3   3        K  = R1 + R2  13   7   6   (published)
 *
 * R1 = K − R2 is then recovered exactly: R1 1 = 4 and R1 2 = 3 are exposed, and D1, D2 by kön
 * cannot reach 5 (D1 1 + D2 1 = 4). Only D1 t and D2 t have witnesses (one DeSO into the other).
 */
import { describe, expect, it } from "vitest";
import { exec } from "../../data-loaders/db.ts";
import { type CertificateData, CertificateLog } from "../../data-loaders/sdc/certificates.ts";
import { loadGraph, type SdcGraph, storeSuppression } from "../../data-loaders/sdc/graph.ts";
import { findExposures } from "../../data-loaders/sdc/lp.ts";
import { resolveRules } from "../../data-loaders/sdc/rules.ts";
import { repairByWitnesses } from "../../data-loaders/sdc/witness-repair.ts";
import { checkCertificates } from "./fixtures.ts";
import { kommun, spec } from "./kommun-fixture.ts";

const rules = resolveRules({});

async function repaired(passes: number[]) {
  const { con, id } = await kommun({ published: ["K", "R2", "D3"] });
  const graph = await loadGraph(con, "t", spec);
  const result = await repairByWitnesses(con, "t", spec, rules, graph, { passes });
  await storeSuppression(con, "t", graph);
  return { con, id, graph, result };
}

/** The kommun twice, as two tables of one partition (tk 1 and 2; the second's ids 18 higher). */
async function twoTables() {
  const { con, id } = await kommun({ published: ["K", "R2", "D3"] });
  await exec(
    con,
    `INSERT INTO t_members SELECT grp + (SELECT max(grp) FROM t_groups), id + 18, is_parent FROM t_members;
     INSERT INTO t_groups SELECT grp + (SELECT max(grp) FROM t_groups), valid_antal, eq_antal FROM t_groups;
     INSERT INTO t_cells SELECT id + 18, 2, ar, niva, region, up, kon, antal, kind, rule, sup FROM t_cells;`,
  );
  return { con, id };
}

/** The audit's check of witness tables on `graph`: which requirements of `cells` they prove. */
const checkOn = (graph: SdcGraph, certificates: CertificateData, cells: number[]) =>
  checkCertificates(graph, spec, rules, certificates, cells);

describe("repairByWitnesses", () => {
  it("hides the four cells of a swap with D3 and then proves every requirement", async () => {
    // D1 (or D2) trades kön 1 for kön 2 with D3, whose RegSO R2 follows: D3 1, D3 2, R2 1 and
    // R2 2 change, their totals (6) do not. With them hidden, R1 1 = 7 − R2 1 ranges over [1, 7]
    // and, e.g., D1 = (5, 5, 0), D2 = (2, 2, 0), R2 = D3 = (6, 0, 6) keeps K: all eight reach 5.
    const { con, id, result } = await repaired([8]);
    expect(result).toEqual({
      requirements: 8, // D1 t, 1, 2; D2 t, 1, 2; R1 1, 2
      witnessed: 2, // D1 t and D2 t, before any hiding
      repaired: 6,
      hidden: [id("D3", 1) - 1, id("D3", 2) - 1, id("R2", 1) - 1, id("R2", 2) - 1],
      open: 0,
      // The two proven before any hiding: the count requirement (the only one) of D1 t and D2 t.
      proofs: new Map([
        [id("D1", 0) - 1, [0]],
        [id("D2", 0) - 1, [0]],
      ]),
    });
    // The LP, independently, finds nothing exposed in the table as now suppressed.
    const { exposures } = await findExposures(con, "t", spec, rules, { witnesses: false });
    expect(exposures).toEqual([]);
  });

  it("with the LP on, keeps every witness table, which the audit's check accepts, and hands on the proofs", async () => {
    // As above, and \`certify\`: the six requirements proven after hiding D3 1, D3 2, R2 1, R2 2
    // (D1 1, D1 2, D2 1, D2 2, R1 1, R1 2) go on to the LP's first round with the two of the first
    // pass (D1 t, D2 t), and each of the eight comes with a table that the audit checks on its own
    // reading of the table as suppressed in the end.
    const { con, id } = await kommun({ published: ["K", "R2", "D3"] });
    const before = await loadGraph(con, "t", spec);
    const graph = await loadGraph(con, "t", spec);
    const result = await repairByWitnesses(con, "t", spec, rules, graph, { passes: [8], certify: true });
    await storeSuppression(con, "t", graph);
    const repairedCells = [id("D1", 1), id("D1", 2), id("D2", 1), id("D2", 2), id("R1", 1), id("R1", 2)];
    const cells = [id("D1", 0), id("D2", 0), ...repairedCells].map((i) => i - 1).sort((a, b) => a - b);
    expect([...result.proofs].sort((a, b) => a[0] - b[0])).toEqual(cells.map((c) => [c, [0]]));
    const certificates = result.certificates;
    if (!certificates) throw new Error("no certificates");
    // The audit's side: a graph read anew, the eight requirements, the tables checked.
    const checked = checkOn(await loadGraph(con, "t", spec), certificates, cells);
    expect(checked.count).toBe(8);
    expect([...checked.proven]).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    // The first pass's tables are among them: they move persons between D1 and D2 only (D1 t and
    // D2 t cannot reach 5 in one table: they sum to R1's 7), so on the table as suppressed before
    // the repairs, where D3 and R2 are published, they alone pass and prove D1 t and D2 t.
    const early = checkOn(before, certificates, cells);
    const cellsProven = early.requirements.filter((_, r) => early.proven[r]).map((r) => r.cell);
    expect(cellsProven).toEqual([id("D1", 0), id("D2", 0)].sort((a, b) => a - b));
  });

  it("decides two tables on two threads as on one: the same witnesses, cells hidden in both graphs", async () => {
    const { con, id } = await twoTables();
    const on = async (workers: number) => {
      const graph = await loadGraph(con, "t", spec);
      const result = await repairByWitnesses(con, "t", spec, rules, graph, {
        passes: [8],
        parallelFrom: workers > 1 ? 1 : Number.POSITIVE_INFINITY,
      });
      return { graph, result };
    };
    const one = await on(1);
    const two = await on(2);
    // Each table as in the test above: table 2's cells come 18 ids later, after table 1's.
    const swap = [id("D3", 1), id("D3", 2), id("R2", 1), id("R2", 2)].map((i) => i - 1);
    expect(two.result).toEqual({
      requirements: 16,
      witnessed: 4,
      repaired: 12,
      hidden: [...swap, ...swap.map((c) => c + 18)],
      open: 0,
      proofs: new Map(
        [id("D1", 0), id("D2", 0), id("D1", 0) + 18, id("D2", 0) + 18].map((i) => [i - 1, [0]]),
      ),
    });
    expect(two.result).toEqual(one.result);
    // The second table's swap was decided on the worker's copy and is hidden here too.
    expect(swap.map((c) => two.graph.sup[c + 18])).toEqual([1, 1, 1, 1]);
    expect(two.graph.sup).toEqual(one.graph.sup);
  });

  it("keeps the same repair tables on two threads as on one, the lower half's first", async () => {
    const { con } = await twoTables();
    const on = async (parallelFrom: number) =>
      repairByWitnesses(con, "t", spec, rules, await loadGraph(con, "t", spec), {
        passes: [8],
        parallelFrom,
        certify: true,
      });
    const one = await on(Number.POSITIVE_INFINITY);
    const two = await on(1);
    expect(two.certificates?.start.length).toBeGreaterThan(2);
    expect(two).toEqual(one);
  });

  it("searches the witness tables of findExposures on two threads as on one", async () => {
    const { con, id } = await twoTables();
    const search = (parallelFrom: number) =>
      findExposures(con, "t", spec, rules, { witnessesParallelFrom: parallelFrom });
    const one = await search(Number.POSITIVE_INFINITY);
    const two = await search(1);
    // Before any repair, each table has witnesses for D1 t and D2 t only (above); the LP finds
    // the same exposures either way: R1 1 and R1 2 of each table, recovered exactly.
    expect(two.stats.witnessed).toBe(4);
    expect(two.stats).toEqual(one.stats);
    expect(two.exposures.map((e) => [e.cell, e.interval])).toEqual(
      one.exposures.map((e) => [e.cell, e.interval]),
    );
    expect(two.exposures.map((e) => e.cell)).toEqual(
      expect.arrayContaining([id("R1", 1), id("R1", 2), id("R1", 1) + 18, id("R1", 2) + 18]),
    );
  });

  it("keeps the witness tables of findExposures for the audit, the same on two threads as on one", async () => {
    // Protection's LP rounds hand every table that proved something to the audit: here D1 t and
    // D2 t of each table, proven by moving persons between D1 and D2 (the LP proves nothing: the
    // other six requirements of each table are exposed, see above).
    const { con, id } = await twoTables();
    const search = async (parallelFrom: number) => {
      const certificates = new CertificateLog();
      const { stats } = await findExposures(con, "t", spec, rules, {
        witnessesParallelFrom: parallelFrom,
        certificates,
      });
      return { stats, certificates: certificates.data() };
    };
    const one = await search(Number.POSITIVE_INFINITY);
    const two = await search(1);
    expect(two.stats.witnessed).toBe(4);
    expect(two.certificates).toEqual(one.certificates);
    // The audit's side: the tables alone prove the four, and only those.
    const totals = [id("D1", 0), id("D2", 0), id("D1", 0) + 18, id("D2", 0) + 18];
    const bySex = ["D1", "D2", "R1"].flatMap((region) => [id(region, 1), id(region, 2)]);
    const cells = [...totals, ...bySex].map((i) => i - 1).sort((a, b) => a - b);
    const checked = checkOn(await loadGraph(con, "t", spec), two.certificates, cells);
    const proven = checked.requirements.filter((_, r) => checked.proven[r]).map((r) => r.cell);
    expect(proven).toEqual(totals.sort((a, b) => a - b));
  });

  it("hides nothing when a witness would need more cells than allowed", async () => {
    const { con, id, result } = await repaired([2]);
    expect(result).toMatchObject({ witnessed: 2, repaired: 0, hidden: [], open: 6 });
    // And the LP still finds the six cells by kön exposed: R1 1 = 4 and R1 2 = 3 exactly, D1 and
    // D2 by kön within [0, 4] and [0, 3]. D1 t and D2 t come proven from the witness step (no
    // search for witnesses here), so the LP is not asked about them.
    const { exposures, stats } = await findExposures(con, "t", spec, rules, {
      witnesses: false,
      witnessed: result.proofs,
    });
    expect(stats).toMatchObject({ requirements: 8, witnessed: 2 });
    // With the witness search on as well, they are counted once, and it finds no more.
    const searched = await findExposures(con, "t", spec, rules, { witnessed: result.proofs });
    expect(searched.stats).toMatchObject({ requirements: 8, witnessed: 2 });
    expect([...new Set(exposures.map((e) => e.cell))]).toEqual(
      ["D1", "D2", "R1"].flatMap((r) => [id(r, 1), id(r, 2)]),
    );
  });
});
