/**
 * Outer bounds of every suppressed value, without an LP: the shuttle algorithm.
 *
 * Every relation the attacker uses (parent = Σ children, or ≥), every published value, the sign
 * of a non-negative quantity and numerator ≤ denominator within a share each bound the suppressed
 * values: a child is at most its parent's upper bound less its siblings' lower bounds, a parent at
 * least the sum of its children's lower bounds, and so on. Applying these to a fixed point (or
 * until a budget of group visits is spent) gives for each suppressed value an interval [lo, hi]
 * that contains the attacker's exact interval — the LP's — since each step only uses constraints
 * of the attacker's own model. A requirement that fails on these outer bounds therefore fails on
 * the exact ones too: the cell is exposed, with no LP needed.
 *
 * The converse does not hold: bounds that meet a requirement prove nothing (the exact interval may
 * be narrower), which is what witness tables (witness.ts) and the LP (lp.ts) are for. What the
 * bounds catch cheaply is the commonest exposure of a pattern built by group rules alone: a value
 * recovered through a chain of relations, each with one unknown left once the previous one is
 * known (a DeSO's share of foreign-born with 0 in the numerator, recovered as 0).
 */
import { KINDS, type SdcGraph } from "./graph.ts";
import type { Requirement } from "./lp.ts";
import type { TableSpec } from "./tables.ts";

export interface Bounds {
  /** Per additive column of the spec: the lower and upper bound of every cell's value. */
  lo: Float64Array[];
  hi: Float64Array[];
}

/** Group visits allowed per group before propagation stops (bounds stay valid when it stops). */
const VISITS_PER_GROUP = 40;

/**
 * Propagates bounds over every relation of the graph to a fixed point or the visit budget. With
 * `within`, only the cells it marks are tightened: every other suppressed cell keeps the loosest
 * bounds ([0, ∞) or (−∞, ∞)), so the result still contains the exact intervals, only looser — a
 * cheap local check around a few cells.
 */
