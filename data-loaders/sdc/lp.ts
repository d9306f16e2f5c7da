/**
 * The attacker's linear programme. For every suppressed cell that a primary rule protects, the
 * feasible interval of its protected quantity is computed from everything published: the
 * additive groups (parent = Σ children, or ≥ for groups with persons outside every child), the
 * published values of the other members, non-negativity, and numerator ≤ denominator for shares.
 *
 * The problem splits along the tables: variables are the suppressed values, linked only through
 * groups with at least one suppressed member. Each connected component is one LP (HiGHS in
 * WebAssembly); its requirements are proven in batches (see `check`), and only a requirement that
 * fails on its own is an exposure, whose interval is then computed exactly.
 */
import loadHighs from "highs";
import type { Connection } from "../db.ts";
import { queryRows } from "../db.ts";
import { quote } from "./cells.ts";
import { RULE_NAMES, type SdcRules } from "./rules.ts";
import type { TableSpec } from "./tables.ts";

type Highs = Awaited<ReturnType<typeof loadHighs>>;
let highsPromise: Promise<Highs> | undefined;
function highs(): Promise<Highs> {
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
}

export interface LpStats {
  requirements: number;
  /** LPs solved (a requirement may need several as its neighbourhood widens). */
  lps: number;
  /** Requirements in components larger than `rules.lpMaxVariables`: not checked by the LP. */
  unchecked: number;
}

interface SupCell {
  id: number;
  tk: number;
  kind: string;
  rule: string | null;
  key: string;
  values: (number | null)[];
}

