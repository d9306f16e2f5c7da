/**
 * The attacker's linear programme. For every suppressed cell that a primary rule protects, the
 * feasible interval of its protected quantity is computed from everything published: the
 * additive groups (parent = Σ children, or ≥ for groups with persons outside every child), the
 * published values of the other members, non-negativity, and numerator ≤ denominator for shares.
 *
 * The whole table is one LP in principle, with millions of unknowns at national scale. It is
 * never solved whole: each requirement is proven on the LP of a neighbourhood of its cell, with the
 * cells outside fixed at their true values (HiGHS in WebAssembly). Fixing values only removes
 * tables the attacker would have to consider, so an interval found in a neighbourhood lies inside
 * the true one, and a protection proven there holds for the whole table. See `findExposures`.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import loadHighs from "highs";
import type { Connection } from "../db.ts";
import { queryRows } from "../db.ts";
import { type Bounds, ballAround, boundsOnRows, failsOnBounds, mayFail, propagateBounds } from "./bounds.ts";
import { quote } from "./cells.ts";
import { type CertificateData, CertificateLog, proveByCertificates } from "./certificates.ts";
import { isPrimary, KINDS, loadBlocks, loadGraph, loadWork, RULES, type SdcGraph } from "./graph.ts";
import { RULE_NAMES, type SdcRules } from "./rules.ts";
import type { TableSpec } from "./tables.ts";
import { groupBy, loadUnits, witnessSpecOf } from "./witness.ts";
import { proveOnThreads } from "./witness-threads.ts";

type Highs = Awaited<ReturnType<typeof loadHighs>>;
let highsPromise: Promise<Highs> | undefined;
export function highs(): Promise<Highs> {
  highsPromise ??= loadHighs();
  return highsPromise;
}

/** What a primary rule requires of the attacker's interval: max (or min) of Σ coef·column ≥ (≤) bound. */
export interface Requirement {
  cell: number;
  rule: string;
  quantity: string;
  terms: { column: string; coef: number }[];
  sense: "max" | "min";
  bound: number;
}

export interface Exposure {
  table: string;
  cell: number;
  /** The cell's keys, `column=value` joined by commas. */
  key: string;
  rule: string;
  quantity: string;
  sense: "max" | "min";
  required: number;
  /** The attacker's optimum: the interval's upper end for max, lower end for min. */
  attained: number;
  /** The attacker's feasible interval [lowest, highest] of the quantity. */
  interval: [number, number];
  trueValue: number;
  /** The interval is the whole table's (the neighbourhood held the cell's whole connected part). */
  exact: boolean;
  /** Variables of the LP that gave the interval; 0 when bounds without an LP found it (bounds.ts),
   * and the interval is then an outer one: the attacker's exact interval lies inside it. */
  neighbourhood: number;
  /** From the LP: the cheapest published member (index) of the relations that bound the
   * attacker's optimum, the cell whose suppression relaxes what exposed this one; -1 if none. */
  repair?: number;
}

export interface LpStats {
  requirements: number;
  /** LPs solved (a requirement may need several as its neighbourhood widens). */
  lps: number;
  /** Requirements left unproven because the LP is switched off (`rules.lpMaxVariables` = 0). */
  unchecked: number;
  /** Requirements proven by a witness table without an LP (witness.ts). */
  witnessed: number;
  /** Requirements found failing on bounds propagated over the relations (bounds.ts), no LP. */
  bounded: number;
  /** Requirements proven by protection's tables, checked here (certificates.ts). */
  certified: number;
  /** Bulk neighbourhoods left without an LP: every requirement of their seed out of reach on
   * bounds (`NeighbourhoodLp.outOfReach`). */
  outOfReach: number;
}

/** Counters of a run that has proven nothing yet. */
function emptyStats(): LpStats {
  return { requirements: 0, lps: 0, unchecked: 0, witnessed: 0, bounded: 0, certified: 0, outOfReach: 0 };
}

/** What the requirements read of a table's description. */
export type RequirementSpec = Pick<TableSpec, "additive" | "quantities">;

/** The requirements the primary rules put on a suppressed cell (docs/disclosure-control.md, "Protection interval"). */
export function requirementsFor(
  spec: RequirementSpec,
  rules: SdcRules,
  cell: { id: number; kind: string; rule: string | null; value: (column: string) => number | null },
): Requirement[] {
  const q = spec.quantities;
  const out: Requirement[] = [];
  const has = (column: string | undefined): column is string => !!column && cell.value(column) !== null;
  const atLeast = (quantity: string, column: string | undefined, bound: number) => {
    if (has(column))
      out.push({
        cell: cell.id,
        rule: cell.rule ?? "",
        quantity,
        terms: [{ column, coef: 1 }],
        sense: "max",
        bound,
      });
  };
  const money = () => {
    if (!has(q.money)) return;
    const v = cell.value(q.money) as number;
    const margin = rules.moneyProtection * Math.abs(v);
    const terms = [{ column: q.money, coef: 1 }];
    out.push({
      cell: cell.id,
      rule: cell.rule ?? "",
      quantity: q.money,
      terms,
      sense: "max",
      bound: v + margin,
    });
    out.push({
      cell: cell.id,
      rule: cell.rule ?? "",
      quantity: q.money,
      terms,
      sense: "min",
      bound: v - margin,
    });
  };
  switch (cell.rule) {
    case RULE_NAMES.count:
      atLeast(q.count ?? "", q.count, rules.countMin);
      break;
    case RULE_NAMES.denominator:
      if (cell.kind === "money") money();
      else atLeast(q.denominator ?? "", q.denominator, rules.denominatorAbove + 1);
      break;
    case RULE_NAMES.numerator:
      atLeast(q.numerator ?? "", q.numerator, rules.numeratorAbove + 1);
      break;
    case RULE_NAMES.complement:
      if (has(q.numerator) && has(q.denominator) && q.numerator !== q.denominator) {
        out.push({
          cell: cell.id,
          rule: cell.rule,
          quantity: `${q.denominator}-${q.numerator}`,
          terms: [
            { column: q.denominator, coef: 1 },
            { column: q.numerator, coef: -1 },
          ],
          sense: "max",
          bound: rules.numeratorAbove + 1,
        });
      }
      break;
    case RULE_NAMES.contributors:
    case RULE_NAMES.dominance:
      money();
      break;
  }
  return out;
}

/** Largest block of `spec.lpBlocks` (LP variables) solved as one LP. */
const MAX_BLOCK_VARIABLES = 40_000;
/**
 * Neighbourhood (LP variables) of the bulk pass, which proves requirements together. On the
 * requirements that witness tables left in the full-scale year 2023 (a fifth of the indicators,
 * 10,451 requirements), balls of 4,000 proved 98.6 % in 1,440 LPs and left 142 cells to the
 * one-cell phase; balls of 2,000 proved 86.7 % in 2,828 LPs and left 1,390, and the two phases
 * together took 24 % longer. Session 24: balls of 3,000 made round 1's two LP phases cheaper when
 * one year was protected alone (52.6 against 58.7 s on the full-scale 2023), but not in the
 * bench, where the families of shared denominators span two years and more cells reach the
 * one-cell phase (2022 / 2023: 85.9 / 75.2 s against 84.5 / 76.2 s).
 */
const BLOCK = 4000;
/**
 * Neighbourhood (LP variables) tried first around a cell left after the bulk pass. Balls grow
 * breadth first in a fixed order, so a smaller ball around the same cell lies inside a larger one
 * and proves nothing the larger cannot; the bulk pass has tried a ball of `BLOCK` around every open
 * cell already. On a sample of 1,000 undecided kommun cells of a full-scale year, single decisions
 * in balls of 200 and 800 variables proved 1 requirement of 365 LPs.
 */
const FIRST_NEIGHBOURHOOD = 2 * BLOCK;
/** Rounds of joint proof per neighbourhood of the block and bulk phases. */
const BATCH_ROUNDS = 4;
/** Most LPs of one pursuit (`pursue`), and how many times `lpMaxVariables` its neighbourhood may hold. */
const PURSUIT_STEPS = 8;
const PURSUIT_REACH = 2;