export function propagateBounds(
  graph: SdcGraph,
  spec: TableSpec,
  nonNegative: (cell: number, column: number) => boolean,
  within?: Uint8Array,
): Bounds {
  const A = spec.additive.length;
  const lo = spec.additive.map(() => new Float64Array(graph.cells));
  const hi = spec.additive.map(() => new Float64Array(graph.cells));
  for (let col = 0; col < A; col++)
    for (let c = 0; c < graph.cells; c++) {
      const v = graph.values[col][c];
      if (!graph.sup[c] || Number.isNaN(v)) {
        lo[col][c] = v;
        hi[col][c] = v;
      } else {
        lo[col][c] = nonNegative(c, col) ? 0 : Number.NEGATIVE_INFINITY;
        hi[col][c] = Number.POSITIVE_INFINITY;
      }
    }
  // A relation holds in the data up to rounding (cells.ts accepts a small residual); as in the
  // LP's rows, each bound it gives is widened by the true table's residual, so rounding never
  // makes a bound tighter than the truth. Exact relations (all counts) give exact bounds.
  const tolerance = spec.additive.map(() => new Float64Array(graph.groups).fill(Number.NaN));
  const slackOf = (g: number, col: number) => {
    let t = tolerance[col][g];
    if (Number.isNaN(t)) {
      let residual = 0;
      for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1]; m++) {
        const v = graph.values[col][graph.memberCell[m]];
        if (!Number.isNaN(v)) residual += graph.memberIsParent[m] ? v : -v;
      }
      t = Math.abs(residual);
      tolerance[col][g] = t;
    }
    return t;
  };
  const free = (c: number) => graph.sup[c] === 1 && (!within || within[c] === 1);
  const q = spec.quantities;
  const num = q.numerator ? spec.additive.indexOf(q.numerator) : -1;
  const den = q.denominator ? spec.additive.indexOf(q.denominator) : -1;
  const share = KINDS.indexOf("share");
  // A share whole by definition (numerator = denominator) keeps at least numerator ≤ denominator.
  const whole = KINDS.indexOf("whole");
  const coupled = num >= 0 && den >= 0 && num !== den;

  // Worklist of groups, each at most once in the queue.
  const queue = new Int32Array(graph.groups);
  const queued = new Uint8Array(graph.groups);
  let head = 0;
  let length = 0;
  const push = (g: number) => {
    if (queued[g]) return;
    queued[g] = 1;
    queue[(head + length) % graph.groups] = g;
    length++;
  };
  const touched = (c: number) => {
    for (let k = graph.cellStart[c]; k < graph.cellStart[c + 1]; k++) push(graph.cellGroup[k]);
  };
  // A suppressed cell's bound is tightened when the new one is better by more than rounding: the
  // last steps of a slow convergence are not worth their visits, and skipping them keeps the
  // bound valid.
  const better = (value: number) => 1e-9 * Math.max(1, Math.abs(value));
  const lower = (c: number, col: number, value: number, slack: number) => {
    const bound = value - slack;
    if (!free(c) || !(bound > lo[col][c] + better(bound))) return false;
    lo[col][c] = bound;
    return true;
  };
  const upper = (c: number, col: number, value: number, slack: number) => {
    const bound = value + slack;
    if (!free(c) || !(bound < hi[col][c] - better(bound))) return false;
    hi[col][c] = bound;
    return true;
  };
  /** numerator ≤ denominator within a share cell. */
  const couple = (c: number) => {
    if (!coupled || (graph.kind[c] !== share && graph.kind[c] !== whole) || !free(c)) return false;
    let changed = false;
    if (hi[den][c] < hi[num][c]) {
      hi[num][c] = hi[den][c];
      changed = true;
    }
    if (lo[num][c] > lo[den][c]) {
      lo[den][c] = lo[num][c];
      changed = true;
    }
    return changed;
  };

  if (within) {
    for (let c = 0; c < graph.cells; c++) if (within[c] && graph.sup[c]) touched(c);
  } else for (let g = 0; g < graph.groups; g++) push(g);
  let visits = 0;
  const changed: number[] = [];
  const budget = VISITS_PER_GROUP * graph.groups;
  while (length > 0 && visits < budget) {
    const g = queue[head];
    head = (head + 1) % graph.groups;
    length--;
    queued[g] = 0;
    visits++;
    const from = graph.groupStart[g];
    const to = graph.groupStart[g + 1];
    for (let col = 0; col < A; col++) {
      if (!graph.valid[col][g]) continue;
      const eq = graph.eq[col][g] === 1;
      const slack = slackOf(g, col);
      const L = lo[col];
      const H = hi[col];
      let parent = -1;
      // Σ over children of the finite lower (upper) bounds, and how many are infinite.
      let sumLo = 0;
      let sumHi = 0;
      let infLo = 0;
      let infHi = 0;
      for (let m = from; m < to; m++) {
        const c = graph.memberCell[m];
        if (graph.memberIsParent[m]) {
          parent = c;
          continue;
        }
        if (L[c] === Number.NEGATIVE_INFINITY) infLo++;
        else sumLo += L[c];
        if (H[c] === Number.POSITIVE_INFINITY) infHi++;
        else sumHi += H[c];
      }
      if (parent < 0) continue;
      changed.length = 0;
      // The parent: at least Σ lo; for an equation also at most Σ hi.
      if (infLo === 0 && lower(parent, col, sumLo, slack)) changed.push(parent);
      if (eq && infHi === 0 && upper(parent, col, sumHi, slack)) changed.push(parent);
      // Each child: at most the parent's hi less the others' lo; for an equation also at least
      // the parent's lo less the others' hi.
      const pHi = H[parent];
      const pLo = L[parent];
      for (let m = from; m < to; m++) {
        if (graph.memberIsParent[m]) continue;
        const c = graph.memberCell[m];
        if (!graph.sup[c]) continue;
        const ownLoInf = L[c] === Number.NEGATIVE_INFINITY ? 1 : 0;
        if (pHi !== Number.POSITIVE_INFINITY && infLo - ownLoInf === 0) {
          const others = sumLo - (ownLoInf ? 0 : L[c]);
          if (upper(c, col, pHi - others, slack)) changed.push(c);
        }
        const ownHiInf = H[c] === Number.POSITIVE_INFINITY ? 1 : 0;
        if (eq && pLo !== Number.NEGATIVE_INFINITY && infHi - ownHiInf === 0) {
          const others = sumHi - (ownHiInf ? 0 : H[c]);
          if (lower(c, col, pLo - others, slack)) changed.push(c);
        }
      }
      for (const c of changed) {
        couple(c);
        touched(c);
      }
    }
  }
  return { lo, hi };
}

