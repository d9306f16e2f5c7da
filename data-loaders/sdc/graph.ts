/**
 * One partition's cells and additive groups held in typed arrays, for the parts of disclosure
 * control that iterate: the singleton and room rules run to a fixed point, and each round touches
 * few groups. In SQL every round rebuilt temp tables over millions of rows; here a round costs what
 * it touches. The tables of cells.ts stay the source and the destination: `loadGraph` reads them
 * once, `storeSuppression` writes the cells that became suppressed back.
 *
 * Cell index = id − 1 (ids are 1…n in cost order, so a smaller index is a cheaper partner).
 */
import type { Connection } from "../db.ts";
import { exec, queryTyped } from "../db.ts";
import { quote } from "./cells.ts";
import { RULE_NAMES } from "./rules.ts";
import type { TableSpec } from "./tables.ts";
import type { WitnessUnits } from "./witness.ts";

/** Rule names by code; code 0 is "no rule". */
export const RULES: readonly (string | null)[] = [null, ...Object.values(RULE_NAMES)];
export const RULE = Object.fromEntries(Object.entries(RULE_NAMES).map(([k, v]) => [k, RULES.indexOf(v)])) as {
  [K in keyof typeof RULE_NAMES]: number;
};
/** Cell kinds (tables.ts `CellKind`); `whole`: a share whose numerator is its denominator by definition. */
export const KINDS = ["count", "share", "mean", "money", "measure", "ratio", "whole"] as const;

/** SQL mapping a text column to its index in `names` (0 for NULL or unknown). */
function codeOf(column: string, names: readonly (string | null)[]): string {
  const cases = names.map((name, i) => (name === null ? "" : `WHEN '${name}' THEN ${i}`)).join(" ");
  return `(CASE ${column} ${cases} ELSE 0 END)::UTINYINT`;
}

export interface SdcGraph {
  cells: number;
  sup: Uint8Array;
  /** Set for cells that `sup` gained in memory and the database does not know yet. */
  added: Uint8Array;
  /** The cell's rule as an index into RULES (0: passes every primary rule). */
  rule: Uint8Array;
  /** The cell's kind as an index into KINDS. */
  kind: Uint8Array;
  /** The cell's table within the partition (cells of different tables share no group). */
  tk: Int32Array;
  /** Per pass of `spec.lpBlocks`: the cell's block (1, 2, …; 0 = not in this pass); see loadBlocks. */
  blocks: Int32Array[];
  /** Units for witness tables (witness.ts), read when first needed. */
  units?: WitnessUnits;
  /** The LP's unit of work of each cell (loadWork), read when first needed. */
  work?: Int32Array;
  /** Per additive column of the spec: the cell's value, NaN for NULL. */
  values: Float64Array[];
  groups: number;
  /** The group's id in `<prefix>_groups`. */
  groupId: Float64Array;
  /** Per additive column: the relation holds in the group (as equality, or as ≥ for 'ge'). */
  valid: Uint8Array[];
  /** Per additive column: the relation holds as an equality. */
  eq: Uint8Array[];
  /** Members of group g: memberCell[groupStart[g] … groupStart[g + 1]), sorted by cell. */
  groupStart: Int32Array;
  memberCell: Int32Array;
  memberIsParent: Uint8Array;
  /** Groups of cell c: cellGroup[cellStart[c] … cellStart[c + 1]), sorted. */
  cellStart: Int32Array;
  cellGroup: Int32Array;
}