/** What the attacker's LP reads of a partition's graph (all of it cloneable to a worker thread). */
const LP_GRAPH_PARTS = [
  "cells",
  "sup",
  "kind",
  "tk",
  "values",
  "valid",
  "eq",
  "groupStart",
  "memberCell",
  "memberIsParent",
  "cellStart",
  "cellGroup",
] as const satisfies readonly (keyof SdcGraph)[];
export type LpGraph = Pick<SdcGraph, (typeof LP_GRAPH_PARTS)[number]>;
/** What the attacker's LP reads of a table's description. */
export type LpSpec = Pick<TableSpec, "name" | "additive" | "quantities">;

/** The quantity's value meets the requirement's bound (up to the LP's tolerance). */
export function reaches(r: Requirement, value: number): boolean {
  const tolerance = 1e-7 * Math.max(1, Math.abs(r.bound));
  return r.sense === "max" ? value >= r.bound - tolerance : value <= r.bound + tolerance;
}

/** Rows of an LP in compressed sparse row form, collected for one `addRows`. */
class RowBuilder {
  private readonly lower: number[] = [];
  private readonly upper: number[] = [];
  private readonly starts: number[] = [0];
  private readonly indices: number[] = [];
  private readonly values: number[] = [];

  get count(): number {
    return this.lower.length;
  }

  entry(column: number, value: number): void {
    this.indices.push(column);
    this.values.push(value);
  }

  /** Ends the row of the entries since the last one, with its bounds. */
  end(lower: number, upper: number): void {
    this.lower.push(lower);
    this.upper.push(upper);
    this.starts.push(this.indices.length);
  }

  data(columns: number) {
    return {
      lower: Float64Array.from(this.lower),
      upper: Float64Array.from(this.upper),
      matrix: {
        format: "csr" as const,
        numRows: this.lower.length,
        numCols: columns,
        starts: Int32Array.from(this.starts),
        indices: Int32Array.from(this.indices),
        values: Float64Array.from(this.values),
      },
    };
  }
}

/**
 * The attacker's LP restricted to a neighbourhood: the suppressed cells of `ball` are unknowns and
 * every other cell is fixed at its true value. Its feasible set is the full problem's intersected
 * with those fixings, so every interval it yields is contained in the true one: a requirement it
 * proves is proven for the whole table.
 */
class NeighbourhoodLp {
  /** The HiGHS model, built when first solved (`outOfReach` needs none). */
  private built?: ReturnType<Highs["createModel"]>;
  /** The rows and the cells' lower bounds, kept for the model and for `outOfReach`. */
  private readonly rowData: ReturnType<RowBuilder["data"]>;
  private readonly cellLower: Float64Array;
  /** Outer bounds of the cells' variables (`outOfReach`), computed once. */
  private box?: { lo: Float64Array; hi: Float64Array };
  private readonly firstSlack: number;
  private readonly firstRequirementRow: number;
  readonly local = new Map<number, number>();
  /** The group of each of the first rows (the relations; share and requirement rows follow). */
  private readonly rowGroup: number[] = [];

