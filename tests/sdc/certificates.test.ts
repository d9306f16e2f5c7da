/**
 * Certificates (data-loaders/sdc/certificates.ts) on the 2 × 2 table of counts (fixtures.ts):
 *
 *            k1   k2 | total
 *     r1      3    7 |   10
 *     r2      9    2 |   11
 *     total  12    9 |   21
 *
 * With the four inner cells suppressed the attacker's tables are x11 = t, x12 = 10 − t,
 * x21 = 12 − t, x22 = t − 1 for 1 ≤ t ≤ 10. x11 (3) and x22 (2) fail the count rule: each must be
 * able to reach 5. The table t = 5 shows x11 can (x22 is then 4), t = 6 shows both can.
 */
import { describe, expect, it } from "vitest";
import { exec, openDatabase } from "../../data-loaders/db.ts";
import {
  type CertificateData,
  CertificateLog,
  dropCertificates,
  inTableOrder,
  loadCertificates,
  proveByCertificates,
  storeCertificates,
} from "../../data-loaders/sdc/certificates.ts";
import { loadGraph } from "../../data-loaders/sdc/graph.ts";
import { collectRequirements, findExposures, nonNegativeOf } from "../../data-loaders/sdc/lp.ts";
import { resolveRules } from "../../data-loaders/sdc/rules.ts";
import type { TableSpec } from "../../data-loaders/sdc/tables.ts";
import { checkCertificates, TWO_BY_TWO_SPEC as spec, TWO_BY_TWO_MEMBERS, twoByTwo } from "./fixtures.ts";

/** One certificate per list of [cell id, value] (cell ids 1–9 as in the fixture). */
function certificates(...tables: [number, number][][]): CertificateData {
  const start = [0];
  const cell: number[] = [];
  const value: number[] = [];
  for (const t of tables) {
    for (const [id, v] of t) {
      cell.push(id - 1);
      value.push(v);
    }
    start.push(cell.length);
  }
  return {
    start: Int32Array.from(start),
    cell: Int32Array.from(cell),
    column: new Uint8Array(cell.length),
    value: Float64Array.from(value),
  };
}

/** The table of parameter t (see above) as a certificate's entries. */
const attackerTable = (t: number): [number, number][] => [
  [1, t],
  [2, 10 - t],
  [3, 12 - t],
  [4, t - 1],
];

/** Which of the two requirements (x11 max ≥ 5, x22 max ≥ 5) the certificates prove. */
async function provenBy(data: CertificateData, suppressed = [1, 2, 3, 4]) {
  const con = await twoByTwo(suppressed);
  const graph = await loadGraph(con, "t", spec);
  const checked = checkCertificates(graph, spec, resolveRules({}), data, [0, 3]);
  expect(checked.requirements.map((r) => [r.cell, r.sense, r.bound])).toEqual([
    [1, "max", 5],
    [4, "max", 5],
  ]);
  return { proven: [...checked.proven], passed: checked.passed, count: checked.count };
}

describe("CertificateLog", () => {
  it("keeps tables of any size past its first arrays, and skips a table without changes", () => {
    // 1,500 tables of 3 changes each (4,500 entries, past the first 1,024), one empty among them.
    const log = new CertificateLog();
    for (let k = 0; k < 1500; k++) {
      log.addChanges([k, k + 1, k + 2], [0, 1, 2], [k / 2, k, 2 * k]);
      if (k === 700) log.addChanges([], [], []);
    }
    const data = log.data();
    expect([log.size, log.entries, data.start.length, data.cell.length]).toEqual([1500, 4500, 1501, 4500]);
    expect(data.start[1000]).toBe(3000);
    expect([data.cell[3001], data.column[3001], data.value[3001]]).toEqual([1001, 1, 1000]);
    expect([data.cell[4499], data.column[4499], data.value[4499]]).toEqual([1501, 2, 2998]);
  });

  it("orders tables by the table of their first cell, each table's in the order found", () => {
    // Cells 0–9 lie in table 2, cells 10–19 in table 1: the tables [5], [12, 13], [7], [11] become
    // [12, 13], [11], [5], [7].
    const log = new CertificateLog();
    for (const cells of [[5], [12, 13], [7], [11]])
      log.addChanges(
        cells,
        cells.map(() => 0),
        cells.map((c) => c * 10),
      );
    const ordered = inTableOrder([log.data()], (c) => (c < 10 ? 2 : 1));
    expect([...ordered.start]).toEqual([0, 2, 3, 4, 5]);
    expect([...ordered.cell]).toEqual([12, 13, 11, 5, 7]);
    expect([...ordered.value]).toEqual([120, 130, 110, 50, 70]);
  });

  it("orders the tables of several parts as those of one part holding them in turn", () => {
    // Parts [5], [12, 13] and [7], [11] (cells 0–9 in table 2, 10–19 in table 1): as above, and
    // part by part within a table: [12, 13] before [11].
    const part = (tables: number[][]) => {
      const log = new CertificateLog();
      for (const cells of tables)
        log.addChanges(
          cells,
          cells.map((c) => c % 3),
          cells.map((c) => c * 10),
        );
      return log.data();
    };
    const ordered = inTableOrder([part([[5], [12, 13]]), part([[7], [11]])], (c) => (c < 10 ? 2 : 1));
    expect([...ordered.start]).toEqual([0, 2, 3, 4, 5]);
    expect([...ordered.cell]).toEqual([12, 13, 11, 5, 7]);
    expect([...ordered.column]).toEqual([0, 1, 2, 2, 1]);
    expect([...ordered.value]).toEqual([120, 130, 110, 50, 70]);
  });
});

