/**
 * Proofs without an LP: witness tables built by moving whole small areas.
 *
 * A requirement "the attacker's interval of q reaches b" is proven by any table the attacker cannot
 * rule out — one that keeps every published cell, satisfies every additive relation, keeps
 * non-negative quantities non-negative and numerators within their denominators — in which q
 * reaches b. The LP (lp.ts) searches for such tables; here they are built directly for the
 * commonest case, and then checked against every relation they touch, so a proof stands on the
 * check alone, never on how the table was built.
 *
 * The case: in small areas most cells are suppressed, and a DeSO whose cells are all suppressed
 * (a "dark" unit) can take over all persons of other dark DeSOs of its kommun without changing
 * any published number — every breakdown of the DeSO moves together, so its own relations keep
 * holding, and the RegSO above it moves along when the two DeSOs lie in different (dark) RegSOs.
 * Gathering dark DeSOs into one proves its upper bounds (and its RegSO's); emptying it into a
 * neighbour proves its lower bounds. A published cell with nothing in it (a count of 0) does not
 * stop a unit from being dark: a move that would put somebody into it fails its check. Beyond
 * gathering:
 *
 * - swaps: a unit that is not dark (a DeSO with its total published, a kommun with hidden age
 *   classes) trades persons between two hidden breakdown cells, its own totals following, with a
 *   partner unit that trades them back — upwards for an upper bound, downwards for a lower one;
 * - person moves: a unit takes persons of the kind its cell counts (and one kind in every
 *   breakdown its totals need) from a partner, e.g. women born in Sweden from a DeSO of the same
 *   RegSO, which reaches units whose relations hold among their own cells only;
 * - cycles: inside one unit, kön 1 of a class gains, kön 2 of it loses, kön 1 of another class
 *   loses and kön 2 of that class gains, so every total of the unit stays and no partner is
 *   needed;
 * - exchanges: where a person move runs into a published total, persons of the cell's kind come
 *   in and persons of another kind leave (women born in Sweden leave a kommun whose women are
 *   published as women of vistelsetid 2–3 come in), and a partner does the opposite;
 * - exchanges across levels: where a kommun's exchange needs its small areas to follow (it holds
 *   no more women born in Sweden than its RegSOs together), the pattern is closed over the kommun
 *   and the RegSOs and DeSOs below it, and the partner kommun closes the mirror over its own.
 *
 * On one year of the scale-0.01 synthetic population, where nine in ten small-area cells are
 * suppressed, the audit proves 76 % of the indicator table's 2.58 million requirements this way;
 * at full scale 89 % of 503,000 (docs/disclosure-control.md). With `repair` (protection,
 * witness-repair.ts) a witness may also pass through a few published cells, which are then
 * hidden. The LP, which proves about 2,000 a second in bulk, takes what is left.
 */
import type { Connection } from "../db.ts";
import { queryTyped } from "../db.ts";
import type { CertificateLog } from "./certificates.ts";
import { KINDS, type SdcGraph } from "./graph.ts";
import type { Requirement } from "./lp.ts";
import type { TableSpec } from "./tables.ts";

/** Units of a graph (see `TableSpec.witnessUnits`), codes 1…n; 0 means none. */
export interface WitnessUnits {
  /** Cells of unit u: cell[start[u] … start[u + 1]) with their slices, in slice order. */
  start: Int32Array;
  cell: Int32Array;
  slice: Int32Array;
  /** The unit's parent unit (0: none) and its pool (0: none). */
  parent: Int32Array;
  pool: Int32Array;
  /** The unit of every cell (0: none), and its slice. */
  unitOf: Int32Array;
  sliceOf: Int32Array;
}

/** What witness tables read of a table's description (all of it cloneable to a thread). */
export type WitnessSpec = Pick<TableSpec, "name" | "additive" | "quantities" | "witnessUnits">;

/** The parts of a table's description that witness tables read: a copy without its functions. */
export function witnessSpecOf(spec: TableSpec): WitnessSpec {
  return {
    name: spec.name,
    additive: spec.additive,
    quantities: spec.quantities,
    witnessUnits: spec.witnessUnits,
  };
}

/** Reads the units of `spec.witnessUnits` for the cells of `<prefix>_cells`. */
export async function loadUnits(
  con: Connection,
  prefix: string,
  spec: TableSpec,
  cells: number,
): Promise<WitnessUnits | undefined> {
  const w = spec.witnessUnits;
  if (!w) return undefined;
  // Pools and slices are numbered like units: over their few distinct values, joined back,
  // rather than by dense_rank windows that sort every cell (half of this query's time). NULL
  // pools keep their place in the numbering (they sort last within a table key) and map to 0.
  const [cell, unit, parent, pool, slice] = (await queryTyped(
    con,
    `WITH u AS (
       SELECT id, tk, (${w.unit}) AS unit, (${w.parent}) AS parent, (${w.pool}) AS pool, (${w.slice}) AS slice
       FROM ${prefix}_cells),
     units AS (SELECT tk, unit, row_number() OVER (ORDER BY tk, unit) AS code FROM (SELECT DISTINCT tk, unit FROM u WHERE unit IS NOT NULL)),
     pools AS (SELECT tk, pool, row_number() OVER (ORDER BY tk, pool) AS code FROM (SELECT DISTINCT tk, pool FROM u WHERE unit IS NOT NULL)),
     slices AS (SELECT slice, row_number() OVER (ORDER BY slice) AS code FROM (SELECT DISTINCT slice FROM u WHERE unit IS NOT NULL))
     SELECT (u.id - 1)::INTEGER, a.code::INTEGER, coalesce(p.code, 0)::INTEGER,
            CASE WHEN u.pool IS NULL THEN 0 ELSE o.code END::INTEGER, s.code::INTEGER
     FROM u JOIN units a ON a.tk = u.tk AND a.unit = u.unit
     LEFT JOIN units p ON p.tk = u.tk AND p.unit = u.parent
     JOIN pools o ON o.tk = u.tk AND o.pool IS NOT DISTINCT FROM u.pool
     JOIN slices s ON s.slice IS NOT DISTINCT FROM u.slice
     ORDER BY a.code, 5`,
    ["i32", "i32", "i32", "i32", "i32"],
  )) as [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array];
  const n = cell.length === 0 ? 0 : unit[unit.length - 1];
  const start = new Int32Array(n + 2);
  const parentOf = new Int32Array(n + 1);
  const poolOf = new Int32Array(n + 1);
  const unitOf = new Int32Array(cells);
  const sliceOf = new Int32Array(cells);
  for (let k = 0; k < cell.length; k++) {
    sliceOf[cell[k]] = slice[k];
    start[unit[k] + 1]++;
    parentOf[unit[k]] = parent[k];
    poolOf[unit[k]] = pool[k];
    unitOf[cell[k]] = unit[k];
  }
  for (let u = 0; u <= n; u++) start[u + 1] += start[u];
  return { start, cell, slice, parent: parentOf, pool: poolOf, unitOf, sliceOf };
}

const TOLERANCE = 1e-7;