  constructor(
    private readonly solver: Highs,
    private readonly graph: LpGraph,
    private readonly spec: LpSpec,
    private readonly nonNegative: (cell: number, column: number) => boolean,
    ball: number[],
    private readonly requirements: Requirement[],
    private readonly stats: LpStats,
  ) {
    const A = spec.additive.length;
    const inBall = new Set(ball);
    const varOf = (cell: number, col: number) => this.local.get(cell * A + col);
    for (const c of ball)
      for (let col = 0; col < A; col++)
        if (!Number.isNaN(graph.values[col][c])) this.local.set(c * A + col, this.local.size);
    this.cellLower = new Float64Array(this.local.size);
    for (const [key, v] of this.local)
      this.cellLower[v] = this.nonNegative(Math.floor(key / A), key % A) ? 0 : -solver.infinity;
    // The slacks of the requirements (below) follow the cells' variables.
    const n = requirements.length;
    this.firstSlack = this.local.size;
    // Every row is collected first and handed to HiGHS in one call: a call per row costs as much
    // as solving the LP.
    const rows = new RowBuilder();
    const groups = new Set<number>();
    for (const c of ball)
      for (let k = graph.cellStart[c]; k < graph.cellStart[c + 1]; k++) groups.add(graph.cellGroup[k]);
    for (const g of [...groups].sort((a, b) => a - b)) {
      for (let col = 0; col < A; col++) {
        if (!graph.valid[col][g]) continue;
        let rhs = 0;
        let truth = 0;
        let entries = 0;
        for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1]; m++) {
          const c = graph.memberCell[m];
          const coef = graph.memberIsParent[m] ? 1 : -1;
          const v = varOf(c, col);
          if (graph.sup[c] && inBall.has(c) && v !== undefined) {
            rows.entry(v, coef);
            entries++;
            truth += coef * graph.values[col][c];
          } else rhs -= coef * graph.values[col][c];
        }
        if (entries === 0) continue;
        // A relation holds in the data up to rounding (cells.ts accepts 1e-6 + 1e-9 · Σ|value|):
        // the row is widened just enough to keep the true table, which the attacker cannot rule
        // out, inside the LP. Exact relations (all counts) keep their exact row.
        this.rowGroup.push(g);
        rows.end(Math.min(rhs, truth), graph.eq[col][g] ? Math.max(rhs, truth) : solver.infinity);
      }
    }
    // Numerator ≤ denominator within a share cell, and = where it is whole by definition.
    const q = spec.quantities;
    const num = q.numerator ? spec.additive.indexOf(q.numerator) : -1;
    const den = q.denominator ? spec.additive.indexOf(q.denominator) : -1;
    if (num >= 0 && den >= 0 && num !== den) {
      const share = KINDS.indexOf("share");
      const whole = KINDS.indexOf("whole");
      for (const c of ball) {
        const vn = varOf(c, num);
        const vd = varOf(c, den);
        if ((graph.kind[c] !== share && graph.kind[c] !== whole) || vn === undefined || vd === undefined)
          continue;
        rows.entry(vd, 1);
        rows.entry(vn, -1);
        rows.end(0, graph.kind[c] === whole ? 0 : solver.infinity);
      }
    }
    // One row and one slack column per requirement: Σ coef·x + slack ≥ bound (max) or
    // Σ coef·x − slack ≤ bound (min). A requirement is switched on by giving the row its bound and
    // the slack a cost of 1.
    this.firstRequirementRow = rows.count;
    this.columns = requirements.map((r) => r.terms.map((t) => this.variable(r.cell - 1, t.column)));
    requirements.forEach((r, p) => {
      r.terms.forEach((t, k) => {
        rows.entry(this.columns[p][k], t.coef);
      });
      rows.entry(this.firstSlack + p, r.sense === "max" ? 1 : -1);
      rows.end(-solver.infinity, solver.infinity);
    });
    this.rowData = rows.data(this.local.size + n);
  }

  /** The HiGHS model of the neighbourhood, built on first use. */
  private get model(): ReturnType<Highs["createModel"]> {
    if (this.built) return this.built;
    const { solver } = this;
    const model = solver.createModel();
    model.options.set({ output_flag: false });
    const n = this.requirements.length;
    model.addVars(
      [...this.cellLower, ...new Array(n).fill(0)],
      new Array(this.local.size + n).fill(solver.infinity),
    );
    if (this.rowData.matrix.numRows > 0) model.addRows(this.rowData);
    this.built = model;
    return model;
  }

  /**
   * No table of the neighbourhood meets requirement p: it fails on outer bounds of the cells'
   * variables, propagated over the relation and share rows (bounds.ts, `boundsOnRows`). Without
   * an LP: a few milliseconds against tens for the LP. (The converse does not hold.)
   */
  outOfReach(p: number): boolean {
    if (!this.box) {
      const { lower, upper, matrix } = this.rowData;
      this.box = boundsOnRows(
        { lower, upper, starts: matrix.starts, indices: matrix.indices, values: matrix.values },
        this.firstRequirementRow,
        this.cellLower,
        new Float64Array(this.local.size).fill(Number.POSITIVE_INFINITY),
      );
    }
    const { lo, hi } = this.box;
    const r = this.requirements[p];
    let low = 0;
    let high = 0;
    this.columns[p].forEach((c, k) => {
      const a = r.terms[k].coef * lo[c];
      const b = r.terms[k].coef * hi[c];
      low += Math.min(a, b);
      high += Math.max(a, b);
    });
    return !reaches(r, r.sense === "max" ? high : low);
  }

  /** Local columns of each requirement's terms. */
  private readonly columns: number[][];

  variable(cell: number, column: string): number {
    const v = this.local.get(cell * this.spec.additive.length + this.spec.additive.indexOf(column));
    if (v === undefined) throw new Error(`disclosure control: cell ${cell + 1} has no ${column} in its LP`);
    return v;
  }

  get variables(): number {
    return this.local.size;
  }

  /** Switches requirements on (their rows get their bounds, their slacks the costs `weights`,
   * default 1) or off. */
  private setActive(positions: number[], active: boolean, weights?: number[]): void {
    if (positions.length === 0) return;
    const inf = this.solver.infinity;
    const n = positions.length;
    const lower = new Float64Array(n).fill(-inf);
    const upper = new Float64Array(n).fill(inf);
    if (active)
      positions.forEach((p, i) => {
        const r = this.requirements[p];
        if (r.sense === "max") lower[i] = r.bound;
        else upper[i] = r.bound;
      });
    // One call each for all the slacks' costs and the rows' bounds (HiGHS wants the set sorted).
    const order = positions.map((_, i) => i).sort((a, b) => positions[a] - positions[b]);
    const sorted = (offset: number) => Int32Array.from(order, (i) => offset + positions[i]);
    this.model.changeColsCost(
      { kind: "set", indices: sorted(this.firstSlack) },
      active && weights
        ? Float64Array.from(order, (i) => weights[i])
        : new Float64Array(n).fill(active ? 1 : 0),
    );
    this.model.changeRowsBounds(
      { kind: "set", indices: sorted(this.firstRequirementRow) },
      Float64Array.from(order, (i) => lower[i]),
      Float64Array.from(order, (i) => upper[i]),
    );
  }

  private run(): number {
    this.model.run();
    this.stats.lps++;
    return this.model.getModelStatus();
  }

  /** The requirement holds at the feasible table x (whether or not it was switched on). */
  private met(p: number, x: number[] | Float64Array): boolean {
    return reaches(this.requirements[p], this.quantityAt(p, x));
  }

  /**
   * Switches the requirements of `positions` on, solves for the least total shortfall (each
   * weighted by `weights`, default 1), switches them off again, and returns the solution (the
   * slacks and the feasible table found).
   */
  private solveFor(positions: number[], weights?: number[]) {
    this.model.changeObjectiveSense(this.solver.constants.objectiveSense.minimize);
    this.setActive(positions, true, weights);
    const status = this.run();
    // Read before the switches change the model: changing it invalidates the solution.
    const solution =
      status === this.solver.constants.modelStatus.optimal ? this.model.getSolution() : undefined;
    this.setActive(positions, false);
    if (!solution)
      throw new Error(
        `disclosure control: the attacker's LP for ${this.spec.name} ended with status ${status}`,
      );
    return solution;
  }

  /**
   * Which of the requirements (positions) this neighbourhood proves. Each round finds one feasible
   * table that meets as many of the open requirements as it can (least total shortfall); every
   * requirement it meets is proven, since the attacker cannot rule that table out. What stays open
   * is retried for a few rounds, then left open for a neighbourhood of its own.
   *
   * The shortfalls are weighted (`weighted`): the first `lead` positions (the seed's own
   * requirements) outweigh all others together, and the others fall by rank, from 2 down towards
   * 1: positions come in breadth-first order from the seed, so the table meets the seed's
   * requirements first and then those nearest it. Unweighted, moving persons from one suppressed
   * cell to another often leaves the total shortfall unchanged, and the solver stopped at a table
   * that met none: on the requirements left after the witness tables of the full-scale 2023, 60 %
   * of the bulk phase's neighbourhoods proved nothing that way (docs/performance.md).
   */
  prove(positions: number[], log?: CertificateLog, lead = 0): boolean[] {
    const proven = new Array<boolean>(this.requirements.length).fill(false);
    let open = positions;
    for (let round = 0; open.length > 0 && round < BATCH_ROUNDS; round++) {
      const slack = this.solveFor(open, weighted(open, lead)).colValue;
      // Every requirement that holds in this feasible table is proven, switched on or not.
      const still = open.filter((p) => !this.met(p, slack));
      for (const p of open) proven[p] = true;
      for (const p of still) proven[p] = false;
      if (still.length === open.length) break;
      this.record(slack, log);
      open = still;
    }
    return proven;
  }

  /** Keeps the feasible table x, which proved something, for the audit (certificates.ts). */
  record(x: Float64Array | number[], log: CertificateLog | undefined): void {
    log?.add(this.graph, this.spec.additive.length, this.local, x);
  }

  /**
   * Decides each requirement of `positions` with one LP of its own (switched on alone): the
   * requirement is proven when the LP meets it. Each feasible table found is handed to `witness`,
   * which may prove other requirements with it (`holdsAt`). Used one cell at a time, where the
   * cell's requirements are the only rows: requirements that batch rounds could prove together
   * were proven before, and rows of theirs would only make every LP larger. `attained` holds, for
   * each requirement that got an LP of its own, its quantity in that LP's table: where the
   * requirement is not met, the least shortfall is reached exactly at the quantity's extreme (the
   * maximum for "max"), one side of the attacker's interval. `witness` says whether it proved
   * anything with the table; a table that proved something goes to `log`.
   */
  decideEach(
    positions: number[],
    witness: (x: Float64Array | number[]) => boolean,
    log?: CertificateLog,
  ): { proven: boolean[]; attained: number[] } {
    const proven = new Array<boolean>(this.requirements.length).fill(false);
    const attained = new Array<number>(this.requirements.length).fill(Number.NaN);
    for (const p of positions) {
      if (proven[p]) continue;
      const solution = this.solveFor([p]);
      const x = solution.colValue;
      attained[p] = this.quantityAt(p, x);
      let proves = false;
      for (const q of positions)
        if (!proven[q] && this.met(q, x)) {
          proven[q] = true;
          proves = true;
        }
      if (!proven[p]) this.binding.set(p, this.bindingGroups(solution.rowDual));
      if (witness(x) || proves) this.record(x, log);
    }
    return { proven, attained };
  }

  /** Per requirement that its own LP did not meet: the relations binding at that LP's optimum. */
  readonly binding = new Map<number, number[]>();

  /** Groups whose relation row has a dual value: those that hold the quantity short. */
  private bindingGroups(rowDual: Float64Array | number[]): number[] {
    const groups = new Set<number>();
    this.rowGroup.forEach((g, row) => {
      if (Math.abs(rowDual[row]) > 1e-9) groups.add(g);
    });
    return [...groups].sort((a, b) => a - b);
  }

  private quantityAt(p: number, x: Float64Array | number[]): number {
    const r = this.requirements[p];
    let value = 0;
    this.columns[p].forEach((c, k) => {
      value += r.terms[k].coef * x[c];
    });
    return value;
  }

  /**
   * Whether a requirement (of any cell of the neighbourhood, with or without a row here) holds at
   * the feasible table x. A requirement whose cell lies outside the neighbourhood is not decided.
   */
  holdsAt(r: Requirement, x: Float64Array | number[]): boolean {
    const A = this.spec.additive;
    let value = 0;
    for (const t of r.terms) {
      const v = this.local.get((r.cell - 1) * A.length + A.indexOf(t.column));
      if (v === undefined) return false;
      value += t.coef * x[v];
    }
    return reaches(r, value);
  }

  /**
   * The attacker's interval of a requirement's quantity within this neighbourhood; `attained`, the
   * extreme on the requirement's own side when `decideEach` found it, saves one LP.
   */
  interval(p: number, attained = Number.NaN): [number, number] {
    const r = this.requirements[p];
    const { maximize, minimize } = this.solver.constants.objectiveSense;
    const { optimal, unbounded, unboundedOrInfeasible } = this.solver.constants.modelStatus;
    const cols = r.terms.map((t) => this.variable(r.cell - 1, t.column));
    const optimum = (sense: "max" | "min") => {
      cols.forEach((c, k) => {
        this.model.changeColCost(c, r.terms[k].coef);
      });
      this.model.changeObjectiveSense(sense === "max" ? maximize : minimize);
      const status = this.run();
      const value = this.model.getObjectiveValue();
      // Changing a cost invalidates the solution, so the value is read first.
      for (const c of cols) this.model.changeColCost(c, 0);
      if (status === optimal) return value;
      if (status === unbounded || status === unboundedOrInfeasible)
        return sense === "max" ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
      throw new Error(
        `disclosure control: the attacker's LP for ${this.spec.name} ended with status ${status} (the published relations are inconsistent)`,
      );
    };
    if (!Number.isNaN(attained))
      return r.sense === "max" ? [optimum("min"), attained] : [attained, optimum("max")];
    return [optimum("min"), optimum("max")];
  }

  dispose(): void {
    this.built?.dispose();
  }
}

