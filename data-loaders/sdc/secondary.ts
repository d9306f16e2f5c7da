/**
 * Secondary suppression over the in-memory graph of a partition (graph.ts).
 *
 * The heuristic: no additive group (a parent and its children) may hold exactly one suppressed
 * cell, because that cell would follow from the others by subtraction. Whenever a group has one,
 * the cheapest other member is suppressed too (smallest population first: cell indices are ordered
 * by (weak, cost, keys), see cells.ts). Newly suppressed cells can make other groups singletons, so
 * this runs to a fixed point in rounds; a round looks only at the groups of the cells that the
 * previous round suppressed, and applies all its picks at once, so the result does not depend on
 * the order in which groups are visited.
 */
import { KINDS, RULE, type SdcGraph, suppress } from "./graph.ts";
import type { SdcRules } from "./rules.ts";
import type { TableSpec } from "./tables.ts";

/** Groups that hold at least one of `cells`, sorted. */
function groupsOf(graph: SdcGraph, cells: Iterable<number>): number[] {
  const seen = new Uint8Array(graph.groups);
  const out: number[] = [];
  for (const c of cells)
    for (let k = graph.cellStart[c]; k < graph.cellStart[c + 1]; k++) {
      const g = graph.cellGroup[k];
      if (!seen[g]) {
        seen[g] = 1;
        out.push(g);
      }
    }
  return out.sort((a, b) => a - b);
}

/** The cheapest published member of group g (optionally children only); -1 when there is none. */
function cheapestPublished(graph: SdcGraph, g: number, childrenOnly = false): number {
  for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1]; m++) {
    const c = graph.memberCell[m];
    if (!graph.sup[c] && !(childrenOnly && graph.memberIsParent[m])) return c;
  }
  return -1;
}

/** The cheapest published member of any group holding one of `cells`; -1 when there is none. */
function cheapestAround(graph: SdcGraph, cells: number[]): number {
  let pick = -1;
  for (const g of groupsOf(graph, cells)) {
    const c = cheapestPublished(graph, g);
    if (c >= 0 && (pick < 0 || c < pick)) pick = c;
  }
  return pick;
}

/**
 * Runs the singleton rule to a fixed point, starting from the groups of `seed` (default: every
 * suppressed cell); returns the cells it suppressed.
 */
export function suppressSingletons(graph: SdcGraph, seed?: Iterable<number>): number[] {
  let fresh: number[] = seed ? [...seed] : [];
  if (!seed) for (let c = 0; c < graph.cells; c++) if (graph.sup[c]) fresh.push(c);
  const all: number[] = [];
  for (let round = 0; fresh.length > 0; round++) {
    if (round > 100_000) throw new Error("disclosure control: secondary suppression did not converge");
    const picks = new Set<number>();
    for (const g of groupsOf(graph, fresh)) {
      let hidden = 0;
      for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1] && hidden < 2; m++)
        hidden += graph.sup[graph.memberCell[m]];
      if (hidden !== 1) continue;
      const pick = cheapestPublished(graph, g);
      if (pick >= 0) picks.add(pick);
    }
    fresh = [...picks].sort((a, b) => a - b);
    for (const c of fresh) suppress(graph, c);
    for (const c of fresh) all.push(c); // not push(...fresh): a round can add more cells than a call takes arguments
  }
  return all;
}

/**
 * The cheap part of protection sufficiency: in a group whose parent is published, the suppressed
 * children add up to a known total, so none of them can exceed it. When that total is below what
 * a suppressed child's rule requires (e.g. two hidden counts of 2: together 4 < 5), the cheapest
 * published child (else the parent) is suppressed too. Runs to a fixed point together with the
 * singleton rule; the LP then only has to deal with what needs several groups at once.
 * Returns the number of cells suppressed.
 */