/**
 * Whether a requirement fails on the bounds (and so on the attacker's exact interval), and the
 * interval of its quantity that the bounds allow.
 */
export function failsOnBounds(
  bounds: Bounds,
  spec: TableSpec,
  requirement: Requirement,
): { fails: boolean; interval: [number, number] } {
  const c = requirement.cell - 1;
  let low = 0;
  let high = 0;
  for (const t of requirement.terms) {
    const col = spec.additive.indexOf(t.column);
    const a = t.coef * bounds.lo[col][c];
    const b = t.coef * bounds.hi[col][c];
    low += Math.min(a, b);
    high += Math.max(a, b);
  }
  const tolerance = 1e-7 * Math.max(1, Math.abs(requirement.bound));
  const fails =
    requirement.sense === "max" ? high < requirement.bound - tolerance : low > requirement.bound + tolerance;
  return { fails, interval: [low, high] };
}

/**
 * Whether a requirement of the cell might fail on its bounds, cheaply, before any requirement is
 * built: an upper bound (of a column, or of denominator − numerator) below `reach` (the largest
 * threshold of a rule on persons), or within `margin` of the value (money), or a lower bound
 * within it.
 */
export function mayFail(
  bounds: Bounds,
  cell: number,
  values: Float64Array[],
  reach: number,
  margin: number,
  complement?: { num: number; den: number },
): boolean {
  // A complement (denominator − numerator) with its own bounds.
  if (complement && bounds.hi[complement.den][cell] - bounds.lo[complement.num][cell] < reach) return true;
  for (let col = 0; col < bounds.lo.length; col++) {
    const v = values[col][cell];
    if (Number.isNaN(v)) continue;
    const hi = bounds.hi[col][cell];
    const lo = bounds.lo[col][cell];
    if (hi < reach || hi < v + margin * Math.abs(v) || lo > v - margin * Math.abs(v)) return true;
  }
  return false;
}

/**
 * What to suppress so that a requirement failing on the bounds may hold: for each relation that
 * alone keeps the quantity short of its bound (a published parent too small for its hidden child,
 * published siblings that leave too little, published children of a parent that need too much),
 * its cheapest published member other than the cell — that relation's bound on the cell widens
 * when it is hidden. A numerator held down by a small denominator (numerator ≤ denominator in a
 * share) asks the same of the denominator. Cell ids order cells by cost, so the smallest published
 * id of a group is its cheapest member. Returns the cells to suppress, deduplicated and sorted, and
 * the cells whose exposure they answer (for the others no single relation is to blame, and the
 * caller falls back on the neighbours).
 */