/**
 * Weights of the shortfalls of `open` (positions in rank order): 2 for the first, falling evenly
 * towards 1 for the last, except positions below `lead`, which weigh 2 · open.length — more than
 * all the others together.
 */
function weighted(open: number[], lead: number): number[] {
  const n = open.length;
  return open.map((p, i) => (p < lead ? 2 * n : 1 + (n - i) / n));
}

/** LP variables of a cell when hidden: one per additive column it has a value in. */
function variablesOfCell(graph: LpGraph, cell: number, columns: number): number {
  let n = 0;
  for (let col = 0; col < columns; col++) if (!Number.isNaN(graph.values[col][cell])) n++;
  return n;
}

/**
 * The suppressed cells around `seed`, breadth first through the groups (members in cell order),
 * until they hold `maxVariables` LP variables or the connected part of the table is exhausted.
 */
function neighbourhood(
  graph: LpGraph,
  seed: number,
  maxVariables: number,
  columns: number,
): { cells: number[]; complete: boolean } {
  const variablesOf = (c: number) => variablesOfCell(graph, c, columns);
  const cells = [seed];
  const seen = new Set(cells);
  let variables = variablesOf(seed);
  for (let head = 0; head < cells.length; head++) {
    const c = cells[head];
    for (let k = graph.cellStart[c]; k < graph.cellStart[c + 1]; k++) {
      const g = graph.cellGroup[k];
      for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1]; m++) {
        const other = graph.memberCell[m];
        if (!graph.sup[other] || seen.has(other)) continue;
        const n = variablesOf(other);
        if (variables + n > maxVariables) return { cells, complete: false };
        seen.add(other);
        cells.push(other);
        variables += n;
      }
    }
  }
  return { cells, complete: true };
}

/** Attackers know the sign of a quantity: values are non-negative when all in its table are. */
export function nonNegativeOf(graph: LpGraph, spec: LpSpec): (cell: number, column: number) => boolean {
  const A = spec.additive;
  const negative = new Map<number, boolean[]>();
  for (let c = 0; c < graph.cells; c++)
    for (let col = 0; col < A.length; col++)
      if (graph.values[col][c] < 0) {
        const flags = negative.get(graph.tk[c]) ?? A.map(() => false);
        flags[col] = true;
        negative.set(graph.tk[c], flags);
      }
  return (cell, col) => !negative.get(graph.tk[cell])?.[col];
}

/** The requirements of cell c's primary rule, from its values in the graph. */
export function cellRequirements(
  graph: SdcGraph,
  spec: RequirementSpec,
  rules: SdcRules,
  c: number,
): Requirement[] {
  const A = spec.additive;
  return requirementsFor(spec, rules, {
    id: c + 1,
    kind: KINDS[graph.kind[c]],
    rule: RULES[graph.rule[c]],
    value: (column) => {
      const i = A.indexOf(column);
      return i < 0 || Number.isNaN(graph.values[i][c]) ? null : graph.values[i][c];
    },
  });
}

/**
 * The requirements of the given cells, in their order, and each cell's positions among them
 * (cells without requirements are left out).
 */
export function collectRequirements(
  graph: SdcGraph,
  spec: RequirementSpec,
  rules: SdcRules,
  cells: Iterable<number>,
): { requirements: Requirement[]; byCell: Map<number, number[]> } {
  const requirements: Requirement[] = [];
  const byCell = new Map<number, number[]>();
  for (const c of cells) {
    const found = cellRequirements(graph, spec, rules, c);
    if (found.length === 0) continue;
    byCell.set(
      c,
      found.map((_, k) => requirements.length + k),
    );
    requirements.push(...found);
  }
  return { requirements, byCell };
}

/** Relations around the exposed cells that a local check of bounds looks at. */
const NEAR_RADIUS = 4;

/**
 * Finds every suppressed cell whose feasible interval is narrower than its rule requires. The
 * unknowns are the suppressed cells of the graph (graph.ts); every other cell is published.
 *
 * Each requirement is proven on the LP of a neighbourhood of its cell (see NeighbourhoodLp: a
 * proof there is a proof for the whole table): first the table's blocks along the hierarchy
 * (`spec.lpBlocks`), then breadth-first neighbourhoods. A neighbourhood proves every open
 * requirement of the cells it holds, so one LP settles many; a requirement still open is
 * retried on a neighbourhood centred on its own cell, growing fourfold up to
 * `rules.lpMaxVariables` variables. A requirement that fails on its whole connected part of the
 * table is exposed; one that fails on the largest neighbourhood short of that is reported as
 * exposed too (`exact: false`): the build suppresses more rather than trust what it cannot prove.
 */