/** Reads `<prefix>_cells`, `_groups` and `_members` into memory. */
export async function loadGraph(con: Connection, prefix: string, spec: TableSpec): Promise<SdcGraph> {
  const A = spec.additive;
  const [sup, rule, kind, tk, ...values] = (await queryTyped(
    con,
    `SELECT sup::UTINYINT, ${codeOf("rule", RULES)}, ${codeOf("kind", KINDS)}, tk::INTEGER ${A.map((a) => `, ${quote(a)}::DOUBLE`).join("")}
     FROM ${prefix}_cells ORDER BY id`,
    ["u8", "u8", "u8", "i32", ...A.map(() => "f64" as const)],
  )) as [Uint8Array, Uint8Array, Uint8Array, Int32Array, ...Float64Array[]];
  const cells = sup.length;

  const hasGroups = A.length > 0 && spec.relations.length > 0;
  const [groupId, ...groupFlags] = hasGroups
    ? ((await queryTyped(
        con,
        `SELECT grp::DOUBLE ${A.map((a) => `, valid_${a}::UTINYINT, eq_${a}::UTINYINT`).join("")} FROM ${prefix}_groups ORDER BY grp`,
        ["f64", ...A.flatMap(() => ["u8", "u8"] as const)],
      )) as [Float64Array, ...Uint8Array[]])
    : [new Float64Array(0), ...A.flatMap(() => [new Uint8Array(0), new Uint8Array(0)])];
  const groups = groupId.length;
  const valid = A.map((_, k) => groupFlags[2 * k]);
  const eq = A.map((_, k) => groupFlags[2 * k + 1]);

  const [memberGrp, memberCell, memberIsParent] = hasGroups
    ? ((await queryTyped(
        con,
        `SELECT grp::DOUBLE, (id - 1)::INTEGER, is_parent::UTINYINT FROM ${prefix}_members ORDER BY grp, id`,
        ["f64", "i32", "u8"],
      )) as [Float64Array, Int32Array, Uint8Array])
    : [new Float64Array(0), new Int32Array(0), new Uint8Array(0)];
  const groupStart = new Int32Array(groups + 1);
  let g = 0;
  for (let m = 0; m < memberGrp.length; m++) {
    while (groupId[g] !== memberGrp[m]) {
      g++;
      groupStart[g] = m;
    }
  }
  for (g++; g <= groups; g++) groupStart[g] = memberGrp.length;

  // Inverse index: the groups of every cell, by counting sort.
  const cellStart = new Int32Array(cells + 1);
  for (let m = 0; m < memberCell.length; m++) cellStart[memberCell[m] + 1]++;
  for (let c = 0; c < cells; c++) cellStart[c + 1] += cellStart[c];
  const fill = cellStart.slice(0, cells);
  const cellGroup = new Int32Array(memberCell.length);
  for (let grp = 0; grp < groups; grp++)
    for (let m = groupStart[grp]; m < groupStart[grp + 1]; m++) cellGroup[fill[memberCell[m]]++] = grp;

  return {
    cells,
    sup,
    added: new Uint8Array(cells),
    rule,
    kind,
    tk,
    blocks: [],
    values,
    groups,
    groupId,
    valid,
    eq,
    groupStart,
    memberCell,
    memberIsParent,
    cellStart,
    cellGroup,
  };
}

/** Reads the blocks of `spec.lpBlocks` into the graph (only the LP needs them). */
export async function loadBlocks(
  con: Connection,
  prefix: string,
  spec: TableSpec,
  graph: SdcGraph,
): Promise<void> {
  graph.blocks = [];
  for (const expr of spec.lpBlocks ?? []) graph.blocks.push(await keyRanks(con, prefix, expr, "none"));
}

/**
 * The LP's units of work (`spec.lpWork`): per cell, 1, 2, … by (table, key); cells of different
 * tables are never in one unit.
 */
export function loadWork(con: Connection, prefix: string, spec: TableSpec): Promise<Int32Array> {
  return keyRanks(con, prefix, spec.lpWork ?? "NULL", "key");
}

/**
 * Per cell in id order, 1, 2, … by (table, the key `expr` gives it); a NULL key is 0 (`none`) or a
 * key like any other (`key`).
 */
async function keyRanks(
  con: Connection,
  prefix: string,
  expr: string,
  nullKey: "none" | "key",
): Promise<Int32Array> {
  const rank = "dense_rank() OVER (ORDER BY tk, k)";
  const [ranks] = (await queryTyped(
    con,
    `SELECT ${nullKey === "none" ? `CASE WHEN k IS NULL THEN 0 ELSE ${rank} END` : rank}::INTEGER
     FROM (SELECT id, tk, (${expr}) AS k FROM ${prefix}_cells) ORDER BY id`,
    ["i32"],
  )) as [Int32Array];
  return ranks;
}

/** Suppresses a cell in memory (secondary, unless it already has a rule). */
export function suppress(graph: SdcGraph, cell: number): void {
  if (graph.sup[cell]) return;
  graph.sup[cell] = 1;
  graph.added[cell] = 1;
  if (graph.rule[cell] === 0) graph.rule[cell] = RULE.secondary;
}

/** Writes the cells suppressed in memory since the last call back to `<prefix>_cells`. */
export async function storeSuppression(con: Connection, prefix: string, graph: SdcGraph): Promise<number> {
  await exec(con, `CREATE OR REPLACE TABLE ${prefix}_added(id BIGINT)`);
  const appender = await con.createAppender(`${prefix}_added`);
  let n = 0;
  for (let c = 0; c < graph.cells; c++) {
    if (!graph.added[c]) continue;
    appender.appendBigInt(BigInt(c + 1));
    appender.endRow();
    graph.added[c] = 0;
    n++;
  }
  appender.closeSync();
  if (n > 0)
    await exec(
      con,
      `UPDATE ${prefix}_cells SET sup = true, rule = coalesce(rule, '${RULE_NAMES.secondary}')
       WHERE id IN (SELECT id FROM ${prefix}_added)`,
    );
  await exec(con, `DROP TABLE ${prefix}_added`);
  return n;
}

/** The cell is suppressed by a primary rule (not secondary, not unsuppressed). */
export function isPrimary(graph: SdcGraph, cell: number): boolean {
  return graph.sup[cell] === 1 && graph.rule[cell] !== 0 && graph.rule[cell] !== RULE.secondary;
}