export function boundRepairs(
  graph: SdcGraph,
  spec: TableSpec,
  bounds: Bounds,
  requirements: Requirement[],
): { picks: number[]; answered: Set<number> } {
  const picks = new Set<number>();
  const answered = new Set<number>();
  const q = spec.quantities;
  const num = q.numerator ? spec.additive.indexOf(q.numerator) : -1;
  const den = q.denominator ? spec.additive.indexOf(q.denominator) : -1;
  const share = KINDS.indexOf("share");
  const cheapest = (g: number, except: number) => {
    for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1]; m++) {
      const c = graph.memberCell[m];
      if (c !== except && !graph.sup[c]) return c;
    }
    return -1;
  };
  /**
   * Hides, in each relation whose own bound on cell c's column keeps it below `need` (max) or
   * above it (min), its cheapest published member; where every member is hidden already, blames
   * in turn the members whose bounds make it short (up to `depth` relations away). Returns whether
   * anything was picked.
   */
  const limit = (c: number, col: number, sense: "max" | "min", need: number, depth = 0): boolean => {
    const L = bounds.lo[col];
    const H = bounds.hi[col];
    let found = false;
    for (let k = graph.cellStart[c]; k < graph.cellStart[c + 1]; k++) {
      const g = graph.cellGroup[k];
      if (!graph.valid[col][g]) continue;
      const eq = graph.eq[col][g] === 1;
      let parent = -1;
      for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1]; m++)
        if (graph.memberIsParent[m]) parent = graph.memberCell[m];
      // The relation's bound on c, and the members whose bounds it is made of, with the side of
      // each that would have to move: "max" to rise, "min" to fall.
      const parts: [number, "max" | "min"][] = [];
      let bound = 0;
      if (parent === c) {
        // A parent is at most the sum of its children's upper bounds (an equation), and at least
        // the sum of their lower bounds.
        if (sense === "max" && !eq) continue;
        for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1]; m++) {
          if (graph.memberIsParent[m]) continue;
          const x = graph.memberCell[m];
          bound += sense === "max" ? H[x] : L[x];
          parts.push([x, sense]);
        }
      } else {
        // A child is at most the parent's upper bound less the others' lower bounds, and (in an
        // equation) at least the parent's lower bound less the others' upper bounds.
        if (sense === "min" && !eq) continue;
        bound = sense === "max" ? H[parent] : L[parent];
        parts.push([parent, sense]);
        for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1]; m++) {
          const x = graph.memberCell[m];
          if (graph.memberIsParent[m] || x === c) continue;
          bound -= sense === "max" ? L[x] : H[x];
          parts.push([x, sense === "max" ? "min" : "max"]);
        }
      }
      const gap = sense === "max" ? need - bound : bound - need;
      if (!(gap > 0)) continue;
      const pick = cheapest(g, c);
      if (pick >= 0) {
        picks.add(pick);
        found = true;
      } else if (depth < 3)
        for (const [x, side] of parts) {
          const target = side === "max" ? H[x] + gap : L[x] - gap;
          if (Number.isFinite(target) && limit(x, col, side, target, depth + 1)) found = true;
        }
    }
    return found;
  };
  for (const r of requirements) {
    const c = r.cell - 1;
    let found = false;
    if (r.terms.length === 2 && r.sense === "max" && den >= 0 && num >= 0) {
      // A complement, denominator − numerator: a denominator held down, or a numerator held up.
      found = limit(c, den, "max", r.bound + bounds.lo[num][c]);
      found = limit(c, num, "min", bounds.hi[den][c] - r.bound) || found;
    } else if (r.terms.length === 1) {
      const col = spec.additive.indexOf(r.terms[0].column);
      const need = r.terms[0].coef > 0 ? r.bound : -r.bound;
      const sense = r.terms[0].coef > 0 ? r.sense : r.sense === "max" ? "min" : "max";
      found = limit(c, col, sense, need);
      if (col === num && den >= 0 && sense === "max" && graph.kind[c] === share && bounds.hi[den][c] < need)
        found = limit(c, den, "max", need) || found;
    }
    if (found) answered.add(c);
  }
  return { picks: [...picks].sort((a, b) => a - b), answered };
}

/**
 * The cells within `radius` relations of the given ones (a mask), for a local propagation: bounds
 * there depend mostly on what lies near.
 */
export function ballAround(graph: SdcGraph, cells: Iterable<number>, radius: number): Uint8Array {
  const mask = new Uint8Array(graph.cells);
  let frontier: number[] = [];
  for (const c of cells)
    if (!mask[c]) {
      mask[c] = 1;
      frontier.push(c);
    }
  const seen = new Uint8Array(graph.groups);
  for (let step = 0; step < radius && frontier.length > 0; step++) {
    const next: number[] = [];
    for (const c of frontier)
      for (let k = graph.cellStart[c]; k < graph.cellStart[c + 1]; k++) {
        const g = graph.cellGroup[k];
        if (seen[g]) continue;
        seen[g] = 1;
        for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1]; m++) {
          const x = graph.memberCell[m];
          // Published cells are constants: the ball grows through the hidden ones only.
          if (!mask[x] && graph.sup[x]) {
            mask[x] = 1;
            next.push(x);
          }
        }
      }
    frontier = next;
  }
  return mask;
}