export async function findExposures(
  con: Connection,
  prefix: string,
  spec: TableSpec,
  rules: SdcRules,
  options: {
    only?: Set<number>;
    graph?: SdcGraph;
    /** Neighbourhood sizes (LP variables) of the bulk pass and of the first one-cell attempt. */
    neighbourhoods?: { block: number; first: number };
    /** Threads of the bulk and one-cell phases (default LP_WORKERS; 1: the calling thread only), used from
     * `parallelFrom` cells on (default PARALLEL_SEEDS). */
    workers?: number;
    parallelFrom?: number;
    /** Called about every 10 s while the LPs run. */
    onProgress?: (message: string) => void;
    /** Prove with witness tables (default true). Protection with the LP off skips them: they
     * decide nothing it acts on. */
    witnesses?: boolean;
    /**
     * Requirements proven by witness tables on a pattern that hid no more than this one (cell →
     * positions among the cell's requirements, as witness-repair.ts returns them): they stand, as
     * hiding more only widens every interval, and count as witnessed.
     */
    witnessed?: Map<number, number[]>;
    /** Cells (with requirements) from which witness tables are searched on two threads (default
     * PARALLEL_CELLS of witness-threads.ts). */
    witnessesParallelFrom?: number;
    /** Witness tables with exchanges across levels (witness.ts; default: with the LP on only, as
     * they cost minutes a year where nearly every small-area cell is hidden). */
    acrossLevels?: boolean;
    /** Propagate bounds only near the `only` cells (bounds.ts, `ballAround`): a cheaper check
     * that finds fewer exposures, for the rounds of a repair between two full ones. */
    near?: boolean;
    /** Prove with the LPs of whole blocks (`spec.lpBlocks`) before the neighbourhoods (default
     * true). */
    blocks?: boolean;
    /** The block passes only when at least this many cells are still open after the certificates
     * and witness tables (default 0): for a few cells, a block LP holds a whole kommun, and
     * reading the blocks costs seconds. */
    blocksFrom?: number;
    /** Protection: the one-cell phase may hide published cells to prove what it could not
     * (`pursue`), returned as `hidden`. The audit hides nothing. */
    hide?: boolean;
    /** Protection: keep every table that proves something here, for the audit (certificates.ts). */
    certificates?: CertificateLog;
    /** The audit: protection's tables, each checked against this graph before it proves anything. */
    certified?: CertificateData;
    /**
     * The audit, with the LP on: bound only what certificates and witness tables left, near its
     * cells, after them instead of over the whole table before them. A requirement that fails on
     * bounds has no table that meets it, so neither proves it, and one that the looser bounds
     * near the cells miss fails in the LP instead: the verdict is the same, at a fraction of the
     * cost. (Protection keeps the full bounds first: what they find is repaired differently.)
     */
    boundsLast?: boolean;
  } = {},
): Promise<{
  exposures: Exposure[];
  stats: LpStats;
  bounds?: Bounds;
  failing?: Requirement[];
  /** Published cells (indices, sorted) to suppress: every proof made assumes them suppressed. */
  hidden: number[];
  /** Seconds spent reading the graph (when not given); on the bounds; on collecting the
   * requirements and checking protection's tables (`certificates`); on the witness search; on
   * each phase of the LP. */
  seconds: {
    graph: number;
    bounds: number;
    certificates: number;
    witnesses: number;
    blocks: number;
    bulk: number;
    single: number;
  };
}> {
  const stats = emptyStats();
  const seconds = { graph: 0, bounds: 0, certificates: 0, witnesses: 0, blocks: 0, bulk: 0, single: 0 };
  let lapStart = performance.now();
  const lap = (part: keyof typeof seconds) => {
    const now = performance.now();
    seconds[part] += (now - lapStart) / 1000;
    lapStart = now;
  };
  const A = spec.additive;
  if (A.length === 0) return { exposures: [], stats, hidden: [], seconds };
  const graph = options.graph ?? (await loadGraph(con, prefix, spec));

  const primaryCells = (visit: (c: number) => void) => {
    for (let c = 0; c < graph.cells; c++) {
      if (!isPrimary(graph, c)) continue;
      if (options.only && !options.only.has(c + 1)) continue;
      visit(c);
    }
  };
  const nonNegative = nonNegativeOf(graph, spec);
  if (spec.witnessUnits) graph.units ??= await loadUnits(con, prefix, spec, graph.cells);
  lap("graph");
  const units = graph.units;
  const lpOff = rules.lpMaxVariables === 0;
  const witnesses = options.witnesses ?? true;
  const requirementsOf = (c: number) => cellRequirements(graph, spec, rules, c);
  const exposures: Exposure[] = [];
  /** An exposure of requirement r, with the interval [lo, hi] found and how. */
  const expose = (
    requirement: Requirement,
    interval: [number, number],
    exact: boolean,
    variables: number,
    repair?: number,
  ) =>
    exposures.push({
      repair,
      table: spec.name,
      cell: requirement.cell,
      key: "",
      rule: requirement.rule,
      quantity: requirement.quantity,
      sense: requirement.sense,
      required: requirement.bound,
      attained: requirement.sense === "max" ? interval[1] : interval[0],
      interval,
      trueValue: requirement.terms.reduce(
        (sum, t) => sum + t.coef * graph.values[A.indexOf(t.column)][requirement.cell - 1],
        0,
      ),
      exact,
      neighbourhood: variables,
    });

  // Bounds propagated over the relations (bounds.ts) find, without an LP, the requirements that
  // fail even on outer bounds: these are exposed whatever the LP would say.
  const boundsLast = (options.boundsLast ?? false) && !lpOff;
  const bounds = boundsLast
    ? undefined
    : propagateBounds(
        graph,
        spec,
        nonNegative,
        options.near && options.only
          ? ballAround(
              graph,
              [...options.only].map((id) => id - 1),
              NEAR_RADIUS,
            )
          : undefined,
      );
  lap("bounds");
  const failing = new Map<number, Set<number>>();
  const failingRequirements: Requirement[] = [];
  // No person threshold is above this: a cell whose upper bounds all reach it fails no count rule.
  const reach = Math.max(rules.countMin, rules.numeratorAbove + 1, rules.denominatorAbove + 1);
  const numIndex = spec.quantities.numerator ? A.indexOf(spec.quantities.numerator) : -1;
  const denIndex = spec.quantities.denominator ? A.indexOf(spec.quantities.denominator) : -1;
  const complement =
    numIndex >= 0 && denIndex >= 0 && numIndex !== denIndex ? { num: numIndex, den: denIndex } : undefined;
  primaryCells((c) => {
    if (!bounds || !mayFail(bounds, c, graph.values, reach, rules.moneyProtection, complement)) return;
    requirementsOf(c).forEach((requirement, k) => {
      const { fails, interval } = failsOnBounds(bounds, spec, requirement);
      if (!fails) return;
      expose(requirement, interval, true, 0);
      failingRequirements.push(requirement);
      stats.bounded++;
      const set = failing.get(c) ?? new Set<number>();
      set.add(k);
      failing.set(c, set);
    });
  });

  // Requirements of the primary-suppressed cells, in cell order. With the LP off only those that
  // a witness table may prove (cells of a unit) are built; the others are only counted: how many
  // a cell has depends on its kind, its rule and which columns it has, never on the values, so
  // one call per combination suffices (building an object per requirement costs seconds a year).
  const listed: number[] = [];
  const counts = new Map<number, number>();
  primaryCells((c) => {
    if (lpOff && (!witnesses || !units?.unitOf[c])) {
      let mask = 0;
      for (let i = 0; i < A.length; i++) if (!Number.isNaN(graph.values[i][c])) mask |= 1 << i;
      const key = (graph.kind[c] * RULES.length + graph.rule[c]) * (1 << A.length) + mask;
      let n = counts.get(key);
      if (n === undefined) {
        n = requirementsFor(spec, rules, {
          id: c + 1,
          kind: KINDS[graph.kind[c]],
          rule: RULES[graph.rule[c]],
          value: (column) => (mask & (1 << A.indexOf(column)) ? 0 : null),
        }).length;
        counts.set(key, n);
      }
      stats.requirements += n;
      return;
    }
    listed.push(c);
  });
  const { requirements, byCell } = collectRequirements(graph, spec, rules, listed);
  stats.requirements += requirements.length;
  const proven = new Uint8Array(requirements.length);
  // What the bounds found exposed is settled: reported, not to be proven.
  for (const [c, ks] of failing) {
    const own = byCell.get(c);
    if (own) for (const k of ks) proven[own[k]] = 1;
  }
  for (const [c, ks] of options.witnessed ?? []) {
    const own = byCell.get(c);
    if (own)
      for (const k of ks)
        if (!proven[own[k]]) {
          proven[own[k]] = 1;
          stats.witnessed++;
        }
  }
  // 0. Protection's tables, checked here (certificates.ts), then witness tables built by moving
  // whole small areas (witness.ts): no LP needed for either. Witnesses are skipped when
  // there is nothing to prove, as in a repair round whose exposed cells all lie outside units.
  if (options.certified && requirements.length > 0)
    stats.certified = proveByCertificates(
      graph,
      spec,
      nonNegative,
      options.certified,
      requirements,
      byCell,
      proven,
    ).proven;
  lap("certificates");
  if (units && witnesses && requirements.length > 0)
    stats.witnessed += await proveOnThreads(
      graph,
      witnessSpecOf(spec),
      rules,
      units,
      requirements,
      byCell,
      proven,
      nonNegative,
      {
        acrossLevels: options.acrossLevels ?? !lpOff,
        parallelFrom: options.witnessesParallelFrom,
        // Protection's proofs go to the audit, which then need not search for them again.
        log: options.certificates,
      },
    );
  lap("witnesses");
  if (boundsLast) {
    const open = new Set<number>();
    for (const [c, own] of byCell) if (own.some((r) => !proven[r])) open.add(c);
    if (open.size > 0) {
      const nearBounds = propagateBounds(graph, spec, nonNegative, ballAround(graph, open, NEAR_RADIUS));
      for (const c of open)
        for (const r of byCell.get(c) ?? []) {
          if (proven[r]) continue;
          const { fails, interval } = failsOnBounds(nearBounds, spec, requirements[r]);
          if (!fails) continue;
          expose(requirements[r], interval, true, 0);
          failingRequirements.push(requirements[r]);
          stats.bounded++;
          proven[r] = 1;
        }
    }
    lap("bounds");
  }
  if (lpOff || requirements.every((_, r) => proven[r])) {
    stats.unchecked = lpOff ? stats.requirements - stats.witnessed - stats.certified - stats.bounded : 0;
    return {
      exposures: await withKeys(exposures),
      stats,
      bounds,
      failing: failingRequirements,
      hidden: [],
      seconds,
    };
  }
  let openAtStart = 0;
  for (const own of byCell.values()) if (own.some((r) => !proven[r])) openAtStart++;
  const withBlocks = options.blocks !== false && openAtStart >= (options.blocksFrom ?? 0);
  if (withBlocks && graph.blocks.length === 0 && spec.lpBlocks?.length)
    await loadBlocks(con, prefix, spec, graph);

  const solver = await highs();
  const started = performance.now();
  let reported = started;
  const report = (phase: string, done: number, of: number) => {
    if (!options.onProgress || performance.now() - reported < 10_000) return;
    reported = performance.now();
    const settled = proven.reduce((n, p) => n + p, 0);
    options.onProgress(
      `${spec.name}: ${settled} of ${requirements.length} protection intervals settled (${phase}: ${done} of ${of} cells), ${stats.lps} LPs, ${((reported - started) / 1000).toFixed(0)} s`,
    );
  };
  // Each phase runs by units of work, on worker threads when there is much to do (decideUnits).
  // 1. The table's own blocks (spec.lpBlocks: e.g. the DeSO and RegSO of one kommun), pass by
  // pass: each block's suppressed cells form one LP that proves most of its requirements at once;
  // a block is a unit. 2. Breadth-first neighbourhoods around what is left prove most of the rest
  // together (proveInBulk); 3. what is left, one cell at a time (decideOneByOne); in these two a
  // unit is the open cells of one unit of work (spec.lpWork).
  const lpGraph = lpGraphOf(graph);
  const lpSpec: LpSpec = { name: spec.name, additive: spec.additive, quantities: spec.quantities };
  let workers: LpWorkers | undefined;
  const workersOf = () => {
    workers ??= new LpWorkers(lpGraph, lpSpec);
    return workers;
  };
  const runPhase = async (phase: LpPhase, label: string, units: number[][]) => {
    const cells = units.reduce((n, unit) => n + unit.length, 0);
    if (cells === 0) return;
    const open = requirements.flatMap((_, r) => (proven[r] ? [] : [r]));
    const local = new Map(open.map((r, i) => [r, i]));
    const input: LpPhaseInput = {
      phase,
      graph: lpGraph,
      spec: lpSpec,
      requirements: open.map((r) => requirements[r]),
      byCell: [...byCell].flatMap(([c, own]) => {
        const mine = own.flatMap((r) => local.get(r) ?? []);
        return mine.length > 0 ? [[c, mine] as [number, number[]]] : [];
      }),
      units,
      block: Math.min(options.neighbourhoods?.block ?? BLOCK, rules.lpMaxVariables),
      first: Math.min(options.neighbourhoods?.first ?? FIRST_NEIGHBOURHOOD, rules.lpMaxVariables),
      limit: rules.lpMaxVariables,
      hide: options.hide ?? false,
      certify: options.certificates !== undefined,
    };
    const allowed = options.workers ?? LP_WORKERS;
    // Threads that an earlier phase of this call started cost nothing more to use.
    const worthThreads = cells >= (options.parallelFrom ?? PARALLEL_SEEDS) || workers !== undefined;
    const threads = allowed > 1 && worthThreads ? Math.min(allowed, units.length) : 1;
    const on = `${label}${threads > 1 ? ` on ${threads} threads` : ""}`;
    const results = await decideUnits(solver, input, threads, workersOf, (done) => report(on, done, cells));
    // Units are merged in their order, whichever thread decided them when. A requirement proven
    // by any unit's table is proven; one that its own unit could not prove is exposed unless
    // another unit's table proved it. Cells hidden by any unit are hidden for good (a unit's
    // proofs assume its own).
    for (const result of results) {
      stats.lps += result.lps;
      stats.outOfReach += result.outOfReach;
      for (const i of result.proven) proven[open[i]] = 1;
      for (const c of result.hidden) hidden.add(c);
      if (result.certificates) options.certificates?.append(result.certificates);
    }
    for (const result of results)
      for (const e of result.exposures) {
        if (proven[open[e.r]]) continue;
        expose(requirements[open[e.r]], e.interval, e.exact, e.variables, e.repair);
        proven[open[e.r]] = 1; // settled: reported
      }
  };
  /** Cells grouped by a key, in key order, each group in cell order. */
  const unitsOf = (cells: number[], key: Int32Array) =>
    [...groupBy(cells, (c) => key[c])].sort((a, b) => a[0] - b[0]).map(([, unit]) => unit);
  /** The cell has a requirement not yet settled. */
  const isOpen = (c: number) => (byCell.get(c) ?? []).some((r) => !proven[r]);
  const openCells = () => [...byCell.keys()].filter(isOpen);
  const hidden = new Set<number>();
  try {
    for (const [pass, blockOf] of withBlocks ? graph.blocks.entries() : []) {
      // A block's LP holds all its suppressed cells, whether or not they have open requirements.
      const inBlocks: number[] = [];
      for (let c = 0; c < graph.cells; c++) if (graph.sup[c] && blockOf[c] > 0) inBlocks.push(c);
      const blocks = unitsOf(inBlocks, blockOf)
        // A block too large for one LP in reasonable time is left to the neighbourhoods.
        .filter((cells) => cells.length * A.length <= MAX_BLOCK_VARIABLES)
        .filter((cells) => cells.some(isOpen));
      await runPhase("blocks", `block pass ${pass + 1}`, blocks);
    }
    lap("blocks");
    graph.work ??= await loadWork(con, prefix, spec);
    await runPhase("bulk", "neighbourhoods", unitsOf(openCells(), graph.work));
    lap("bulk");
    await runPhase("single", "one by one", unitsOf(openCells(), graph.work));
    lap("single");
  } finally {
    await workers?.close();
  }
  return {
    exposures: await withKeys(exposures),
    stats,
    bounds,
    failing: failingRequirements,
    hidden: [...hidden].sort((a, b) => a - b),
    seconds,
  };

  /** The exposures in cell order, each with its cell's keys. */
  async function withKeys(list: Exposure[]): Promise<Exposure[]> {
    if (list.length > 0) {
      const keyText = [...spec.tableKeys, ...spec.cellKeys]
        .map((k) => `'${k}=' || coalesce(${quote(k)}::VARCHAR, 'NULL')`)
        .join(" || ',' || ");
      const keys = await queryRows<{ id: number; key: string }>(
        con,
        `SELECT id::DOUBLE AS id, ${keyText} AS key FROM ${prefix}_cells
         WHERE id IN (${[...new Set(list.map((e) => e.cell))].join(",")})`,
      );
      const keyOf = new Map(keys.map((k) => [k.id, k.key]));
      for (const e of list) e.key = keyOf.get(e.cell) ?? "";
    }
    return list.sort((a, b) => a.cell - b.cell);
  }
}