/** Items grouped by a key, each group in the items' order. */
export function groupBy(items: number[], key: (item: number) => number): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (const item of items) {
    const list = groups.get(key(item));
    if (list) list.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
/** Swaps tried per requirement and sibling, of at most four times as many partners looked at
 * (a bound on hopeless searches in kommuner of hundreds of DeSOs). */
const SWAP_PARTNERS = 64;
/** Cycles tried per requirement inside one unit. */
const CYCLE_ATTEMPTS = 16;
/** Cells an exchange may change (with repeats) before it is given up. */
const EXCHANGE_STEPS = 48;
/** Partners per requirement that get a pattern of their own (where the first gives nothing). */
const OWN_PATTERNS = 16;

/**
 * Protection by witnesses: a witness table may also change published cells that `mayHide`
 * allows, at most `maxHidden` of them; when it proves a requirement, those cells are suppressed
 * (`hide`) and the witness stands as a proof for the table as published then, since hiding more
 * cells only removes constraints from the attacker's problem.
 */
export interface WitnessRepair {
  mayHide: (cell: number) => boolean;
  maxHidden: number;
  hide: (cells: number[]) => void;
}

/**
 * Proves what it can of the open requirements (`proven[r]` = 0) with witness tables; sets
 * `proven[r]` = 1 for each requirement proven and returns how many. With `repair`, witnesses may
 * run through published cells, which are then suppressed (see WitnessRepair). `acrossLevels`
 * (default true): try exchanges across levels too (never in a repair), which where nearly every
 * small-area cell is hidden (the scale-0.01 synthetic population) cost minutes a year. `log`:
 * every table that proves something, for the audit (certificates.ts).
 */
export function proveByWitnesses(
  graph: SdcGraph,
  spec: WitnessSpec,
  units: WitnessUnits,
  requirements: Requirement[],
  byCell: Map<number, number[]>,
  proven: Uint8Array,
  nonNegative: (cell: number, column: number) => boolean,
  options: { repair?: WitnessRepair; acrossLevels?: boolean; log?: CertificateLog } = {},
): number {
  const { repair } = options;
  // Not in a repair: there the LP proves most of these without hiding more cells.
  const acrossLevels = !repair && (options.acrossLevels ?? true);
  /** A cell the witness may change: suppressed, or published and allowed to be hidden. */
  const hid = repair
    ? (c: number) => graph.sup[c] === 1 || repair.mayHide(c)
    : (c: number) => graph.sup[c] === 1;
  const A = spec.additive.length;
  const column = new Map(spec.additive.map((c, i) => [c, i]));
  const unitCount = units.parent.length - 1;
  const cellsOf = (u: number) => ({ from: units.start[u], to: units.start[u + 1] });
  const isEmpty = (c: number) => {
    for (let col = 0; col < A; col++) {
      const v = graph.values[col][c];
      if (!Number.isNaN(v) && v !== 0) return false;
    }
    return true;
  };
  // Only the units of tables with a requirement here: a witness never leaves its table, so the
  // pools of other tables have nothing to prove (on two threads, those of the other half).
  const tables = new Set<number>();
  for (const c of byCell.keys()) tables.add(graph.tk[c]);
  const unitsHere: number[] = [];
  // A unit's cells all lie in one table (loadUnits codes units by table).
  for (let u = 1; u <= unitCount; u++)
    if (tables.has(graph.tk[units.cell[units.start[u]]])) unitsHere.push(u);
  const dark = new Uint8Array(unitCount + 1);
  for (const u of unitsHere) {
    const { from, to } = cellsOf(u);
    let all = to > from;
    // A published cell with nothing in it (a count of 0) moves with nothing, so it does not stop
    // a unit from being gathered; the check of every move still sees each changed cell.
    for (let k = from; k < to && all; k++)
      if (!graph.sup[units.cell[k]] && !isEmpty(units.cell[k])) all = false;
    dark[u] = all ? 1 : 0;
  }
  // Dark movable units by pool, in unit order.
  const byPool = groupBy(
    unitsHere.filter((u) => units.parent[u] && units.pool[u] && dark[u]),
    (u) => units.pool[u],
  );

  // The cell of unit u with the given slice (−1: none).
  const cellWithSlice = (u: number, slice: number) => {
    // A unit's cells are in slice order (loadUnits): binary search, as a kommun has thousands.
    let lo = units.start[u];
    let hi = units.start[u + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = units.slice[mid];
      if (s === slice) return units.cell[mid];
      if (s < slice) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };
  // Unit s can move into unit r: every cell of s has a counterpart in r (and in their parents,
  // when those differ) with values in the same columns.
  const sameShape = (a: number, b: number) => {
    for (let col = 0; col < A; col++)
      if (Number.isNaN(graph.values[col][a]) !== Number.isNaN(graph.values[col][b])) return false;
    return true;
  };
  /** For the k-th cell of unit s: its counterpart in r, and the two parents' cells of that slice
   * when s and r have different parents (−1: none, or not needed). */
  const counterparts = (s: number, r: number, k: number) => {
    const slice = units.slice[k];
    const crossing = units.parent[s] !== units.parent[r];
    return {
      cs: units.cell[k],
      cr: cellWithSlice(r, slice),
      crossing,
      ps: crossing ? cellWithSlice(units.parent[s], slice) : -1,
      pr: crossing ? cellWithSlice(units.parent[r], slice) : -1,
    };
  };
  const canMove = (s: number, r: number) => {
    const { from, to } = cellsOf(s);
    for (let k = from; k < to; k++) {
      const { cs, cr, crossing, ps, pr } = counterparts(s, r, k);
      if (cr < 0 || !sameShape(cs, cr)) return false;
      if (crossing && (ps < 0 || pr < 0 || !sameShape(ps, cs) || !sameShape(pr, cs))) return false;
    }
    return true;
  };

  const groupParent = new Int32Array(graph.groups).fill(-1);
  for (let g = 0; g < graph.groups; g++)
    for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1]; m++)
      if (graph.memberIsParent[m]) groupParent[g] = graph.memberCell[m];
  // A cell pinned in a column: the parent of an equation whose children lie in other units that
  // do not move with it (a kommun over its RegSOs): a witness that changes it breaks the equation.
  const pinned = spec.additive.map(() => new Uint8Array(graph.cells));
  for (let g = 0; g < graph.groups; g++) {
    const p = groupParent[g];
    if (p < 0 || !units.unitOf[p]) continue;
    const m = graph.groupStart[g];
    const v = units.unitOf[graph.memberCell[graph.memberIsParent[m] ? m + 1 : m]];
    if (v === units.unitOf[p] || units.parent[v] === units.unitOf[p]) continue;
    for (let col = 0; col < A; col++) if (graph.valid[col][g] && graph.eq[col][g]) pinned[col][p] = 1;
  }
  /** A cell a witness may change in column col. */
  const movable = (c: number, col: number) => hid(c) && pinned[col][c] === 0;
  const residual = spec.additive.map(() => new Float64Array(graph.groups).fill(Number.NaN));
  const residualOf = (g: number, col: number) => {
    let r = residual[col][g];
    if (Number.isNaN(r)) {
      r = 0;
      for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1]; m++)
        r += (graph.memberIsParent[m] ? 1 : -1) * graph.values[col][graph.memberCell[m]];
      residual[col][g] = r;
    }
    return r;
  };
  const num = column.get(spec.quantities.numerator ?? "") ?? -1;
  const den = column.get(spec.quantities.denominator ?? "") ?? -1;
  const share = KINDS.indexOf("share");
  const wholeKind = KINDS.indexOf("whole");
  const coupled = num >= 0 && den >= 0 && num !== den;
  /** The cell's own bounds at the witness: suppressed, non-negative, numerator ≤ denominator
   * (= in a share whole by definition). */
  const cellHolds = (c: number) => {
    if (!hid(c)) return false;
    for (let col = 0; col < A; col++)
      if (nonNegative(c, col) && graph.values[col][c] + delta[col][c] < -TOLERANCE) return false;
    if (coupled && graph.kind[c] === share)
      return graph.values[num][c] + delta[num][c] <= graph.values[den][c] + delta[den][c] + TOLERANCE;
    if (coupled && graph.kind[c] === wholeKind)
      return (
        Math.abs(graph.values[num][c] + delta[num][c] - graph.values[den][c] - delta[den][c]) <= TOLERANCE
      );
    return true;
  };
  /** The group's relation holds for column col when its members moved by `change` (Σ coef·delta). */
  const groupHolds = (g: number, col: number, change: number) => {
    if (!graph.valid[col][g]) return true;
    const scale = TOLERANCE * Math.max(1, Math.abs(change));
    return graph.eq[col][g] ? Math.abs(change) <= scale : residualOf(g, col) + change >= -scale;
  };

  // The witness under construction: true values plus delta. Every change is logged, so a move
  // that breaks something is rolled back, and the group sums Σ coef·delta are kept as it grows.
  const delta = spec.additive.map(() => new Float64Array(graph.cells));
  const running = spec.additive.map(() => new Float64Array(graph.groups));
  let logCell = new Int32Array(1024);
  let logCol = new Uint8Array(1024);
  let logAmount = new Float64Array(1024);
  // With a repair: the published cells the witness touches, in order, and which log entry touched
  // each first (so that a rollback forgets them).
  let logTouch = new Uint8Array(1024);
  const touched = new Uint8Array(repair ? graph.cells : 0);
  const touchedList: number[] = [];
  let logLength = 0;
  const apply = (cell: number, col: number, amount: number) => {
    delta[col][cell] += amount;
    for (let k = graph.cellStart[cell]; k < graph.cellStart[cell + 1]; k++) {
      const g = graph.cellGroup[k];
      running[col][g] += groupParent[g] === cell ? amount : -amount;
    }
  };
  const add = (cell: number, col: number, amount: number) => {
    apply(cell, col, amount);
    if (logLength === logCell.length) {
      const grow = <T extends Int32Array | Uint8Array | Float64Array>(a: T, b: T) => {
        b.set(a);
        return b;
      };
      logCell = grow(logCell, new Int32Array(2 * logLength));
      logCol = grow(logCol, new Uint8Array(2 * logLength));
      logAmount = grow(logAmount, new Float64Array(2 * logLength));
      logTouch = grow(logTouch, new Uint8Array(2 * logLength));
    }
    const first = repair !== undefined && !graph.sup[cell] && !touched[cell];
    if (first) {
      touched[cell] = 1;
      touchedList.push(cell);
    }
    logTouch[logLength] = first ? 1 : 0;
    logCell[logLength] = cell;
    logCol[logLength] = col;
    logAmount[logLength++] = amount;
  };
  const rollback = (mark: number) => {
    while (logLength > mark) {
      logLength--;
      apply(logCell[logLength], logCol[logLength], -logAmount[logLength]);
      if (logTouch[logLength]) touched[touchedList.pop() as number] = 0;
    }
  };
  /** Moves all persons (every additive column) of unit s into unit r, parents along; false (and
   * nothing moved) when that breaks a bound or a relation. */
  const tryMove = (s: number, r: number) => {
    const mark = logLength;
    const { from, to } = cellsOf(s);
    for (let k = from; k < to; k++) {
      const { cs, cr, crossing, ps, pr } = counterparts(s, r, k);
      for (let col = 0; col < A; col++) {
        const v = graph.values[col][cs] + delta[col][cs];
        if (Number.isNaN(v) || v === 0) continue;
        add(cs, col, -v);
        add(cr, col, v);
        if (crossing) {
          add(ps, col, -v);
          add(pr, col, v);
        }
      }
    }
    return keepIfValid(mark);
  };
  /** Keeps the changes logged since `mark` if every changed cell and relation still holds. */
  const keepIfValid = (mark: number) => {
    for (let e = mark; e < logLength; e++) {
      const cell = logCell[e];
      const col = logCol[e];
      let ok = cellHolds(cell);
      for (let k = graph.cellStart[cell]; ok && k < graph.cellStart[cell + 1]; k++)
        ok = groupHolds(graph.cellGroup[k], col, running[col][graph.cellGroup[k]]);
      if (!ok) {
        rollback(mark);
        return false;
      }
    }
    if (repair && touchedList.length > repair.maxHidden) {
      rollback(mark);
      return false;
    }
    return true;
  };
  /** The published cells the witness under construction changes (those it would hide). */
  const publishedChanged = () =>
    touchedList.filter((c) => {
      for (let col = 0; col < A; col++) if (Math.abs(delta[col][c]) > TOLERANCE) return true;
      return false;
    });
  /**
   * Applies a swap: `pattern` gives, per slice, how many times `amount` of column col unit r
   * gains (negative: loses); unit s takes the opposite, and when the two have different parents
   * the parents follow their units. Every total over units stays as it was. Without a partner
   * (s = 0) the pattern is applied to r alone: a cycle that keeps every total of r. `persons`:
   * the columns the moved persons count in, when not col alone (numerator and denominator).
   */
  const trySwap = (
    r: number,
    s: number,
    pattern: [number, number][],
    col: number,
    amount: number,
    persons?: number[],
  ) => {
    const mark = logLength;
    const sides: [number, number][] = [[r, 1]];
    if (s !== 0) sides.push([s, -1]);
    if (s !== 0 && units.parent[s] !== units.parent[r])
      sides.push([units.parent[r], 1], [units.parent[s], -1]);
    const cells: number[] = [];
    let whole = false;
    for (const [u] of sides)
      for (const [slice] of pattern) {
        const c = cellWithSlice(u, slice);
        if (c < 0 || Number.isNaN(graph.values[col][c])) return false;
        cells.push(c);
        if (graph.kind[c] === wholeKind) whole = true;
      }
    // Persons of a cell whole by definition are in its numerator and its denominator alike: where
    // the pattern passes one, both columns move.
    const columns = persons ?? (coupled && whole && (col === num || col === den) ? [num, den] : [col]);
    let i = 0;
    for (const [, sign] of sides)
      for (const [, k] of pattern) {
        const c = cells[i++];
        for (const moved of columns) {
          if (Number.isNaN(graph.values[moved][c])) {
            rollback(mark);
            return false;
          }
          add(c, moved, sign * k * amount);
        }
      }
    return keepIfValid(mark);
  };

  // The independent check of the finished witness, recomputed from the changed cells alone:
  // every changed cell within its bounds, every relation that touches one still holding.
  const changed = new Uint8Array(graph.cells);
  const groupSum = spec.additive.map(() => new Float64Array(graph.groups));
  const groupStamp = new Int32Array(graph.groups);
  let stamp = 0;
  const valid = (cells: number[]): boolean => {
    stamp++;
    const groups: number[] = [];
    for (const c of cells) {
      if (!cellHolds(c)) return false;
      for (let k = graph.cellStart[c]; k < graph.cellStart[c + 1]; k++) {
        const g = graph.cellGroup[k];
        if (groupStamp[g] !== stamp) {
          groupStamp[g] = stamp;
          groups.push(g);
          for (let col = 0; col < A; col++) groupSum[col][g] = 0;
        }
        const coef = groupParent[g] === c ? 1 : -1;
        for (let col = 0; col < A; col++) groupSum[col][g] += coef * delta[col][c];
      }
    }
    for (const g of groups)
      for (let col = 0; col < A; col++) if (!groupHolds(g, col, groupSum[col][g])) return false;
    return true;
  };

  const met = (r: number) => {
    const q = requirements[r];
    const c = q.cell - 1;
    let value = 0;
    for (const t of q.terms) {
      const col = column.get(t.column) as number;
      value += t.coef * (graph.values[col][c] + delta[col][c]);
    }
    const tolerance = TOLERANCE * Math.max(1, Math.abs(q.bound));
    return q.sense === "max" ? value >= q.bound - tolerance : value <= q.bound + tolerance;
  };
  let count = 0;
  /** Marks what the finished witness proves, if it passes the check, and clears it. */
  const settle = () => {
    const cells: number[] = [];
    for (let e = 0; e < logLength; e++)
      if (!changed[logCell[e]]) {
        changed[logCell[e]] = 1;
        cells.push(logCell[e]);
      }
    if (cells.length > 0 && valid(cells)) {
      const meets: number[] = [];
      for (const c of cells) for (const r of byCell.get(c) ?? []) if (!proven[r] && met(r)) meets.push(r);
      // A repair hides the published cells it changed, but only for a witness that proves something.
      const hidden = repair ? publishedChanged() : [];
      if (hidden.length === 0 || (meets.length > 0 && repair && hidden.length <= repair.maxHidden)) {
        if (hidden.length > 0) repair?.hide(hidden);
        for (const r of meets) proven[r] = 1;
        count += meets.length;
        if (meets.length > 0 && options.log) {
          // The table for the audit (certificates.ts), which checks it on its own.
          const at: number[] = [];
          const columns: number[] = [];
          const values: number[] = [];
          for (const c of cells)
            for (let col = 0; col < A; col++)
              if (Math.abs(delta[col][c]) > TOLERANCE) {
                at.push(c);
                columns.push(col);
                values.push(graph.values[col][c] + delta[col][c]);
              }
          options.log.addChanges(at, columns, values);
        }
      }
    }
    // Clear the witness: the changed cells and the sums of their groups.
    for (const c of cells) {
      changed[c] = 0;
      for (let col = 0; col < A; col++) {
        delta[col][c] = 0;
        for (let k = graph.cellStart[c]; k < graph.cellStart[c + 1]; k++)
          running[col][graph.cellGroup[k]] = 0;
      }
    }
    logLength = 0;
    for (const c of touchedList) touched[c] = 0;
    touchedList.length = 0;
  };
  // Open requirements of a unit's cells and its parent's, by sense.
  const open = (u: number, sense: "max" | "min") => {
    const out: number[] = [];
    for (const v of [u, units.parent[u]]) {
      if (!v) continue;
      const { from, to } = cellsOf(v);
      for (let k = from; k < to; k++)
        for (const r of byCell.get(units.cell[k]) ?? [])
          if (!proven[r] && requirements[r].sense === sense) out.push(r);
    }
    return out;
  };

  // What a gather can reach at most: a slice's total over the pool's dark units (non-negative
  // quantities only add up), so requirements beyond it are not tried, which keeps a pool of
  // hundreds of DeSOs from costing hundreds of moves per unit.
  const poolTotal = new Map<number, Float64Array>();
  const totalKey = (pool: number, slice: number) => pool * 65_536 + slice;
  for (const [pool, members] of byPool)
    for (const u of members) {
      const { from, to } = cellsOf(u);
      for (let k = from; k < to; k++) {
        const key = totalKey(pool, units.slice[k]);
        let total = poolTotal.get(key);
        if (!total) {
          total = new Float64Array(A);
          poolTotal.set(key, total);
        }
        for (let col = 0; col < A; col++) {
          const v = graph.values[col][units.cell[k]];
          if (v > 0) total[col] += v;
        }
      }
    }
  const sliceOf = (c: number) => units.sliceOf[c];
  const reachable = (q: number, pool: number) => {
    const req = requirements[q];
    const c = req.cell - 1;
    const total = poolTotal.get(totalKey(pool, sliceOf(c)));
    if (!total) return false;
    // A parent cell keeps what its other children hold besides the pool's units.
    const ownUnit = units.parent[units.unitOf[c]] !== 0;
    let reach = 0;
    for (const t of req.terms) {
      const col = column.get(t.column) as number;
      if (t.coef > 0) reach += t.coef * (total[col] + (ownUnit ? 0 : Math.max(0, graph.values[col][c])));
    }
    return reach >= req.bound;
  };

  for (const [pool, members] of byPool) {
    // Dark units by parent, and those whose parent is dark too (they may cross to another parent).
    const byParent = groupBy(members, (u) => units.parent[u]);
    const crossing = members.filter((u) => dark[units.parent[u]]);
    /** Visits the partners of r, same parent first, until `visit` returns true. */
    const eachPartner = (r: number, visit: (s: number) => boolean) => {
      for (const s of byParent.get(units.parent[r]) ?? []) if (s !== r && visit(s)) return;
      if (dark[units.parent[r]])
        for (const s of crossing) if (units.parent[s] !== units.parent[r] && visit(s)) return;
    };
    for (const r of members) {
      // Gather: partners move in one by one until the unit's (and its parent's) upper bounds hold.
      const wanted = open(r, "max").filter((q) => reachable(q, pool));
      if (wanted.length > 0) {
        eachPartner(r, (s) => canMove(s, r) && tryMove(s, r) && wanted.every(met));
        settle();
      }
      // Empty the unit into a partner: its lower bounds.
      if (open(r, "min").length > 0) {
        eachPartner(r, (s) => canMove(r, s) && tryMove(r, s));
        settle();
      }
    }
  }
  // Swaps, for units that are not dark: a cell takes persons from a hidden sibling (kön 2 for
  // kön 1; another age class for an age class), the parents inside the unit follow (kön totalt of
  // the two age classes), and a partner unit of the pool does the opposite, so every total of
  // either unit and everything above them stays — e.g. a DeSO whose total is published, or a
  // kommun whose age classes are hidden, mirrored in another kommun of the län. Partners are
  // taken one by one, each giving what its cells allow (a numerator never above its denominator),
  // until the requirement holds.
  const value = (c: number, col: number) => graph.values[col][c] + delta[col][c];
  /** How far a share cell's numerator lies below its denominator (no limit in other cells). */
  const headroom = (c: number) =>
    coupled && graph.kind[c] === share ? value(c, den) - value(c, num) : Number.POSITIVE_INFINITY;
  /**
   * How much unit u's side of a pattern allows (sign +1: u gains the pattern, −1: u loses it):
   * what its losing cells hold, and what its gaining cells take without a numerator passing its
   * denominator. NaN when a cell is missing or published.
   */
  const capacityOf = (pattern: [number, number][], u: number, sign: number, col: number) => {
    let cap = Number.POSITIVE_INFINITY;
    for (const [slice, x] of pattern) {
      const c = cellWithSlice(u, slice);
      if (c < 0 || !movable(c, col) || Number.isNaN(graph.values[col][c])) return Number.NaN;
      const k = sign * x;
      if (k < 0) {
        cap = Math.min(cap, value(c, col) / -k);
        if (col === den) cap = Math.min(cap, headroom(c) / -k);
      } else if (col === num) cap = Math.min(cap, headroom(c) / k);
    }
    return cap;
  };
  /**
   * Like capacityOf, for persons counted in the numerator and the denominator alike: what unit u's
   * losing cells hold in both columns (a gaining cell's numerator and denominator rise together).
   */
  const capacityOfPersons = (pattern: [number, number][], u: number, sign: number) => {
    let cap = Number.POSITIVE_INFINITY;
    for (const [slice, x] of pattern) {
      const c = cellWithSlice(u, slice);
      if (
        c < 0 ||
        !movable(c, num) ||
        !movable(c, den) ||
        Number.isNaN(graph.values[num][c]) ||
        Number.isNaN(graph.values[den][c])
      )
        return Number.NaN;
      const k = sign * x;
      if (k < 0) cap = Math.min(cap, value(c, num) / -k, value(c, den) / -k);
    }
    return cap;
  };
  /** Groups inside unit u that hold cell c as a child. */
  const innerGroups = (c: number, u: number) => {
    const out: number[] = [];
    for (let k = graph.cellStart[c]; k < graph.cellStart[c + 1]; k++) {
      const g = graph.cellGroup[k];
      if (groupParent[g] !== c && groupParent[g] >= 0 && units.unitOf[groupParent[g]] === u) out.push(g);
    }
    return out;
  };
  /**
   * The swap of cell `up` against `down` inside unit u as coefficients per cell: +1 and −1, and
   * the parents inside the unit raised or lowered level by level so that every equation inside
   * the unit keeps holding. Undefined when a parent that would have to change is published.
   */
  const swapPattern = (u: number, up: number, down: number, col: number) =>
    closeInUnit(
      u,
      [
        [up, 1],
        [down, -1],
      ],
      col,
      3,
    );
  /**
   * Starting coefficients per cell (`corners`), with the parents inside unit u raised or lowered
   * level by level (up to `depth` levels) until every equation inside u that they touch balances.
   * Undefined when a parent that would have to change is published.
   */
  const closeInUnit = (u: number, corners: [number, number][], col: number, depth: number) => {
    const coef = new Map<number, number>(corners);
    let level = corners.map(([c]) => c);
    for (let d = 0; d < depth && level.length > 0; d++) {
      const next: number[] = [];
      const seen = new Set<number>();
      for (const x of level)
        for (const g of innerGroups(x, u)) {
          if (seen.has(g) || !graph.valid[col][g] || !graph.eq[col][g]) continue;
          seen.add(g);
          const p = groupParent[g];
          let imbalance = coef.get(p) ?? 0;
          for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1]; m++)
            if (!graph.memberIsParent[m]) imbalance -= coef.get(graph.memberCell[m]) ?? 0;
          if (imbalance === 0) continue;
          if (!hid(p)) return undefined;
          coef.set(p, (coef.get(p) ?? 0) - imbalance);
          next.push(p);
        }
      level = next;
    }
    return coef;
  };
  /** What requirement q still lacks at the current witness (in its quantity's units). */
  const shortfall = (q: number) => {
    const req = requirements[q];
    let need = req.bound;
    for (const t of req.terms) need -= t.coef * value(req.cell - 1, column.get(t.column) as number);
    return need - TOLERANCE;
  };
  /** The partners of unit r among `members`: those of its own parent first, then the others. */
  const partnersOf = (r: number, members: number[], byParent: Map<number, number[]>) => {
    const partners = (byParent.get(units.parent[r]) ?? []).filter((u) => u !== r);
    for (const u of members) if (units.parent[u] !== units.parent[r]) partners.push(u);
    return partners;
  };
  // Units that are some unit's parent (RegSO) move only along with their children.
  const isParent = new Uint8Array(unitCount + 1);
  for (let u = 1; u <= unitCount; u++) isParent[units.parent[u]] = 1;
  const swapping = groupBy(
    unitsHere.filter((u) => !isParent[u] && units.pool[u]),
    (u) => units.pool[u],
  );
  for (const members of swapping.values()) {
    const byParent = groupBy(members, (u) => units.parent[u]);
    for (const r of members) {
      const partners = partnersOf(r, members, byParent);
      const { from, to } = cellsOf(r);
      for (let k = from; k < to; k++) {
        const cA = units.cell[k];
        for (const q of byCell.get(cA) ?? []) {
          const req = requirements[q];
          if (proven[q]) continue;
          // The column that moves: the one the requirement raises (a complement raises the
          // denominator), or lowers for a lower bound (money): then the swap runs the other way.
          const dir = req.sense === "max" ? 1 : -1;
          const term = req.terms.find((t) => t.coef > 0);
          if (!term) continue;
          const col = column.get(term.column) as number;
          // A dark unit first takes over the dark units of its parent, which no published cell sees.
          if (dark[r] && dir > 0)
            for (const s of partners) {
              if (met(q) || units.parent[s] !== units.parent[r]) break;
              if (dark[s] && canMove(s, r)) tryMove(s, r);
            }
          // Drivers: the cell itself, or a child of it inside the unit (kön 1 of an age class
          // raises the class's kön totalt through the unit's own equation).
          const drivers = [cA];
          for (let j = graph.cellStart[cA]; j < graph.cellStart[cA + 1]; j++) {
            const g = graph.cellGroup[j];
            if (groupParent[g] !== cA) continue;
            for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1]; m++) {
              const c = graph.memberCell[m];
              if (c !== cA && hid(c) && units.unitOf[c] === r && !drivers.includes(c)) drivers.push(c);
            }
          }
          for (const driver of drivers) {
            if (met(q)) break;
            for (const g of innerGroups(driver, r)) {
              if (met(q) || groupParent[g] === cA) continue;
              for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1] && !met(q); m++) {
                const sibling = graph.memberCell[m];
                if (graph.memberIsParent[m] || sibling === driver || !hid(sibling)) continue;
                // The sibling gives what the cell gains (the driver what it loses): it must hold that much.
                if (value(dir > 0 ? sibling : driver, col) < dir * shortfall(q)) continue;
                const coef = swapPattern(r, driver, sibling, col);
                if (!coef || (coef.get(cA) ?? 0) <= 0) continue;
                const pattern: [number, number][] = [...coef].map(([c, x]) => [sliceOf(c), x]);
                const capacity = (u: number, sign: number) => capacityOf(pattern, u, sign, col);
                const missing = () => Math.ceil((dir * shortfall(q)) / (coef.get(cA) as number));
                // Hopeless unless r's side and the partners' together allow what is missing.
                const own = capacity(r, dir);
                if (!(own >= missing())) continue;
                const looked = partners.slice(0, 4 * SWAP_PARTNERS);
                const offer = (s: number) => {
                  const cap = capacity(s, -dir);
                  if (units.parent[s] === units.parent[r]) return cap;
                  return Math.min(cap, capacity(units.parent[r], dir), capacity(units.parent[s], -dir));
                };
                let offered = 0;
                for (let i = 0; i < looked.length && !(offered >= missing()); i++) {
                  const x = Math.floor(offer(looked[i]));
                  if (x > 0) offered += x;
                }
                if (!(offered >= missing())) continue;
                let tries = 0;
                for (let i = 0; i < looked.length && tries < SWAP_PARTNERS && !met(q); i++) {
                  const s = looked[i];
                  // Capacities change as swaps are made: recomputed for the pair at hand.
                  if (!(offer(s) >= 1)) continue;
                  let amount = Math.min(missing(), capacity(r, dir), capacity(s, -dir));
                  if (units.parent[s] !== units.parent[r])
                    amount = Math.min(
                      amount,
                      capacity(units.parent[r], dir),
                      capacity(units.parent[s], -dir),
                    );
                  amount = Math.floor(amount + TOLERANCE);
                  if (!(amount > 0)) continue;
                  tries++;
                  trySwap(r, s, pattern, col, dir * amount);
                }
              }
            }
          }
          settle();
        }
      }
    }
  }

  // Moves of persons between units: a unit takes persons of the kind its cell counts from a
  // partner of its pool, e.g. women born in Sweden from another DeSO of the kommun. The persons
  // add to the cell, to its parents inside the unit, and to one child of every equation inside
  // the unit whose parent they add to (`personPattern`); the partner loses the same cells, and
  // when the two lie in different parents (RegSO), the parents move along. This reaches what a
  // gather of whole units cannot: units that are not dark, and units whose relations hold only
  // among their own cells. A lower bound (money) is proven the other way round.
  /** The children of group g lie in unit u (a relation among u's own cells, not a kommun over
   * its RegSOs). Children of one group lie all in one unit or all outside it. */
  const ownChildren = (g: number, u: number) => {
    const m = graph.groupStart[g];
    return units.unitOf[graph.memberCell[graph.memberIsParent[m] ? m + 1 : m]] === u;
  };
  /** Relations among unit u's own cells that an exchange keeps as they are: equations, and
   * inequalities too (a change that leaves Σ children as it was keeps a ≥, e.g. the områdestyper
   * of a kommun). */
  const isKept = (g: number, u: number, col: number) =>
    groupParent[g] >= 0 &&
    units.unitOf[groupParent[g]] === u &&
    graph.valid[col][g] === 1 &&
    ownChildren(g, u);
  /** The equations among unit u's own cells (what a person pattern balances). */
  const isInner = (g: number, u: number, col: number) => isKept(g, u, col) && graph.eq[col][g] === 1;
  /**
   * The cells of unit u that a person of the kind of cell c adds to, or undefined when a
   * published cell would change or an equation inside u cannot be balanced. Where an equation
   * needs a child, the one chosen is suppressed, brings in the fewest new parents, and has the
   * largest `weight` (what the partner holds there).
   */
  const personPattern = (u: number, c: number, col: number, weight: (cell: number) => number) => {
    const inPattern = new Set<number>([c]);
    const pending = [c];
    const needChild: number[] = [];
    const newParents = (y: number, except: number) => {
      let n = 0;
      for (let k = graph.cellStart[y]; k < graph.cellStart[y + 1]; k++) {
        const h = graph.cellGroup[k];
        if (h !== except && groupParent[h] !== y && isInner(h, u, col) && !inPattern.has(groupParent[h])) n++;
      }
      return n;
    };
    for (;;) {
      while (pending.length > 0) {
        const x = pending.pop() as number;
        for (let k = graph.cellStart[x]; k < graph.cellStart[x + 1]; k++) {
          const g = graph.cellGroup[k];
          if (!isInner(g, u, col)) continue;
          const p = groupParent[g];
          if (p === x) needChild.push(g);
          else if (!inPattern.has(p)) {
            if (!movable(p, col)) return undefined;
            inPattern.add(p);
            pending.push(p);
          }
        }
      }
      // One child at a time, so that the next choice sees the parents this one brought in.
      const g = needChild.pop();
      if (g === undefined) break;
      let best = -1;
      let bestNew = Number.POSITIVE_INFINITY;
      let bestWeight = Number.NEGATIVE_INFINITY;
      let has = false;
      for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1] && !has; m++) {
        const y = graph.memberCell[m];
        if (graph.memberIsParent[m]) continue;
        if (inPattern.has(y)) has = true;
        else if (movable(y, col) && !Number.isNaN(graph.values[col][y])) {
          const fresh = newParents(y, g);
          const w = weight(y);
          if (fresh < bestNew || (fresh === bestNew && w > bestWeight)) {
            best = y;
            bestNew = fresh;
            bestWeight = w;
          }
        }
      }
      if (has) continue;
      if (best < 0) return undefined;
      inPattern.add(best);
      pending.push(best);
    }
    // Every equation inside u must balance: one child in the pattern when its parent is, none
    // otherwise (the checks of the move itself would catch it too, later and dearer).
    for (const x of inPattern)
      for (let k = graph.cellStart[x]; k < graph.cellStart[x + 1]; k++) {
        const g = graph.cellGroup[k];
        if (!isInner(g, u, col)) continue;
        let children = 0;
        for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1]; m++)
          if (!graph.memberIsParent[m] && inPattern.has(graph.memberCell[m])) children++;
        if (children !== (inPattern.has(groupParent[g]) ? 1 : 0)) return undefined;
      }
    return [...inPattern].map((x): [number, number] => [units.sliceOf[x], 1]);
  };
  /** How `balance` treats the relations it closes. */
  interface Balancing {
    /** The relations to close. */
    closes: (g: number) => boolean;
    /** Whether relation g is short when its parent less its children changed by d. */
    short: (g: number, d: number) => boolean;
    /** Whether cell y may change by k (the start changes stay as given). */
    may: (y: number, k: number) => boolean;
    /** Among children of equal cost, the one of largest weight is chosen. */
    weight: (y: number, k: number) => number;
    /** Most changes before it is given up. */
    steps: number;
  }
  // balance's working state, reused from one call to the next (stamped, not cleared).
  const closeCoef = new Float64Array(graph.cells);
  const closeCellStamp = new Int32Array(graph.cells);
  const closeSum = new Float64Array(graph.groups);
  const closeGroupStamp = new Int32Array(graph.groups);
  const closeFixed = new Int32Array(graph.cells);
  let closing = 0;
  /**
   * Closes the changes `start` (cell, coefficient): every relation that `closes` and that a
   * change touches holds again. A changed child moves its parent where the parent may change,
   * else a sibling the other way; a changed parent moves one child, one at a time, so that the
   * next choice sees what this one brought in. Each choice is the child that leaves the fewest
   * other relations short, then the one of largest weight; a cell changed once is not chosen
   * again (undoing a change would lead back to a pattern tried before). Cell coefficients, in the
   * order first changed; undefined when it does not close within `how.steps` changes.
   */
  const balance = (start: [number, number][], how: Balancing): [number, number][] | undefined => {
    closing++;
    const touched: number[] = [];
    const has = (y: number) => closeCellStamp[y] === closing;
    // Each group's parent less its children, kept as cells change: a kommun's relation to its
    // DeSOs has hundreds of members, too many to sum for every candidate.
    const imbalance = (g: number) => (closeGroupStamp[g] === closing ? closeSum[g] : 0);
    const shift = (y: number, k: number) => {
      if (!has(y)) {
        closeCellStamp[y] = closing;
        closeCoef[y] = 0;
        touched.push(y);
      }
      closeCoef[y] += k;
      for (let j = graph.cellStart[y]; j < graph.cellStart[y + 1]; j++) {
        const g = graph.cellGroup[j];
        closeSum[g] = imbalance(g) + (groupParent[g] === y ? k : -k);
        closeGroupStamp[g] = closing;
      }
    };
    for (const [c, k] of start) {
      shift(c, k);
      closeFixed[c] = closing;
    }
    /** Relations of y besides g that a change of y by k leaves short, less those it closes. */
    const cost = (y: number, k: number, g: number) => {
      let n = 0;
      for (let j = graph.cellStart[y]; j < graph.cellStart[y + 1]; j++) {
        const h = graph.cellGroup[j];
        if (h === g || !how.closes(h)) continue;
        const before = imbalance(h);
        n +=
          (how.short(h, before + (groupParent[h] === y ? k : -k)) ? 1 : 0) - (how.short(h, before) ? 1 : 0);
      }
      return n;
    };
    /** The child of g best changed by k (−1: none). */
    const choose = (g: number, k: number) => {
      let best = -1;
      let bestCost = Number.POSITIVE_INFINITY;
      let bestWeight = Number.NEGATIVE_INFINITY;
      for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1]; m++) {
        const y = graph.memberCell[m];
        if (graph.memberIsParent[m] || has(y) || !how.may(y, k)) continue;
        const n = cost(y, k, g);
        const w = how.weight(y, k);
        if (n < bestCost || (n === bestCost && w > bestWeight)) {
          best = y;
          bestCost = n;
          bestWeight = w;
        }
      }
      return best;
    };
    const pending = start.map(([c]) => c);
    const needChild: number[] = [];
    let steps = 0;
    const change = (y: number, k: number) => {
      shift(y, k);
      pending.push(y);
      steps++;
    };
    for (;;) {
      while (pending.length > 0) {
        if (steps > how.steps) return undefined;
        const x = pending.pop() as number;
        for (let j = graph.cellStart[x]; j < graph.cellStart[x + 1]; j++) {
          const g = graph.cellGroup[j];
          if (!how.closes(g)) continue;
          const d = imbalance(g);
          if (!how.short(g, d)) continue;
          const p = groupParent[g];
          if (p === x) needChild.push(g);
          else if (closeFixed[p] !== closing && how.may(p, -d)) change(p, -d);
          else {
            const y = choose(g, d);
            if (y < 0) return undefined;
            change(y, d);
          }
        }
      }
      const g = needChild.pop();
      if (g === undefined) break;
      const d = imbalance(g);
      if (!how.short(g, d)) continue;
      const y = choose(g, d);
      if (y < 0) return undefined;
      change(y, d);
    }
    const changes: [number, number][] = [];
    for (const y of touched) {
      const k = closeCoef[y];
      if (k === 0) continue;
      for (let j = graph.cellStart[y]; j < graph.cellStart[y + 1]; j++) {
        const g = graph.cellGroup[j];
        if (how.closes(g) && how.short(g, imbalance(g))) return undefined;
      }
      changes.push([y, k]);
    }
    return changes;
  };
  /**
   * An exchange inside unit u, for a cell whose person pattern runs into a published total: persons
   * of the kind of cell c come in and persons of another kind leave, so that no published cell of
   * u changes — women of vistelsetid 2–3 come into a kommun whose women are published, and as
   * many women born in Sweden leave. Built by balancing every relation inside u that a change
   * touches: a changed child moves its hidden parent, or a hidden sibling the other way where the
   * parent is published; a changed parent moves one child. Each choice is the cell that leaves
   * the fewest relations unbalanced, then the one of largest `weight` (k: the change: what u
   * or its partner holds where it gives persons away). Coefficients per slice; undefined when it
   * does not close.
   */
  const exchangePattern = (
    u: number,
    c: number,
    col: number,
    weight: (cell: number, k: number) => number,
  ) => {
    const changes = balance([[c, 1]], {
      closes: (g) => isKept(g, u, col),
      // Inequalities inside u are kept as they are: Σ children stays where the parent does.
      short: (_, d) => d !== 0,
      may: (y) => movable(y, col) && !Number.isNaN(graph.values[col][y]),
      weight,
      steps: EXCHANGE_STEPS,
    });
    return changes?.map(([y, k]): [number, number] => [units.sliceOf[y], k]);
  };
  // Cycles inside one unit: the cell gains from a sibling of one equation (kön 2 of its class),
  // a sibling of another equation (kön 1 of another class) loses, and the fourth corner (kön 2
  // of that class) gains, so that every total of the unit stays and no partner is needed — the
  // kommun whose kön totals and class totals are published but whose kön × class cells are not.
  // Parents inside the unit follow where a corner's other equations ask for it.
  /** The cycle x+ y− x2− y2+ closed by the parents inside u, as slices and coefficients. */
  const cyclePattern = (u: number, corners: [number, number][], col: number) => {
    const coef = closeInUnit(u, corners, col, 4);
    if (!coef) return undefined;
    const pattern: [number, number][] = [];
    for (const [c, x] of coef) if (x !== 0) pattern.push([units.sliceOf[c], x]);
    return pattern;
  };
  /** Whether the column holds whole persons (then moves are whole persons too). */
  const whole = (c: number, col: number) => Number.isInteger(graph.values[col][c]);
  /**
   * How much to move: what is missing, but no more than the cells allow; in whole units where the
   * column holds whole numbers, what is missing rounded up (a bound of 1.1 × 169,804 kr needs
   * 16,981 kr more, not 16,980) and what is allowed rounded down.
   */
  const step = (c: number, col: number, missing: number, allowed: number) =>
    whole(c, col)
      ? Math.min(Math.ceil(missing - TOLERANCE), Math.floor(allowed + TOLERANCE))
      : Math.min(missing, allowed);
  /** Moves cell x of unit u towards requirement q (sign +1: up, −1: down) by cycles inside u. */
  const cycles = (u: number, x: number, q: number, col: number, sign: number) => {
    const siblings = (c: number) => {
      const out: number[] = [];
      for (let k = graph.cellStart[c]; k < graph.cellStart[c + 1]; k++) {
        const g = graph.cellGroup[k];
        if (groupParent[g] === c || !isInner(g, u, col)) continue;
        for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1]; m++) {
          const y = graph.memberCell[m];
          if (!graph.memberIsParent[m] && y !== c && hid(y)) out.push(y);
        }
      }
      return out;
    };
    const near = siblings(x);
    if (near.length < 2) return;
    const around = new Map<number, Set<number>>();
    const siblingsOf = (c: number) => {
      let set = around.get(c);
      if (!set) {
        set = new Set(siblings(c));
        around.set(c, set);
      }
      return set;
    };
    let attempts = 0;
    for (const y of near)
      for (const x2 of near) {
        if (met(q) || attempts >= CYCLE_ATTEMPTS) return;
        // y and x2 from different equations of x; the fourth corner is a sibling of both.
        if (x2 === y || siblingsOf(y).has(x2)) continue;
        for (const y2 of siblingsOf(x2)) {
          if (y2 === x || !siblingsOf(y).has(y2)) continue;
          attempts++;
          const pattern = cyclePattern(
            u,
            [
              [x, 1],
              [y, -1],
              [x2, -1],
              [y2, 1],
            ],
            col,
          );
          if (!pattern) continue;
          const amount = step(x, col, sign * shortfall(q), capacityOf(pattern, u, sign, col));
          if (amount > TOLERANCE) trySwap(u, 0, pattern, col, sign * amount);
          if (met(q)) return;
        }
      }
  };
  /**
   * What moves for requirement q: the column its bound raises (a complement raises the
   * denominator), the direction (+1: the unit gains the persons, for an upper bound; −1: it gives
   * them away, for a lower one), what is still missing, and which persons: those counted in the
   * column alone, and for a share's numerator or denominator also those counted in both (the
   * cells giving persons away may be near their numerator or near their denominator).
   * `together` sums what every kind of persons allows (a kind a cell does not allow counts 0).
   * Undefined when no term of the bound rises.
   */
  const moveFor = (q: number) => {
    const req = requirements[q];
    const term = req.terms.find((t) => t.coef > 0);
    if (!term) return undefined;
    const col = column.get(term.column) as number;
    const sign = req.sense === "max" ? 1 : -1;
    const kinds: number[][] =
      coupled && req.terms.length === 1 && (col === num || col === den) ? [[col], [num, den]] : [[col]];
    const together = (allow: (persons: number[]) => number) => {
      let sum = 0;
      for (const persons of kinds) {
        const x = allow(persons);
        if (x > 0) sum += x;
      }
      return sum;
    };
    return { col, sign, kinds, together, missing: () => sign * shortfall(q) };
  };
  /** The open requirements of unit r's cells that a column can move, cell by cell (each checked
   * when reached, so that one proven on the way is passed over). */
  function* openIn(r: number) {
    const { from, to } = cellsOf(r);
    for (let k = from; k < to; k++) {
      const cA = units.cell[k];
      for (const q of byCell.get(cA) ?? []) {
        if (proven[q]) continue;
        const move = moveFor(q);
        if (move) yield { cA, q, move };
      }
    }
  }
  for (const members of swapping.values()) {
    const byParent = groupBy(members, (u) => units.parent[u]);
    for (const r of members) {
      const partners = partnersOf(r, members, byParent);
      const looked = partners.slice(0, 4 * SWAP_PARTNERS);
      for (const { cA, q, move } of openIn(r)) {
        const { col, sign, missing, kinds, together } = move;
        const capacity = (pattern: [number, number][], u: number, sgn: number, persons: number[]) =>
          persons.length === 1 ? capacityOf(pattern, u, sgn, col) : capacityOfPersons(pattern, u, sgn);
        const own = (pattern: [number, number][], persons: number[]) => capacity(pattern, r, sign, persons);
        const side = (pattern: [number, number][], s: number, persons: number[]) => {
          let cap = capacity(pattern, s, -sign, persons);
          if (units.parent[s] !== units.parent[r])
            cap = Math.min(
              cap,
              capacity(pattern, units.parent[r], sign, persons),
              capacity(pattern, units.parent[s], -sign, persons),
            );
          return cap;
        };
        // A cell that no relation pins down moves alone (the checks see any relation it breaks).
        const alone = step(cA, col, missing(), Number.POSITIVE_INFINITY);
        if (alone > 0) trySwap(r, 0, [[sliceOf(cA), 1]], col, sign * alone);
        if (!met(q)) cycles(r, cA, q, col, sign);
        if (met(q)) {
          settle();
          continue;
        }
        // A first pattern, chosen by what r itself holds: hopeless requirements stop here.
        // Where a person move runs into a published total, an exchange: chosen by what r holds
        // where it gives persons away, then per partner by what the partner holds where it does.
        const exchange = (s: number) =>
          exchangePattern(r, cA, col, (y, k) => {
            if (sign * k < 0) return value(y, col);
            if (s === 0) return 0;
            const ys = cellWithSlice(s, units.sliceOf[y]);
            return ys < 0 || !hid(ys) ? -1 : value(ys, col);
          });
        // For an upper bound partners give persons of the cell's kind away: one that holds none
        // in the cell's own slice cannot help, and it is hopeless unless they hold what r lacks.
        const holds = (s: number) => {
          if (sign < 0) return true;
          const cs = cellWithSlice(s, sliceOf(cA));
          return cs >= 0 && hid(cs) && value(cs, col) > 0;
        };
        if (sign > 0) {
          let held = 0;
          for (let i = 0; i < looked.length && !(held >= missing()); i++)
            if (holds(looked[i])) held += value(cellWithSlice(looked[i], sliceOf(cA)), col);
          if (!(held >= missing())) continue;
        }
        const person = personPattern(r, cA, col, (y) => value(y, col));
        const first = person ?? exchange(0);
        if (!first || !(together((persons) => own(first, persons)) >= missing())) continue;
        const patterns = new Map<number, [number, number][]>();
        let ownPatterns = 0;
        /** The pattern for partner s: the first where it gives something; else, for a few
         * partners, one of their own, with the children chosen where the partner holds most. */
        const patternFor = (s: number) => {
          let pattern = patterns.get(s);
          if (!pattern) {
            if (together((persons) => side(first, s, persons)) > 0 || ownPatterns >= OWN_PATTERNS)
              pattern = first;
            else {
              ownPatterns++;
              pattern =
                (person
                  ? personPattern(r, cA, col, (y) => {
                      const ys = cellWithSlice(s, units.sliceOf[y]);
                      return ys < 0 ? -1 : value(ys, col);
                    })
                  : exchange(s)) ?? first;
            }
            patterns.set(s, pattern);
          }
          return pattern;
        };
        let offered = 0;
        for (let i = 0; i < looked.length && !(offered >= missing()); i++)
          if (holds(looked[i]))
            offered += together((persons) => side(patternFor(looked[i]), looked[i], persons));
        if (!(offered >= missing())) continue;
        let tries = 0;
        for (let i = 0; i < looked.length && tries < SWAP_PARTNERS && !met(q); i++) {
          const s = looked[i];
          if (!holds(s)) continue;
          const pattern = patternFor(s);
          let moved = false;
          for (const persons of kinds) {
            if (met(q)) break;
            const amount = step(
              cA,
              col,
              missing(),
              Math.min(own(pattern, persons), side(pattern, s, persons)),
            );
            if (!(amount > TOLERANCE)) continue;
            moved = true;
            trySwap(r, s, pattern, col, sign * amount, persons.length === 1 ? undefined : persons);
          }
          if (moved) tries++;
        }
        settle();
      }
    }
  }

  // Exchanges across levels. A kommun's exchange often needs its small areas to follow: women born
  // in Sweden who leave a kommun must leave one of its RegSOs (and a DeSO of it) too, since the
  // kommun holds no more of them than its RegSOs together (kommun ≥ Σ RegSO, with no room). So the
  // pattern is closed over the kommun and the units below it, every relation there holding again,
  // and each partner kommun of the län closes the mirrored pattern over its own units below; the
  // relations to the län balance between the two. This proves many kommun denominators of small
  // universes (behöriga till gymnasiet and högskola, sfi), which otherwise go to the LP.
  /** A unit directly above unit v through a relation (RegSO → kommun, DeSO → RegSO or kommun; 0: none). */
  const above = new Int32Array(unitCount + 1);
  // Read only by those exchanges: not built when they do not run.
  for (let g = 0; acrossLevels && g < graph.groups; g++) {
    const p = groupParent[g];
    if (p < 0 || !units.unitOf[p]) continue;
    // Every child: the RegSOs of a kommun are units of their own, all below it.
    for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1]; m++) {
      const v = units.unitOf[graph.memberCell[m]];
      if (v && v !== units.unitOf[p]) above[v] = units.unitOf[p];
    }
  }
  /** The unit at the top of unit v's chain (v itself when nothing is above it). */
  const topOf = new Int32Array(unitCount + 1);
  for (let v = 1; v <= unitCount; v++) {
    let t = v;
    for (let i = 0; above[t] && i < 8; i++) t = above[t];
    topOf[v] = t;
  }
  /** Cell c lies in unit u or a unit below it. */
  const inTree = (c: number, u: number) => units.unitOf[c] !== 0 && topOf[units.unitOf[c]] === u;
  /**
   * Closes the changes `start` (cell, coefficient; these stay as given) over unit u and the units
   * below it: every relation whose parent lies there holds again — an equation balanced, a ≥ not
   * short (its parent may rise and its children fall) — by moving a hidden parent along or a hidden
   * child the other way, each choice the cell that leaves the fewest other relations short, then
   * the one with most `room` for its change k (a cell with none is passed over). Relations to
   * cells above u are left to the partner. Cell coefficients; undefined when it does not close.
   */
  const closeAcross = (
    u: number,
    start: [number, number][],
    col: number,
    room: (cell: number, k: number) => number,
  ) =>
    balance(start, {
      closes: (g) => graph.valid[col][g] === 1 && groupParent[g] >= 0 && inTree(groupParent[g], u),
      short: (g, d) => (graph.eq[col][g] ? d !== 0 : d < 0),
      may: (y, k) => hid(y) && room(y, k) > TOLERANCE,
      weight: room,
      steps: 2 * EXCHANGE_STEPS,
    });
  /** What cell y allows a change of k persons counted in `persons`: what it holds where it loses
   * them (a denominator no lower than its numerator), its numerator's distance to its
   * denominator where only the numerator gains; NaN where a column has no value. */
  const roomFor = (y: number, k: number, persons: number[]) => {
    let room = Number.POSITIVE_INFINITY;
    for (const c of persons) {
      const v = value(y, c);
      if (Number.isNaN(v)) return Number.NaN;
      if (k < 0 && nonNegative(y, c)) room = Math.min(room, v / -k);
    }
    if (persons.length === 1 && k < 0 && persons[0] === den) room = Math.min(room, headroom(y) / -k);
    if (persons.length === 1 && k > 0 && persons[0] === num) room = Math.min(room, headroom(y) / k);
    return room;
  };
  /** How many times the changes fit (persons counted in `persons`): the least room of their
   * cells; NaN when a cell is published or has no value. */
  const fits = (changes: [number, number][], persons: number[]) => {
    let cap = Number.POSITIVE_INFINITY;
    for (const [c, k] of changes) {
      const room = hid(c) ? roomFor(c, k, persons) : Number.NaN;
      if (Number.isNaN(room)) return Number.NaN;
      cap = Math.min(cap, room);
    }
    return cap;
  };
  /** Applies both sides `amount` times; false (and nothing changed) when that breaks something. */
  const tryChanges = (sides: [number, number][][], persons: number[], amount: number) => {
    const mark = logLength;
    for (const changes of sides)
      for (const [c, k] of changes)
        for (const col of persons) {
          if (Number.isNaN(graph.values[col][c])) {
            rollback(mark);
            return false;
          }
          add(c, col, k * amount);
        }
    return keepIfValid(mark);
  };
  for (const members of acrossLevels ? swapping.values() : []) {
    const tops = members.filter((u) => above[u] === 0);
    for (const r of tops) {
      for (const { cA, q, move } of openIn(r)) {
        const { col, sign, missing, kinds, together } = move;
        // Partners that hold persons of the cell's kind (for an upper bound), most first, so
        // that few are needed.
        const held = (s: number) => {
          const cs = cellWithSlice(s, sliceOf(cA));
          return cs >= 0 && hid(cs) ? value(cs, col) : -1;
        };
        const partners = tops.filter(
          (s) => s !== r && units.parent[s] === units.parent[r] && (sign < 0 || held(s) > 0),
        );
        if (sign > 0) partners.sort((x, y) => held(y) - held(x));
        const looked = partners.slice(0, SWAP_PARTNERS);
        if (sign > 0) {
          let total = 0;
          for (const s of looked) total += held(s);
          if (!(total >= missing())) continue;
        }
        /** The cell of partner s that mirrors r's cell y (−1: none). */
        const mirror = (y: number, s: number) => cellWithSlice(s, units.sliceOf[y]);
        /**
         * r's pattern for persons counted in `persons`, with partner s: r's cells at its own level
         * must have room in s too, where the change is mirrored (s gives where r takes). Closed
         * anew after every exchange, so that a RegSO that has given what it holds is passed over
         * for the next.
         */
        const ours = (persons: number[], s?: number) =>
          closeAcross(r, [[cA, sign]], col, (y, x) => {
            const here = roomFor(y, x, persons);
            if (s === undefined || units.unitOf[y] !== r) return here;
            const ys = mirror(y, s);
            return ys < 0 || !hid(ys) ? 0 : Math.min(here, roomFor(ys, -x, persons));
          });
        /** Partner s's side: r's own level mirrored, closed over the units below s. */
        const theirs = (mine: [number, number][], s: number, persons: number[]) => {
          const start: [number, number][] = [];
          for (const [c, x] of mine) if (units.unitOf[c] === r) start.push([mirror(c, s), -x]);
          return closeAcross(s, start, col, (y, x) => roomFor(y, x, persons));
        };
        // Hopeless unless r's own cells have room for some, with no partner to match. (Not for all
        // that is missing: when one pattern's cells are used up, the next takes others.)
        const own = together((persons) => {
          const mine = ours(persons)?.filter(([c]) => units.unitOf[c] === r);
          return mine ? fits(mine, persons) : 0;
        });
        if (!(own > 0)) continue;
        let tries = 0;
        for (let i = 0; i < looked.length && tries < SWAP_PARTNERS && !met(q); i++) {
          const s = looked[i];
          for (let again = 0; again < 4 && tries < SWAP_PARTNERS && !met(q); again++) {
            let moved = false;
            for (const persons of kinds) {
              if (met(q)) break;
              const mine = ours(persons, s);
              const other = mine && theirs(mine, s, persons);
              if (!mine || !other) continue;
              tries++;
              const amount = step(cA, col, missing(), Math.min(fits(mine, persons), fits(other, persons)));
              if (amount > TOLERANCE && tryChanges([mine, other], persons, amount)) moved = true;
            }
            if (!moved) break;
          }
        }
        settle();
      }
    }
  }
  return count;
}
