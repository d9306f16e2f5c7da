/**
 * A hand-built kommun K with two RegSO for the witness tests: R1 holds DeSO D1 and D2, R2 holds
 * D3. Counts by kön (t = totalt, 1, 2):
 *
 *          t   1   2
 *     D1   3   2   1        R1 = D1 + D2   7   4   3
 *     D2   4   2   2        R2 = D3        6   3   3
 *     D3   6   3   3        K  = R1 + R2  13   7   6
 *
 * Every count of 1–4 fails the count rule and must be able to reach 5 in the attacker's eyes.
 */
import type { Connection } from "../../data-loaders/db.ts";
import { exec, openDatabase } from "../../data-loaders/db.ts";
import { loadGraph } from "../../data-loaders/sdc/graph.ts";
import type { Requirement } from "../../data-loaders/sdc/lp.ts";
import type { TableSpec } from "../../data-loaders/sdc/tables.ts";
import { loadUnits } from "../../data-loaders/sdc/witness.ts";

export const spec: TableSpec = {
  name: "test",
  raw: "test_raw",
  pub: "test_pub",
  columns: ["ar", "niva", "region", "kon", "antal", "status"],
  requiredRaw: ["ar", "niva", "region", "kon", "antal"],
  sort: ["ar", "niva", "region", "kon"],
  tableKeys: ["ar"],
  cellKeys: ["niva", "region", "kon"],
  hide: ["antal"],
  additive: ["antal"],
  relations: [{ name: "margin", kind: "eq", child: "true", parent: {} }],
  kind: "'count'",
  cost: "antal",
  weak: "false",
  primary: () => "NULL",
  quantities: { count: "antal" },
  witnessUnits: {
    unit: "CASE WHEN niva IN ('deso', 'regso') THEN region END",
    parent: "CASE WHEN niva = 'deso' THEN up END",
    pool: "CASE WHEN niva IN ('deso', 'regso') THEN 'K' END",
    slice: "kon",
  },
};

const AREAS: [string, string, string | null, [number, number, number]][] = [
  ["deso", "D1", "R1", [3, 2, 1]],
  ["deso", "D2", "R1", [4, 2, 2]],
  ["deso", "D3", "R2", [6, 3, 3]],
  ["regso", "R1", null, [7, 4, 3]],
  ["regso", "R2", null, [6, 3, 3]],
  ["kommun", "K", null, [13, 7, 6]],
];
const SLICES = ["t", "1", "2"];

/**
 * Builds the working tables; `published` areas (or single cells, `D1:t`) keep their values, the
 * others are suppressed.
 * `broken` areas have a kön relation that does not hold in the data (totalt one more than 1 + 2),
 * so it is not among the attacker's equations there.
 */
export async function kommun(options: {
  published: string[];
  values?: Record<string, [number, number, number]>;
  broken?: string[];
}) {
  const con = await openDatabase({ threads: 1 });
  const id = (region: string, slice: number) => AREAS.findIndex((a) => a[1] === region) * 3 + slice + 1;
  const cells = AREAS.flatMap(([niva, region, up, values]) =>
    SLICES.map((kon, s) => {
      const v = (options.values?.[region] ?? values)[s];
      const sup = !options.published.includes(region) && !options.published.includes(`${region}:${kon}`);
      const rule = sup && v > 0 && v < 5 ? "'antal'" : sup ? "'sekundar'" : "NULL";
      return `(${id(region, s)}, 1, 2022, '${niva}', '${region}', ${up ? `'${up}'` : "NULL"}, '${kon}', ${v}, 'count', ${rule}, ${sup})`;
    }),
  );
  const groups: [number, boolean][] = [];
  const members: string[] = [];
  const group = (parent: number, children: number[], holds = true) => {
    const g = groups.length + 1;
    groups.push([g, holds]);
    members.push(`(${g}, ${parent}, true)`, ...children.map((c) => `(${g}, ${c}, false)`));
  };
  for (const [, region] of AREAS)
    group(id(region, 0), [id(region, 1), id(region, 2)], !options.broken?.includes(region));
  for (let s = 0; s < 3; s++) {
    group(id("R1", s), [id("D1", s), id("D2", s)]);
    group(id("R2", s), [id("D3", s)]);
    group(id("K", s), [id("R1", s), id("R2", s)]);
  }
  await exec(
    con,
    `CREATE TABLE t_cells AS SELECT * FROM (VALUES ${cells.join(", ")})
       v(id, tk, ar, niva, region, up, kon, antal, kind, rule, sup);
     CREATE TABLE t_groups AS SELECT * FROM (VALUES ${groups.map(([g, h]) => `(${g}, ${h}, ${h})`).join(", ")})
       v(grp, valid_antal, eq_antal);
     CREATE TABLE t_members AS SELECT * FROM (VALUES ${members.join(", ")}) v(grp, id, is_parent);`,
  );
  return { con, id };
}

/** The count rule's requirements of every primary-suppressed cell, as findExposures builds them. */
export async function requirementsOf(con: Connection) {
  const graph = await loadGraph(con, "t", spec);
  const requirements: Requirement[] = [];
  const byCell = new Map<number, number[]>();
  for (let c = 0; c < graph.cells; c++) {
    const v = graph.values[0][c];
    if (!graph.sup[c] || !(v > 0 && v < 5)) continue;
    byCell.set(c, [requirements.length]);
    requirements.push({
      cell: c + 1,
      rule: "antal",
      quantity: "antal",
      terms: [{ column: "antal", coef: 1 }],
      sense: "max",
      bound: 5,
    });
  }
  const units = await loadUnits(con, "t", spec, graph.cells);
  if (!units) throw new Error("no units");
  return { graph, requirements, byCell, units };
}