/** Rows of a small LP in compressed sparse row form: lower[r] ≤ Σ values · x[indices] ≤ upper[r]. */
export interface SparseRows {
  lower: Float64Array;
  upper: Float64Array;
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

/** Sweeps over the rows of `boundsOnRows` at most (a neighbourhood's settle in a few). */
const ROW_SWEEPS = 30;

/**
 * Outer bounds of the columns of a small LP (a neighbourhood's, lp.ts), from the columns' own
 * bounds `lo`, `hi` and the first `count` rows: each row bounds each of its columns by its own
 * bounds less what the row's other columns can add at most (at least), sweep after sweep until
 * nothing tightens or ROW_SWEEPS. As in `propagateBounds`, each step uses a constraint of the LP
 * only, so the bounds contain every feasible table; each new bound is widened by 1e-7 of its size,
 * so that rounding never makes one tighter than the truth.
 */
export function boundsOnRows(
  rows: SparseRows,
  count: number,
  columnLower: Float64Array,
  columnUpper: Float64Array,
): { lo: Float64Array; hi: Float64Array } {
  const lo = Float64Array.from(columnLower);
  const hi = Float64Array.from(columnUpper);
  const { lower, upper, starts, indices, values } = rows;
  const widened = (b: number) => 1e-7 * Math.max(1, Math.abs(b));
  /** Tightens column v by a·x ≤ b (`atMost`) or a·x ≥ b; true when it changed. */
  const tighten = (v: number, a: number, b: number, atMost: boolean) => {
    const bound = b / a;
    // Dividing by a negative coefficient turns the inequality round.
    if (atMost === a > 0) {
      const value = bound + widened(bound);
      if (!(value < hi[v] - 1e-9)) return false;
      hi[v] = value;
    } else {
      const value = bound - widened(bound);
      if (!(value > lo[v] + 1e-9)) return false;
      lo[v] = value;
    }
    return true;
  };
  /**
   * Tightens column v (coefficient a) by a row's bound less the rest of the row's sum (`sum` of
   * its finite terms, `infinite` of them unbounded), this column's term `own` taken out; nothing
   * when the bound is open or the rest unbounded.
   */
  const fromRow = (
    v: number,
    a: number,
    bound: number,
    sum: number,
    infinite: number,
    own: number,
    atMost: boolean,
  ) => {
    const ownInfinite = !Number.isFinite(own);
    if (!Number.isFinite(bound) || infinite - (ownInfinite ? 1 : 0) !== 0) return false;
    return tighten(v, a, bound - (sum - (ownInfinite ? 0 : own)), atMost);
  };
  for (let sweep = 0; sweep < ROW_SWEEPS; sweep++) {
    let changed = false;
    for (let r = 0; r < count; r++) {
      // The row's least and greatest sums: the finite parts and how many terms are infinite.
      let least = 0;
      let leastInfinite = 0;
      let most = 0;
      let mostInfinite = 0;
      for (let k = starts[r]; k < starts[r + 1]; k++) {
        const a = values[k];
        const low = a > 0 ? a * lo[indices[k]] : a * hi[indices[k]];
        const high = a > 0 ? a * hi[indices[k]] : a * lo[indices[k]];
        if (low === Number.NEGATIVE_INFINITY) leastInfinite++;
        else least += low;
        if (high === Number.POSITIVE_INFINITY) mostInfinite++;
        else most += high;
      }
      for (let k = starts[r]; k < starts[r + 1]; k++) {
        const v = indices[k];
        const a = values[k];
        const low = a > 0 ? a * lo[v] : a * hi[v];
        const high = a > 0 ? a * hi[v] : a * lo[v];
        // a·x ≤ upper − the least of the others; a·x ≥ lower − the most of the others.
        changed = fromRow(v, a, upper[r], least, leastInfinite, low, true) || changed;
        changed = fromRow(v, a, lower[r], most, mostInfinite, high, false) || changed;
      }
    }
    if (!changed) break;
  }
  return { lo, hi };
}