/** Threads of the bulk and one-cell phases: the machine's cores, at most 4 (each holds a copy of the
 * table's graph). The results do not depend on it: units of work are decided independently. */
const LP_WORKERS = Math.min(4, availableParallelism());
/** Fewer cells than this are decided on the calling thread (a worker costs about a second to start),
 * unless an earlier phase of the same call started the workers already. */
const PARALLEL_SEEDS = 256;

export type LpPhase = "blocks" | "bulk" | "single";

/** A phase's input: the open requirements (indices into `requirements`), cloneable to a thread. */
export interface LpPhaseInput {
  phase: LpPhase;
  graph: LpGraph;
  spec: LpSpec;
  requirements: Requirement[];
  /** Each cell's requirements (indices), in cell order. */
  byCell: [number, number[]][];
  /** The units of work: each the cells to decide, in order (see `lpUnitDecider`). */
  units: number[][];
  /** Neighbourhood (LP variables) of the bulk phase; of the first single attempt; the largest. */
  block: number;
  first: number;
  limit: number;
  /** Protection: a pursuit may hide published cells (LpPhaseResult.hidden); the audit's may not. */
  hide: boolean;
  /** Keep the tables that prove something (LpPhaseResult.certificates). */
  certify: boolean;
}

export interface LpPhaseResult {
  /** Requirements proven by a table (indices). */
  proven: number[];
  /** Requirements of the seeds that no neighbourhood up to the limit proved, each with the cell
   * to hide for it (Exposure.repair). */
  exposures: { r: number; interval: [number, number]; exact: boolean; variables: number; repair: number }[];
  /** Published cells (indices) that pursuits hid: the proofs in `proven` assume them suppressed. */
  hidden: number[];
  lps: number;
  /** Bulk neighbourhoods left without an LP (LpStats.outOfReach). */
  outOfReach: number;
  /** With `certify`: the tables that proved something (certificates.ts). */
  certificates?: CertificateData;
}

/** Batch rounds on the LP of `cells` with every open requirement of theirs as a row; returns the
 * requirements (indices) they prove. `seeded`: cells[0] is the seed, whose requirements lead
 * (NeighbourhoodLp.prove). */
function proveTogether(
  { solver, input, graph, byCell, nonNegative }: LpPhaseContext,
  cells: number[],
  isOpen: (r: number) => boolean,
  stats: LpStats,
  log?: CertificateLog,
  seeded = false,
): number[] {
  const open = cells.flatMap((c) => (byCell.get(c) ?? []).filter(isOpen));
  const lp = new NeighbourhoodLp(
    solver,
    graph,
    input.spec,
    nonNegative,
    cells,
    open.map((r) => input.requirements[r]),
    stats,
  );
  const lead = seeded ? (byCell.get(cells[0]) ?? []).filter(isOpen).length : 0;
  // A seed that no table of its neighbourhood can serve is left to the one-cell phase, which
  // looks further: such neighbourhoods nearly always prove nothing else either (on the full-scale
  // 2023, 563 of 583; docs/performance.md), and an LP costs tens of milliseconds.
  if (lead > 0 && open.slice(0, lead).every((_, p) => lp.outOfReach(p))) {
    stats.outOfReach++;
    lp.dispose();
    return [];
  }
  const result = lp.prove(
    open.map((_, p) => p),
    log,
    lead,
  );
  lp.dispose();
  return open.filter((_, p) => result[p]);
}