export function suppressForRoom(
  graph: SdcGraph,
  spec: TableSpec,
  rules: SdcRules,
  seed?: Iterable<number>,
): number {
  const q = spec.quantities;
  const A = spec.additive;
  const numeratorColumn = q.count ?? q.numerator;
  const t = numeratorColumn ? A.indexOf(numeratorColumn) : -1;
  const n = q.denominator ? A.indexOf(q.denominator) : -1;
  const num = q.numerator && q.numerator !== q.denominator ? A.indexOf(q.numerator) : -1;
  if (t < 0 && n < 0) return 0;
  // What a suppressed child's primary rule needs of the hidden total of each quantity.
  const needT = (c: number): number => {
    const r = graph.rule[c];
    if (q.count && r === RULE.count) return rules.countMin;
    if (q.numerator && r === RULE.numerator) return rules.numeratorAbove + 1;
    return Number.NaN;
  };
  const share = KINDS.indexOf("share");
  const mean = KINDS.indexOf("mean");
  const ratio = KINDS.indexOf("ratio");
  const whole = KINDS.indexOf("whole");
  const needN = (c: number): number =>
    graph.rule[c] === RULE.denominator &&
    (graph.kind[c] === share || graph.kind[c] === mean || graph.kind[c] === ratio || graph.kind[c] === whole)
      ? rules.denominatorAbove + 1
      : Number.NaN;
  const needC = (c: number): number =>
    graph.rule[c] === RULE.complement ? rules.numeratorAbove + 1 : Number.NaN;
  /** Σ over hidden children, ignoring NULLs; NaN when every term is NULL (SQL's sum). */
  const short = (sum: number, any: boolean, need: number) => any && !Number.isNaN(need) && sum < need;

  // Only groups with a primary-suppressed child can fall short.
  const primaryChild = (g: number) => {
    for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1]; m++) {
      const c = graph.memberCell[m];
      if (!graph.memberIsParent[m] && graph.sup[c] && graph.rule[c] !== RULE.secondary) return true;
    }
    return false;
  };
  // A group's verdict changes only when one of its members is suppressed: after the first round,
  // look only at the groups of the cells suppressed since — and, given `seed` (the cells
  // suppressed since an earlier call), from the start.
  let candidates: Iterable<number> = seed
    ? groupsOf(graph, [...seed])
    : Array.from({ length: graph.groups }, (_, g) => g);
  let total = 0;
  for (let round = 0; round < 100_000; round++) {
    const picks = new Set<number>();
    for (const g of candidates) {
      if (!primaryChild(g)) continue;
      let parentHidden = false;
      let sumT = 0;
      let anyT = false;
      let needTMax = Number.NaN;
      let sumN = 0;
      let anyN = false;
      let needNMax = Number.NaN;
      let sumC = 0;
      let anyC = false;
      let needCMax = Number.NaN;
      const max = (a: number, b: number) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.max(a, b));
      for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1]; m++) {
        const c = graph.memberCell[m];
        if (!graph.sup[c]) continue;
        if (graph.memberIsParent[m]) {
          parentHidden = true;
          break;
        }
        if (t >= 0) {
          const v = graph.values[t][c];
          if (!Number.isNaN(v)) {
            sumT += v;
            anyT = true;
          }
          needTMax = max(needTMax, needT(c));
        }
        if (n >= 0) {
          const v = graph.values[n][c];
          if (!Number.isNaN(v)) {
            sumN += v;
            anyN = true;
          }
          needNMax = max(needNMax, needN(c));
          if (num >= 0) {
            const d = v - graph.values[num][c];
            if (!Number.isNaN(d)) {
              sumC += d;
              anyC = true;
            }
            needCMax = max(needCMax, needC(c));
          }
        }
      }
      if (parentHidden) continue;
      const validT = t >= 0 && graph.valid[t][g] === 1;
      const validN = n >= 0 && graph.valid[n][g] === 1;
      const falls =
        (validT && short(sumT, anyT, needTMax)) ||
        (validN && short(sumN, anyN, needNMax)) ||
        (num >= 0 && validT && validN && short(sumC, anyC, needCMax));
      if (!falls) continue;
      const child = cheapestPublished(graph, g, true);
      const pick = child >= 0 ? child : cheapestPublished(graph, g);
      if (pick >= 0) picks.add(pick);
    }
    if (picks.size === 0) return total;
    const fresh = [...picks].sort((a, b) => a - b);
    for (const c of fresh) suppress(graph, c);
    const followers = suppressSingletons(graph, fresh);
    total += fresh.length + followers.length;
    candidates = groupsOf(graph, [...fresh, ...followers]);
  }
  throw new Error("disclosure control: room repair did not converge");
}

/**
 * Repairs an exposed cell: suppresses the cheapest published member of the groups around it,
 * widening the search through suppressed neighbours when all its own groups are fully suppressed.
 * Returns the cell suppressed, or -1 when nothing is left to suppress (the whole connected part
 * of the table is already suppressed).
 */
export function suppressNeighbour(graph: SdcGraph, cell: number): number {
  let frontier = [cell];
  const seen = new Set<number>(frontier);
  for (let depth = 0; depth < 50 && frontier.length > 0; depth++) {
    const pick = cheapestAround(graph, frontier);
    if (pick >= 0) {
      suppress(graph, pick);
      return pick;
    }
    const next = new Set<number>();
    for (const g of groupsOf(graph, frontier))
      for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1]; m++) {
        const c = graph.memberCell[m];
        if (!seen.has(c)) next.add(c);
      }
    frontier = [...next].sort((a, b) => a - b);
    for (const c of frontier) seen.add(c);
  }
  return -1;
}

/** For each exposed cell, the cheapest published member of its groups (deduplicated, sorted). */
export function cheapestPartners(graph: SdcGraph, cells: number[]): number[] {
  const picks = new Set<number>();
  for (const cell of cells) {
    const pick = cheapestAround(graph, [cell]);
    if (pick >= 0) picks.add(pick);
  }
  return [...picks].sort((a, b) => a - b);
}