describe("proveByCertificates", () => {
  it("proves what a table the attacker cannot rule out reaches, and nothing more", async () => {
    // t = 5: x11 = 5 reaches 5, x22 = 4 does not.
    expect(await provenBy(certificates(attackerTable(5)))).toEqual({ proven: [1, 0], passed: 1, count: 1 });
    // t = 6: both.
    expect(await provenBy(certificates(attackerTable(6)))).toEqual({ proven: [1, 1], passed: 1, count: 2 });
  });

  it("rejects a table that breaks a relation", async () => {
    // x11 = 5 with x12 left at 7: row r1 would sum to 12, not the published 10.
    expect(await provenBy(certificates([[1, 5]]))).toEqual({ proven: [0, 0], passed: 0, count: 0 });
  });

  it("checks each table on its own: what the one before changed does not carry over", async () => {
    // x22 = 5 alone breaks row r2 and column k2, so the first table fails. The second changes
    // x11, x12 and x21 as t = 6 does; without x22 = 5 it breaks the same two relations, and only
    // with the first table's change kept would it look like t = 6 and prove both cells.
    const tables = certificates(
      [[4, 5]],
      [
        [1, 6],
        [2, 4],
        [3, 6],
      ],
    );
    expect(await provenBy(tables)).toEqual({ proven: [0, 0], passed: 0, count: 0 });
  });

  it("rejects a table with a negative count, though every relation holds", async () => {
    // t = 11: x12 = −1, x21 = 1, x22 = 10.
    expect(await provenBy(certificates(attackerTable(11)))).toEqual({ proven: [0, 0], passed: 0, count: 0 });
  });

  it("rejects a table that changes a published cell", async () => {
    // With x21 (cell 3) published, t = 6 would change it from 9 to 6.
    expect(await provenBy(certificates(attackerTable(6)), [1, 2, 4])).toEqual({
      proven: [0, 0],
      passed: 0,
      count: 0,
    });
    // Moving the row total r1 (cell 5, published) along with x11 and x12 is no better.
    expect(
      await provenBy(
        certificates([
          [1, 5],
          [2, 7],
          [5, 12],
        ]),
      ),
    ).toEqual({ proven: [0, 0], passed: 0, count: 0 });
  });

  it("rejects a table in which a share's numerator exceeds its denominator", async () => {
    // The same table as shares: numerators as above, every inner denominator 10 (margins 20, 40).
    const shares: TableSpec = {
      ...spec,
      additive: ["taljare", "namnare"],
      quantities: { count: "taljare", numerator: "taljare", denominator: "namnare" },
    };
    const con = await openDatabase({ threads: 1 });
    const taljare = [3, 7, 9, 2, 10, 11, 12, 9, 21];
    const namnare = [10, 10, 10, 10, 20, 20, 20, 20, 40];
    const rows = taljare.map(
      (t, i) =>
        `(${i + 1}, 1, ${1001 + i}, ${t}, ${namnare[i]}, 'share', ${i === 0 || i === 3 ? "'antal'" : i < 4 ? "'sekundar'" : "NULL"}, ${i < 4})`,
    );
    await exec(
      con,
      `CREATE TABLE t_cells AS SELECT * FROM (VALUES ${rows.join(", ")}) v(id, tk, code, taljare, namnare, kind, rule, sup);
       CREATE TABLE t_groups AS SELECT range + 1 AS grp, true AS valid_taljare, true AS eq_taljare,
         true AS valid_namnare, true AS eq_namnare FROM range(6);
       ${TWO_BY_TWO_MEMBERS}`,
    );
    const graph = await loadGraph(con, "t", shares);
    const { requirements, byCell } = collectRequirements(graph, shares, resolveRules({}), [0]);
    expect(requirements.map((r) => [r.cell, r.quantity, r.bound])).toEqual([[1, "taljare", 5]]);
    const check = (numerators: number[], denominators: number[]) => {
      const data = certificates(
        numerators.map((v, i) => [i + 1, v]),
        denominators.map((v, i) => [i + 1, v]),
      );
      // Both lists are one table: numerators in column 0, denominators in column 1.
      const merged: CertificateData = {
        start: Int32Array.from([0, data.cell.length]),
        cell: data.cell,
        column: Uint8Array.from(data.cell, (_, i) => (i < numerators.length ? 0 : 1)),
        value: data.value,
      };
      const proven = new Uint8Array(1);
      proveByCertificates(graph, shares, nonNegativeOf(graph, shares), merged, requirements, byCell, proven);
      return proven[0];
    };
    // t = 6 with the denominators as they are: x11 = 6 of 10.
    expect(check([6, 4, 6, 5], [])).toBe(1);
    // Denominators 5, 15, 15, 5 keep every margin (20, 20, 20, 20), but x11 = 6 of 5 is no share.
    expect(check([6, 4, 6, 5], [5, 15, 15, 5])).toBe(0);
    // Denominators 6, 14, 14, 6 leave room: 6 of 6.
    expect(check([6, 4, 6, 5], [6, 14, 14, 6])).toBe(1);
  });

  it("checks each certificate on its own: a bad one does not spoil a good one", async () => {
    expect(await provenBy(certificates([[4, 5]], attackerTable(6)))).toEqual({
      proven: [1, 1],
      passed: 1,
      count: 2,
    });
  });
});