/** What a thread reads once from a phase's input and keeps for every unit it decides. */
interface LpPhaseContext {
  solver: Highs;
  input: LpPhaseInput;
  graph: LpGraph;
  byCell: Map<number, number[]>;
  nonNegative: (cell: number, column: number) => boolean;
}

/**
 * The phase its input names, one unit of work at a time: `decide(u)` decides the cells of
 * `input.units[u]` on its own — as if no other unit had been decided: its proofs start from the
 * phase's open requirements and its pursuits from the pattern as given (the cells they hide are
 * given back after the unit and returned in the result). So a unit's result depends on the input
 * alone, and units may run on any number of threads, in any order, with the same results.
 */
export function lpUnitDecider(
  solver: Highs,
  input: LpPhaseInput,
): (unit: number, progress?: (done: number) => void) => LpPhaseResult {
  const context: LpPhaseContext = {
    solver,
    input,
    // Pursuits hide cells in a copy of the pattern, given back after each unit.
    graph: input.hide ? { ...input.graph, sup: Uint8Array.from(input.graph.sup) } : input.graph,
    byCell: new Map(input.byCell),
    nonNegative: nonNegativeOf(input.graph, input.spec),
  };
  return (unit, progress) => {
    const cells = input.units[unit];
    if (input.phase === "blocks") return proveBlock(context, cells);
    if (input.phase === "bulk") return proveInBulk(context, cells, progress);
    return decideOneByOne(context, cells, progress);
  };
}

/** The requirements marked in `proven`, as indices. */
function marked(proven: Uint8Array, except?: Set<number>): number[] {
  const list: number[] = [];
  for (let r = 0; r < proven.length; r++) if (proven[r] && !except?.has(r)) list.push(r);
  return list;
}

/**
 * The block phase: the LP of one block's suppressed cells (`spec.lpBlocks`, e.g. the DeSO and
 * RegSO of one kommun), with every requirement of theirs as a row. Blocks share no cell, so what
 * one proves never depends on another.
 */
function proveBlock(context: LpPhaseContext, cells: number[]): LpPhaseResult {
  const stats = emptyStats();
  const log = context.input.certify ? new CertificateLog() : undefined;
  const proven = proveTogether(context, cells, () => true, stats, log);
  return { proven, exposures: [], hidden: [], lps: stats.lps, outOfReach: 0, certificates: log?.data() };
}

/**
 * The bulk phase: a breadth-first neighbourhood of `block` variables around each seed cell still
 * open, with every open requirement of its cells as a row (NeighbourhoodLp.prove: a few rounds of
 * tables that meet as many as they can). Proves; reports no exposure.
 */
function proveInBulk(
  context: LpPhaseContext,
  seeds: number[],
  progress?: (done: number) => void,
): LpPhaseResult {
  const { input, graph, byCell } = context;
  const stats = emptyStats();
  const proven = new Uint8Array(input.requirements.length);
  const log = input.certify ? new CertificateLog() : undefined;
  const open = (r: number) => !proven[r];
  seeds.forEach((seed, done) => {
    progress?.(done);
    if ((byCell.get(seed) ?? []).every((r) => proven[r])) return;
    const cells = neighbourhood(graph, seed, input.block, input.spec.additive.length).cells;
    for (const r of proveTogether(context, cells, open, stats, log, true)) proven[r] = 1;
  });
  return {
    proven: marked(proven),
    exposures: [],
    hidden: [],
    lps: stats.lps,
    outOfReach: stats.outOfReach,
    certificates: log?.data(),
  };
}

/**
 * The one-cell phase: for each seed cell still open, a neighbourhood around it (`first`, growing
 * fourfold up to `limit`) until it proves the cell's requirements, holds the cell's whole
 * connected part, or reaches the limit. Only the cell's own requirements are rows; each table
 * found is one the attacker cannot rule out, so it proves whatever requirement of the
 * neighbourhood's other cells holds in it too. Smaller neighbourhoods than twice the bulk pass's
 * are not tried (FIRST_NEIGHBOURHOOD). A requirement still open then is pursued along the
 * relations that bind the attacker's optimum (`pursue`), and reported only when that fails too.
 */
function decideOneByOne(
  { solver, input, graph, byCell, nonNegative }: LpPhaseContext,
  seeds: number[],
  progress?: (done: number) => void,
): LpPhaseResult {
  const { spec, requirements, first, limit } = input;
  const A = spec.additive.length;
  const stats = emptyStats();
  const proven = new Uint8Array(requirements.length);
  const exposures: LpPhaseResult["exposures"] = [];
  const hidden: number[] = [];
  const log = input.certify ? new CertificateLog() : undefined;
  /** The open requirements of the cells, but not those of `except`. */
  const openOf = (cells: number[], except: number) =>
    cells.flatMap((c) => (c === except ? [] : (byCell.get(c) ?? []).filter((r) => !proven[r])));
  seeds.forEach((seed, done) => {
    progress?.(done);
    const own = byCell.get(seed) ?? [];
    if (own.every((r) => proven[r])) return;
    for (let size = first; ; size = Math.min(size * 4, limit)) {
      const ball = neighbourhood(graph, seed, size, A);
      const mine = own.filter((r) => !proven[r]);
      const others = openOf(ball.cells, seed);
      const lp = new NeighbourhoodLp(
        solver,
        graph,
        spec,
        nonNegative,
        ball.cells,
        mine.map((r) => requirements[r]),
        stats,
      );
      const { proven: decided, attained } = lp.decideEach(
        mine.map((_, p) => p),
        (x) => {
          let proves = false;
          for (const r of others)
            if (!proven[r] && lp.holdsAt(requirements[r], x)) {
              proven[r] = 1;
              proves = true;
            }
          return proves;
        },
        log,
      );
      mine.forEach((r, p) => {
        if (decided[p]) proven[r] = 1;
      });
      const left = mine.filter((r) => !proven[r]);
      if (left.length > 0 && (ball.complete || size >= limit)) {
        for (const r of left) {
          const p = mine.indexOf(r);
          const pursuit = pursue(solver, graph, spec, nonNegative, ball.cells, requirements[r], {
            binding: lp.binding.get(p) ?? [],
            hide: input.hide,
            maxVariables: PURSUIT_REACH * limit,
            stats,
            log,
          });
          if (pursuit) {
            proven[r] = 1;
            hidden.push(...pursuit.hidden);
            for (const q of openOf(pursuit.cells, -1)) if (pursuit.holds(requirements[q])) proven[q] = 1;
            continue;
          }
          // Not provable: report the attacker's interval within this neighbourhood.
          exposures.push({
            r,
            interval: lp.interval(p, attained[p]),
            exact: ball.complete,
            variables: lp.variables,
            repair: cheapestPublishedOf(graph, lp.binding.get(p) ?? []),
          });
          proven[r] = 1; // settled: reported
        }
      }
      lp.dispose();
      if (own.every((r) => proven[r])) break;
    }
  });
  // Later seeds of this unit saw the cells its pursuits hid; the next unit starts without them,
  // and the caller suppresses them for good.
  for (const c of hidden) graph.sup[c] = 0;
  return {
    proven: marked(proven, new Set(exposures.map((e) => e.r))),
    exposures,
    hidden: hidden.sort((a, b) => a - b),
    lps: stats.lps,
    outOfReach: stats.outOfReach,
    certificates: log?.data(),
  };
}

/**
 * Pursues a requirement that its neighbourhood could not prove along the relations that bind the
 * attacker's optimum (rows with a dual value): those are what hold the quantity short. Their
 * suppressed members outside the neighbourhood join it first, in cell order, as many as fit
 * `maxVariables`: a breadth-first ball is cut off somewhere, and this grows it where it matters,
 * without hiding anything. Where no such member is left and `hide` allows (protection, not the
 * audit), the cheapest published member of those relations is hidden and joins as an unknown.
 * Each step solves the requirement's own LP again, at most PURSUIT_STEPS times. Returns the cells
 * hidden, the neighbourhood and a test for other requirements at the table that meets this one;
 * undefined when none was found (and `graph.sup` is then as before).
 */