/** The requirements the primary rules put on a suppressed cell (docs/disclosure-control.md, "Protection interval"). */
export function requirementsFor(
  spec: TableSpec,
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

/** Union–find over variable indices. */
class Components {
  private parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n).map((_, i) => i);
  }
  find(i: number): number {
    let root = i;
    while (this.parent[root] !== root) root = this.parent[root];
    while (this.parent[i] !== root) {
      const next = this.parent[i];
      this.parent[i] = root;
      i = next;
    }
    return root;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/**
 * Finds every suppressed cell whose feasible interval is narrower than its rule requires, from the
 * working tables `<prefix>_cells/_members/_groups` (cells.ts). Cells with `sup` are the unknowns;
 * every other cell is published.
 */
export async function findExposures(
  con: Connection,
  prefix: string,
  spec: TableSpec,
  rules: SdcRules,
  options: { only?: Set<number> } = {},
): Promise<{ exposures: Exposure[]; stats: LpStats }> {
  const stats: LpStats = { requirements: 0, lps: 0, unchecked: 0 };
  const A = spec.additive;
  if (A.length === 0) return { exposures: [], stats };
  const cellsTable = `${prefix}_cells`;
  if (rules.lpMaxVariables === 0) {
    // LP switched off: count the primary-suppressed cells it would have checked, read nothing else.
    const [{ n }] = await queryRows<{ n: number }>(
      con,
      `SELECT count(*)::INTEGER AS n FROM ${cellsTable}
       WHERE sup AND rule IS NOT NULL AND rule <> '${RULE_NAMES.secondary}'`,
    );
    stats.unchecked = n;
    return { exposures: [], stats };
  }
  const keyText = [...spec.tableKeys, ...spec.cellKeys]
    .map((k) => `'${k}=' || coalesce(${quote(k)}::VARCHAR, 'NULL')`)
    .join(" || ',' || ");
  const rows = await queryRows<Record<string, number | string | null>>(
    con,
    `SELECT id::DOUBLE AS id, tk::DOUBLE AS tk, kind, rule, ${keyText} AS key,
            ${A.map((a, i) => `${quote(a)}::DOUBLE AS v${i}`).join(", ")}
     FROM ${cellsTable} WHERE sup ORDER BY id`,
  );
  const cells: SupCell[] = rows.map((r) => ({
    id: r.id as number,
    tk: r.tk as number,
    kind: r.kind as string,
    rule: r.rule as string | null,
    key: r.key as string,
    values: A.map((_, i) => r[`v${i}`] as number | null),
  }));
  const indexOfId = new Map<number, number>();
  cells.forEach((c, i) => {
    indexOfId.set(c.id, i);
  });
  const varOf = (cellIndex: number, col: number) => cellIndex * A.length + col;

  // Attackers know the sign of a quantity: values are non-negative when all in the table are.
  const signs = await queryRows<Record<string, number | boolean | null>>(
    con,
    `SELECT tk::DOUBLE AS tk, ${A.map((a, i) => `coalesce(min(${quote(a)}) >= 0, true) AS nn${i}`).join(", ")}
     FROM ${cellsTable} GROUP BY tk`,
  );
  const nonNegative = new Map<number, boolean[]>();
  for (const s of signs)
    nonNegative.set(
      s.tk as number,
      A.map((_, i) => s[`nn${i}`] === true),
    );

  // Requirements of the primary-suppressed cells.
  const requirements: Requirement[] = [];
  for (const c of cells) {
    if (c.rule === null || c.rule === RULE_NAMES.secondary) continue;
    if (options.only && !options.only.has(c.id)) continue;
    const value = (column: string) => {
      const i = A.indexOf(column);
      return i < 0 ? null : c.values[i];
    };
    requirements.push(...requirementsFor(spec, rules, { id: c.id, kind: c.kind, rule: c.rule, value }));
  }
  stats.requirements = requirements.length;
  if (requirements.length === 0) return { exposures: [], stats };

  // Equations: groups with a suppressed member, per additive column that holds in the group.
  const groupRows = await queryRows<Record<string, number | boolean | null>>(
    con,
    `WITH sg AS (SELECT DISTINCT m.grp FROM ${prefix}_members m JOIN ${cellsTable} c ON c.id = m.id WHERE c.sup)
     SELECT g.grp::DOUBLE AS grp, ${A.map((_, i) => `any_value(g.valid_${A[i]}) AS valid${i}, any_value(g.eq_${A[i]}) AS eq${i}`).join(", ")},
            ${A.map((a, i) => `(-coalesce(sum(CASE WHEN NOT c.sup THEN (CASE WHEN m.is_parent THEN c.${quote(a)} ELSE -c.${quote(a)} END) END), 0))::DOUBLE AS rhs${i}`).join(", ")}
     FROM sg JOIN ${prefix}_groups g ON g.grp = sg.grp
     JOIN ${prefix}_members m ON m.grp = sg.grp JOIN ${cellsTable} c ON c.id = m.id
     GROUP BY g.grp ORDER BY g.grp`,
  );
  const memberRows = await queryRows<{ grp: number; id: number; is_parent: boolean }>(
    con,
    `SELECT m.grp::DOUBLE AS grp, m.id::DOUBLE AS id, m.is_parent
     FROM ${prefix}_members m JOIN ${cellsTable} c ON c.id = m.id WHERE c.sup ORDER BY m.grp, m.id`,
  );
  const supMembers = new Map<number, { cell: number; coef: number }[]>();
  for (const m of memberRows) {
    const list = supMembers.get(m.grp) ?? [];
    list.push({ cell: indexOfId.get(m.id) as number, coef: m.is_parent ? 1 : -1 });
    supMembers.set(m.grp, list);
  }
  interface Row {
    vars: number[];
    coefs: number[];
    lower: number;
    upper: number;
  }
  const equations: Row[] = [];
  for (const g of groupRows) {
    const members = supMembers.get(g.grp as number) ?? [];
    for (let col = 0; col < A.length; col++) {
      if (g[`valid${col}`] !== true) continue;
      const present = members.filter((m) => cells[m.cell].values[col] !== null);
      if (present.length === 0) continue;
      const rhs = g[`rhs${col}`] as number;
      const eq = g[`eq${col}`] === true;
      equations.push({
        vars: present.map((m) => varOf(m.cell, col)),
        coefs: present.map((m) => m.coef),
        lower: rhs,
        upper: eq ? rhs : Number.POSITIVE_INFINITY,
      });
    }
  }
  // Numerator ≤ denominator within a share cell.
  const num = spec.quantities.numerator ? A.indexOf(spec.quantities.numerator) : -1;
  const den = spec.quantities.denominator ? A.indexOf(spec.quantities.denominator) : -1;
  if (num >= 0 && den >= 0 && num !== den) {
    cells.forEach((c, i) => {
      if (c.kind === "share" && c.values[num] !== null && c.values[den] !== null) {
        equations.push({
          vars: [varOf(i, den), varOf(i, num)],
          coefs: [1, -1],
          lower: 0,
          upper: Number.POSITIVE_INFINITY,
        });
      }
    });
  }

  // Connected components: variables linked by an equation or by a requirement.
  const uf = new Components(cells.length * A.length);
  for (const e of equations) for (const v of e.vars.slice(1)) uf.union(e.vars[0], v);
  const requirementVars = requirements.map((r) => {
    const cellIndex = indexOfId.get(r.cell) as number;
    return r.terms.map((t) => varOf(cellIndex, A.indexOf(t.column)));
  });
  for (const vs of requirementVars) for (const v of vs.slice(1)) uf.union(vs[0], v);
  const components = new Map<number, { equations: number[]; requirements: number[] }>();
  requirements.forEach((_, k) => {
    const root = uf.find(requirementVars[k][0]);
    const entry = components.get(root) ?? { equations: [], requirements: [] };
    entry.requirements.push(k);
    components.set(root, entry);
  });
  equations.forEach((e, k) => {
    components.get(uf.find(e.vars[0]))?.equations.push(k);
  });

  const solver = await highs();
  const { maximize, minimize } = solver.constants.objectiveSense;
  const { optimal, unbounded, unboundedOrInfeasible } = solver.constants.modelStatus;
  const exposures: Exposure[] = [];
  for (const [, component] of [...components.entries()].sort((a, b) => a[0] - b[0])) {
    const local = new Map<number, number>();
    const localVar = (v: number) => {
      let i = local.get(v);
      if (i === undefined) {
        i = local.size;
        local.set(v, i);
      }
      return i;
    };
    for (const e of component.equations) for (const v of equations[e].vars) localVar(v);
    for (const k of component.requirements) for (const v of requirementVars[k]) localVar(v);
    if (local.size > rules.lpMaxVariables) {
      // Too large to solve within the build's budget: the singleton and room rules protect it.
      stats.unchecked += component.requirements.length;
      continue;
    }
    const model = solver.createModel();
    try {
      model.options.set({ output_flag: false });
      const lower = [...local.keys()].map((v) =>
        nonNegative.get(cells[Math.floor(v / A.length)].tk)?.[v % A.length] ? 0 : -solver.infinity,
      );
      model.addVars(lower, new Array(local.size).fill(solver.infinity));
      for (const k of component.equations) {
        const e = equations[k];
        model.addRow(e.lower, e.upper === Number.POSITIVE_INFINITY ? solver.infinity : e.upper, {
          indices: e.vars.map((v) => local.get(v) as number),
          values: e.coefs,
        });
      }
      // One row and one slack column per requirement: Σ coef·x + slack ≥ bound (max) or
      // Σ coef·x − slack ≤ bound (min). A requirement is switched on by giving the row its bound
      // and the slack a cost of 1.
      const firstRequirementRow = component.equations.length;
      const firstSlack = local.size;
      const n = component.requirements.length;
      model.addVars(new Array(n).fill(0), new Array(n).fill(solver.infinity));
      component.requirements.forEach((k, p) => {
        const r = requirements[k];
        model.addRow(-solver.infinity, solver.infinity, {
          indices: [...requirementVars[k].map((v) => local.get(v) as number), firstSlack + p],
          values: [...r.terms.map((t) => t.coef), r.sense === "max" ? 1 : -1],
        });
      });
      const setActive = (positions: number[], active: boolean) => {
        for (const p of positions) {
          const r = requirements[component.requirements[p]];
          const row = firstRequirementRow + p;
          model.changeColCost(firstSlack + p, active ? 1 : 0);
          if (!active) model.changeRowBounds(row, -solver.infinity, solver.infinity);
          else if (r.sense === "max") model.changeRowBounds(row, r.bound, solver.infinity);
          else model.changeRowBounds(row, -solver.infinity, r.bound);
        }
      };
      const run = (): number => {
        model.run();
        stats.lps++;
        return model.getModelStatus();
      };
      // Each round finds one feasible table that meets as many of the open requirements as it can
      // (least total shortfall); every requirement it meets is proven, since the attacker cannot
      // rule that table out. What stays open is retried, and when a round proves nothing the
      // remaining requirements are decided one by one.
      const failed: number[] = [];
      let open = component.requirements.map((_, p) => p);
      model.changeObjectiveSense(minimize);
      while (open.length > 0) {
        setActive(open, true);
        const status = run();
        const slack = status === optimal ? model.getSolution().colValue : undefined;
        setActive(open, false);
        if (!slack) {
          throw new Error(
            `disclosure control: the attacker's LP for ${spec.name} ended with status ${status}`,
          );
        }
        const still = open.filter(
          (p) =>
            slack[firstSlack + p] >
            1e-7 * Math.max(1, Math.abs(requirements[component.requirements[p]].bound)),
        );
        if (still.length < open.length) {
          open = still;
          continue;
        }
        for (const p of open) {
          setActive([p], true);
          const single = run();
          const value = model.getSolution().colValue[firstSlack + p];
          setActive([p], false);
          if (
            single !== optimal ||
            value > 1e-7 * Math.max(1, Math.abs(requirements[component.requirements[p]].bound))
          ) {
            failed.push(p);
          }
        }
        open = [];
      }
      // Exposed: report the attacker's whole interval.
      for (const p of failed) {
        const r = requirements[component.requirements[p]];
        const cellIndex = indexOfId.get(r.cell) as number;
        const cols = requirementVars[component.requirements[p]].map((v) => local.get(v) as number);
        const optimum = (sense: "max" | "min") => {
          cols.forEach((c, k) => {
            model.changeColCost(c, r.terms[k].coef);
          });
          model.changeObjectiveSense(sense === "max" ? maximize : minimize);
          const status = run();
          const value = model.getObjectiveValue();
          // Changing a cost invalidates the solution, so the value is read first.
          for (const c of cols) model.changeColCost(c, 0);
          if (status === optimal) return value;
          if (status === unbounded || status === unboundedOrInfeasible) {
            return sense === "max" ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
          }
          throw new Error(
            `disclosure control: the attacker's LP for ${spec.name} cell ${cells[cellIndex].key} ended with status ${status} (the published relations are inconsistent)`,
          );
        };
        const interval: [number, number] = [optimum("min"), optimum("max")];
        exposures.push({
          table: spec.name,
          cell: r.cell,
          key: cells[cellIndex].key,
          rule: r.rule,
          quantity: r.quantity,
          sense: r.sense,
          required: r.bound,
          attained: r.sense === "max" ? interval[1] : interval[0],
          interval,
          trueValue: r.terms.reduce(
            (sum, t) => sum + t.coef * (cells[cellIndex].values[A.indexOf(t.column)] as number),
            0,
          ),
        });
      }
    } finally {
      model.dispose();
    }
  }
  exposures.sort((a, b) => a.cell - b.cell);
  return { exposures, stats };
}

/** One line describing an exposure: table, cell, rule and the interval found against the one required. */
export function describeExposure(e: Exposure): string {
  const [lo, hi] = e.interval.map((x) =>
    Number.isFinite(x) ? String(Math.round(x * 1e6) / 1e6) : x > 0 ? "∞" : "-∞",
  );
  const need = e.sense === "max" ? `to reach ${e.required}` : `to reach down to ${e.required}`;
  return `${e.table}: suppressed cell (${e.key}), rule ${e.rule}: the published cells give ${e.quantity} in [${lo}, ${hi}], but the protection interval must extend ${need}`;
}