describe("certificates from protection to audit", () => {
  it("keeps the LP's table, which then proves both cells with no LP of the audit's own", async () => {
    const con = await twoByTwo([1, 2, 3, 4]);
    const rules = resolveRules({});
    const log = new CertificateLog();
    const protection = await findExposures(con, "t", spec, rules, { certificates: log });
    expect(protection.exposures).toEqual([]);
    expect(protection.stats.lps).toBeGreaterThan(0);
    expect(log.size).toBeGreaterThan(0);
    const audit = await findExposures(con, "t", spec, rules, { certified: log.data() });
    expect(audit.exposures).toEqual([]);
    expect(audit.stats).toMatchObject({ requirements: 2, certified: 2, lps: 0 });
    // Without them the audit solves its own LP.
    const alone = await findExposures(con, "t", spec, rules);
    expect(alone.stats).toMatchObject({ requirements: 2, certified: 0 });
    expect(alone.stats.lps).toBeGreaterThan(0);
  });

  it("stores certificates by the cells' key codes and reads them back onto another numbering", async () => {
    const con = await twoByTwo([1, 2, 3, 4]);
    await storeCertificates(con, "t", "test", "2022", certificates(attackerTable(6), [[4, 5]]));
    // The audit's cells: the same codes (1000 + i), numbered in reverse (cell i gets id 10 − i).
    await exec(con, "CREATE TABLE a_cells AS SELECT 10 - id AS id, code FROM t_cells");
    const back = await loadCertificates(con, "a", "test", "2022");
    expect(back && [...back.start]).toEqual([0, 4, 5]);
    // Certificate 0 as stored, cells 1, 2, 3, 4 (t = 6: 6, 4, 6, 5), now ids 9, 8, 7, 6.
    expect(back && [...back.cell]).toEqual([8, 7, 6, 5, 5]);
    expect(back && [...back.value]).toEqual([6, 4, 6, 5, 5]);
    expect(await loadCertificates(con, "a", "test", "2023")).toBeUndefined();
    // Storing again replaces what was stored for the same table and partition.
    await storeCertificates(con, "t", "test", "2022", certificates([[1, 5]]));
    const again = await loadCertificates(con, "a", "test", "2022");
    expect(again && [...again.start]).toEqual([0, 1]);
    expect(again && [...again.cell]).toEqual([8]);
    // Read back by the numbering protection stored them with, the cells stay as they were.
    const same = await loadCertificates(con, "t", "test", "2022");
    expect(same && [...same.cell]).toEqual([0]);
    // A later part of the same protection adds to it, its tables after the first part's.
    await storeCertificates(
      con,
      "t",
      "test",
      "2022",
      certificates(
        [[2, 7]],
        [
          [3, 8],
          [4, 1],
        ],
      ),
      { append: true },
    );
    const parts = await loadCertificates(con, "a", "test", "2022");
    expect(parts && [...parts.start]).toEqual([0, 1, 2, 4]);
    expect(parts && [...parts.cell]).toEqual([8, 7, 6, 5]);
    expect(parts && [...parts.value]).toEqual([5, 7, 8, 1]);
    // Once dropped, nothing is left to read.
    await dropCertificates(con);
    expect(await loadCertificates(con, "a", "test", "2022")).toBeUndefined();
  });

  it("names no cell for a code the audit's cells lack, so that certificate proves nothing", async () => {
    const con = await twoByTwo([1, 2, 3, 4]);
    await storeCertificates(con, "t", "test", "2022", certificates(attackerTable(6)));
    // The audit's cells without cell 2 (code 1002), the others numbered as in protection.
    await exec(con, "CREATE TABLE a_cells AS SELECT id, code FROM t_cells WHERE id <> 2");
    const back = await loadCertificates(con, "a", "test", "2022");
    expect(back && [...back.cell]).toEqual([0, -1, 2, 3]);
    const graph = await loadGraph(con, "t", spec);
    const rules = resolveRules({});
    const { requirements, byCell } = collectRequirements(graph, spec, rules, [0, 3]);
    const proven = new Uint8Array(requirements.length);
    const result =
      back &&
      proveByCertificates(graph, spec, nonNegativeOf(graph, spec), back, requirements, byCell, proven);
    expect(result).toEqual({ proven: 0, passed: 0 });
  });
});