function pursue(
  solver: Highs,
  graph: LpGraph,
  spec: LpSpec,
  nonNegative: (cell: number, column: number) => boolean,
  ball: number[],
  requirement: Requirement,
  o: { binding: number[]; hide: boolean; maxVariables: number; stats: LpStats; log?: CertificateLog },
): { hidden: number[]; cells: number[]; holds: (r: Requirement) => boolean } | undefined {
  const variablesOf = (c: number) => variablesOfCell(graph, c, spec.additive.length);
  const cells = [...ball];
  const inside = new Set(cells);
  let variables = cells.reduce((n, c) => n + variablesOf(c), 0);
  const hidden: number[] = [];
  let binding = o.binding;
  for (let step = 0; step < PURSUIT_STEPS; step++) {
    const outside: number[] = [];
    for (const g of binding)
      for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1]; m++) {
        const c = graph.memberCell[m];
        if (graph.sup[c] && !inside.has(c)) outside.push(c);
      }
    let joined = 0;
    for (const c of [...new Set(outside)].sort((a, b) => a - b)) {
      const n = variablesOf(c);
      if (variables + n > o.maxVariables) break;
      cells.push(c);
      inside.add(c);
      variables += n;
      joined++;
    }
    if (outside.length > 0 && joined === 0) break;
    if (outside.length === 0) {
      const pick = o.hide ? cheapestPublishedOf(graph, binding) : -1;
      if (pick < 0 || variables + variablesOf(pick) > o.maxVariables) break;
      graph.sup[pick] = 1;
      hidden.push(pick);
      cells.push(pick);
      inside.add(pick);
      variables += variablesOf(pick);
    }
    const lp = new NeighbourhoodLp(solver, graph, spec, nonNegative, cells, [requirement], o.stats);
    let table: Float64Array | number[] = [];
    const { proven } = lp.decideEach(
      [0],
      (x) => {
        table = x;
        return false;
      },
      o.log,
    );
    if (proven[0]) {
      const found = table;
      const result = { hidden, cells, holds: (r: Requirement) => lp.holdsAt(r, found) };
      // The test reads the LP's map of variables only, which outlives the model.
      lp.dispose();
      return result;
    }
    binding = lp.binding.get(0) ?? [];
    lp.dispose();
  }
  for (const c of hidden) graph.sup[c] = 0;
  return undefined;
}

/**
 * The cheapest published member (cells are in cost order) of the given groups; -1 when none has
 * one. Hiding it turns a constant of a relation that held the quantity short into an unknown.
 */
function cheapestPublishedOf(graph: LpGraph, groups: number[]): number {
  let pick = -1;
  for (const g of groups)
    for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1]; m++) {
      const c = graph.memberCell[m];
      if (!graph.sup[c] && (pick < 0 || c < pick)) pick = c;
    }
  return pick;
}

/** The parts of a graph the LP reads, without the rest (units, blocks), for a worker thread. */
function lpGraphOf(graph: SdcGraph): LpGraph {
  return Object.fromEntries(LP_GRAPH_PARTS.map((k) => [k, graph[k]])) as LpGraph;
}

type WorkerMessage = { unit: number; done: number } | { unit: number; result: LpPhaseResult };

/**
 * The worker threads of one `findExposures` call (lp-worker.ts; typescript-worker.mjs lets it load
 * TypeScript): started when a phase first needs them, each given the graph once — it does not
 * change during the call — and kept for the later phases, since starting a thread and copying the
 * graph to it costs about a second. Idle threads do not keep the process alive.
 */
class LpWorkers {
  private readonly workers: Worker[] = [];
  private listener?: (w: number, m: WorkerMessage) => void;
  private failure?: (error: Error) => void;
  /** Why a thread stopped, when one did outside `close`: no later phase may wait for it. */
  private broken?: Error;
  private closing = false;

  constructor(
    private readonly graph: LpGraph,
    private readonly spec: LpSpec,
  ) {}

  /** At least n threads, started as needed. */
  private ensure(n: number): void {
    while (this.workers.length < n) {
      const w = this.workers.length;
      const worker = new Worker(new URL("../typescript-worker.mjs", import.meta.url), {
        workerData: {
          entry: new URL("./lp-worker.ts", import.meta.url).href,
          graph: this.graph,
          spec: this.spec,
        },
      });
      worker.on("message", (m: WorkerMessage) => this.listener?.(w, m));
      worker.on("error", (error) => this.fail(error));
      worker.on("exit", (code) =>
        this.fail(new Error(`disclosure control: an LP worker thread stopped with code ${code}`)),
      );
      this.workers.push(worker);
    }
  }

  private fail(error: Error): void {
    if (this.closing) return;
    this.broken ??= error;
    const failure = this.failure;
    this.failure = undefined;
    failure?.(error);
  }

  /**
   * Decides every unit of the phase on `threads` threads, each taking the next unit when it
   * finishes one, largest units first; the results in unit order.
   */
  run(
    input: Omit<LpPhaseInput, "graph" | "spec">,
    threads: number,
    progress: (done: number) => void,
  ): Promise<LpPhaseResult[]> {
    if (this.broken) return Promise.reject(this.broken);
    this.ensure(threads);
    const size = (u: number) => input.units[u].length;
    const order = input.units.map((_, u) => u).sort((a, b) => size(b) - size(a) || a - b);
    const results: LpPhaseResult[] = new Array(input.units.length);
    const current = new Array<number>(threads).fill(0);
    let finished = 0;
    let next = 0;
    let pending = input.units.length;
    const used = this.workers.slice(0, threads);
    return new Promise((resolve, reject) => {
      this.failure = (error) => {
        reject(error);
        void this.close();
      };
      const give = (w: number) => {
        if (next < order.length) used[w].postMessage({ unit: order[next++] });
      };
      this.listener = (w, m) => {
        if ("result" in m) {
          results[m.unit] = m.result;
          finished += size(m.unit);
          current[w] = 0;
          pending--;
          give(w);
        } else current[w] = m.done;
        progress(finished + current.reduce((a, b) => a + b, 0));
        if (pending === 0) {
          this.listener = undefined;
          this.failure = undefined;
          for (const worker of used) worker.unref();
          resolve(results);
        }
      };
      used.forEach((worker, w) => {
        worker.ref();
        worker.postMessage({ phase: input });
        give(w);
      });
    });
  }

  /** Stops every thread. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
    this.workers.length = 0;
  }
}

/**
 * Decides every unit of the phase, on the calling thread (`threads` 1) or on the pool's worker
 * threads. Units are independent (lpUnitDecider), so the results, in unit order, are the same
 * either way. `progress` gets the number of seed cells decided so far.
 */
async function decideUnits(
  solver: Highs,
  input: LpPhaseInput,
  threads: number,
  pool: () => LpWorkers,
  progress: (done: number) => void,
): Promise<LpPhaseResult[]> {
  if (threads <= 1) {
    const decide = lpUnitDecider(solver, input);
    let finished = 0;
    return input.units.map((cells, u) => {
      const result = decide(u, (n) => progress(finished + n));
      finished += cells.length;
      return result;
    });
  }
  // The threads hold the graph and the table's description already.
  const { graph: _graph, spec: _spec, ...phase } = input;
  return pool().run(phase, threads, progress);
}

/** One line describing an exposure: table, cell, rule and the interval found against the one required. */
export function describeExposure(e: Exposure): string {
  const [lo, hi] = e.interval.map((x) =>
    Number.isFinite(x) ? String(Math.round(x * 1e6) / 1e6) : x > 0 ? "∞" : "-∞",
  );
  const need = e.sense === "max" ? `to reach ${e.required}` : `to reach down to ${e.required}`;
  const scope =
    e.neighbourhood === 0
      ? " (bounds propagated over the relations; the exact interval lies inside)"
      : e.exact
        ? ""
        : ` (within a neighbourhood of ${e.neighbourhood} LP variables, the largest allowed: not provable)`;
  return `${e.table}: suppressed cell (${e.key}), rule ${e.rule}: the published cells give ${e.quantity} in [${lo}, ${hi}]${scope}, but the protection interval must extend ${need}`;
}
