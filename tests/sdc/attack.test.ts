import loadHighs from "highs";
import { describe, expect, it } from "vitest";
import { auditTables, protectTables } from "../../data-loaders/sdc/index.ts";
import { count, createIndikatorerRaw, database, published } from "./fixtures.ts";

// Kommun 0560 by kön, at DeSO, RegSO (each RegSO is one DeSO here) and kommun level:
//   DeSO/RegSO   män  kvinnor  totalt
//   A0010 / R001   2      9      11     ← män 2 fails the count rule
//   C1010 / R002   7      8      15
//   C1020 / R003  12      3      15     ← kvinnor 3 fails the count rule
//   kommun 0560   21     20      41
const TABLE: [string, string, number, number][] = [
  ["0560A0010", "0560R001", 2, 9],
  ["0560C1010", "0560R002", 7, 8],
  ["0560C1020", "0560R003", 12, 3],
];

function rawCells() {
  const cells = [];
  const kommun = [0, 0];
  for (const [deso, regso, man, kvinna] of TABLE) {
    for (const [niva, region] of [
      ["deso", deso],
      ["regso", regso],
    ]) {
      cells.push(count(niva, region, man + kvinna));
      cells.push(count(niva, region, man, { kon: "1" }));
      cells.push(count(niva, region, kvinna, { kon: "2" }));
    }
    kommun[0] += man;
    kommun[1] += kvinna;
  }
  cells.push(count("kommun", "0560", kommun[0] + kommun[1]));
  cells.push(count("kommun", "0560", kommun[0], { kon: "1" }));
  cells.push(count("kommun", "0560", kommun[1], { kon: "2" }));
  return cells;
}

/**
 * The attacker, written independently of the library: every equation an outsider knows about
 * this table, with the published values as constants and the suppressed ones as non-negative
 * unknowns, solved with HiGHS from LP text.
 */
async function attack(
  cells: { niva: string; region: string; kon: string; taljare: number | null; status: string | null }[],
) {
  const name = (niva: string, region: string, kon: string) => `x_${niva}_${region}_${kon}`;
  const term = (niva: string, region: string, kon: string): string => {
    const cell = cells.find((c) => c.niva === niva && c.region === region && c.kon === kon);
    if (!cell) throw new Error(`no cell ${niva} ${region} ${kon}`);
    return cell.status === ".." ? name(niva, region, kon) : String(cell.taljare);
  };
  const equations: string[][] = []; // [left, ...right]: left = Σ right
  for (const [deso, regso] of TABLE) {
    for (const kon of ["totalt", "1", "2"])
      equations.push([term("regso", regso, kon), term("deso", deso, kon)]);
    for (const niva of ["deso", "regso"]) {
      const region = niva === "deso" ? deso : regso;
      equations.push([term(niva, region, "totalt"), term(niva, region, "1"), term(niva, region, "2")]);
    }
  }
  for (const kon of ["totalt", "1", "2"]) {
    equations.push([term("kommun", "0560", kon), ...TABLE.map(([deso]) => term("deso", deso, kon))]);
    equations.push([term("kommun", "0560", kon), ...TABLE.map(([, regso]) => term("regso", regso, kon))]);
  }
  equations.push([
    term("kommun", "0560", "totalt"),
    term("kommun", "0560", "1"),
    term("kommun", "0560", "2"),
  ]);
  // Move constants right: Σ unknowns (left +1, right −1) = Σ constants (right) − constant (left).
  const rows: string[] = [];
  const unknowns = new Set<string>();
  equations.forEach((eq, i) => {
    let constant = 0;
    const parts: string[] = [];
    eq.forEach((t, k) => {
      const sign = k === 0 ? 1 : -1;
      if (t.startsWith("x_")) {
        parts.push(`${sign > 0 ? "+" : "-"} ${t}`);
        unknowns.add(t);
      } else constant -= sign * Number(t);
    });
    if (parts.length > 0) rows.push(` e${i}: ${parts.join(" ")} = ${constant}`);
  });
  const highs = await loadHighs();
  const interval = (variable: string): [number, number] => {
    const solve = (sense: string) => {
      const lp = `${sense}\n obj: ${variable}\nSubject To\n${rows.join("\n")}\nBounds\n${[...unknowns].map((u) => ` ${u} >= 0`).join("\n")}\nEnd`;
      const result = highs.solve(lp, { output_flag: false });
      if (result.Status === "Unbounded") return sense === "Maximize" ? Number.POSITIVE_INFINITY : 0;
      if (result.Status !== "Optimal") throw new Error(result.Status);
      return result.ObjectiveValue;
    };
    return [solve("Minimize"), solve("Maximize")];
  };
  return { interval, unknowns };
}

describe("an attacker who knows every additive relation", () => {
  it("cannot narrow any primary-suppressed count below the threshold", async () => {
    const con = await database();
    await createIndikatorerRaw(con, rawCells());
    await protectTables(con);
    await auditTables(con);
    const cells = await published(con);
    const { interval, unknowns } = await attack(cells);
    // The four primary cells (män in A0010/R001, kvinnor in C1020/R003) must be hidden …
    const primary = ["x_deso_0560A0010_1", "x_regso_0560R001_1", "x_deso_0560C1020_2", "x_regso_0560R003_2"];
    for (const p of primary) expect(unknowns.has(p)).toBe(true);
    // … and each must be able to reach 5 (or more): the attacker cannot tell it is below 5.
    for (const p of primary) {
      const [, hi] = interval(p);
      expect(hi, p).toBeGreaterThanOrEqual(5);
    }
    // No suppressed cell is pinned to one value either.
    for (const u of unknowns) {
      const [lo, hi] = interval(u);
      expect(hi - lo, u).toBeGreaterThan(0);
    }
  });

  it("recovers a cell exactly when only the primaries are hidden (the attack works)", async () => {
    const con = await database();
    await createIndikatorerRaw(con, rawCells());
    const cells = (await published(con, "indikatorer_raw")).map((c) => ({
      ...c,
      status:
        (c.region === "0560A0010" || c.region === "0560R001") && c.kon === "1"
          ? ".."
          : (c.region === "0560C1020" || c.region === "0560R003") && c.kon === "2"
            ? ".."
            : null,
    }));
    const { interval } = await attack(cells);
    // män in A0010 = totalt 11 − kvinnor 9 = 2.
    expect(interval("x_deso_0560A0010_1")).toEqual([2, 2]);
  });
});
