/**
 * Segregation measures on a table of persons by unit (rows) and group (columns).
 *
 * Pure functions without DuckDB, so that the build, the `rdi segregation` command and the site
 * share one implementation. Formulas, references and the conventions for undefined values are in
 * docs/segregation.md. Notation used in the comments:
 *   t_i   persons in unit i            T    persons in all units
 *   c_gi  persons of group g in unit i T_g  persons of group g;  π_g = T_g / T
 *   τ_gi  = c_gi / t_i                 n    populated units (t_i > 0)
 * Units with nobody in them are dropped first: they change nothing.
 * `null` means undefined (the normalising quantity is zero), never zero.
 */

/** Persons by unit and group: `counts[u][g]` is the number of persons of `groups[g]` in unit u. */
export interface UnitGroupCounts {
  groups: readonly string[];
  counts: ReadonlyArray<ArrayLike<number>>;
}

/** The table in the form every measure reads: populated units only, one column per group. */
export interface PreparedTable {
  groups: readonly string[];
  /** Persons per populated unit (t_i). */
  unitTotals: Float64Array;
  /** `byGroup[g][i]` = c_gi over the populated units. */
  byGroup: Float64Array[];
  /** T_g. */
  groupTotals: Float64Array;
  /** T. */
  total: number;
}

/** Validates and compacts a table. Throws RangeError on a negative or non-finite count. */
export function prepare(table: UnitGroupCounts): PreparedTable {
  const groupCount = table.groups.length;
  if (new Set(table.groups).size !== groupCount) throw new RangeError("group names must be unique");
  const populated: number[] = [];
  for (let u = 0; u < table.counts.length; u++) {
    const row = table.counts[u];
    if (row.length !== groupCount) {
      throw new RangeError(`unit ${u} has ${row.length} counts, expected ${groupCount} (one per group)`);
    }
    let sum = 0;
    for (let g = 0; g < groupCount; g++) {
      const c = row[g];
      if (!Number.isFinite(c) || c < 0)
        throw new RangeError(`unit ${u}, group ${table.groups[g]}: count ${c}`);
      sum += c;
    }
    if (sum > 0) populated.push(u);
  }
  const unitTotals = new Float64Array(populated.length);
  const byGroup = table.groups.map(() => new Float64Array(populated.length));
  const groupTotals = new Float64Array(groupCount);
  let total = 0;
  populated.forEach((u, i) => {
    const row = table.counts[u];
    for (let g = 0; g < groupCount; g++) {
      byGroup[g][i] = row[g];
      unitTotals[i] += row[g];
      groupTotals[g] += row[g];
    }
    total += unitTotals[i];
  });
  return { groups: table.groups, unitTotals, byGroup, groupTotals, total };
}

function groupIndex(table: PreparedTable, group: string): number {
  const g = table.groups.indexOf(group);
  if (g < 0) throw new RangeError(`unknown group '${group}'`);
  return g;
}

/** −p ln p, with 0 ln 0 = 0. */
export function entropyTerm(p: number): number {
  return p > 0 ? -p * Math.log(p) : 0;
}

/** Binary entropy h(p) = −p ln p − (1−p) ln(1−p), natural logarithms. */
export function binaryEntropy(p: number): number {
  return entropyTerm(p) + entropyTerm(1 - p);
}

/** True when group g is neither absent nor the whole population (two-group measures are defined). */
function twoGroupDefined(t: PreparedTable, g: number): boolean {
  return t.groupTotals[g] > 0 && t.groupTotals[g] < t.total;
}

/** Share π_g of a group; null when the table holds nobody. */
export function groupShare(t: PreparedTable, group: string): number | null {
  const g = groupIndex(t, group);
  return t.total > 0 ? t.groupTotals[g] / t.total : null;
}

/**
 * Two-group dissimilarity D of a group against the rest of the population (Duncan & Duncan 1955):
 * D = ½ Σ_i |c_gi/T_g − (t_i − c_gi)/(T − T_g)|.
 */
export function dissimilarity(t: PreparedTable, group: string): number | null {
  const g = groupIndex(t, group);
  if (!twoGroupDefined(t, g)) return null;
  const tg = t.groupTotals[g];
  const rest = t.total - tg;
  const c = t.byGroup[g];
  let sum = 0;
  for (let i = 0; i < c.length; i++) sum += Math.abs(c[i] / tg - (t.unitTotals[i] - c[i]) / rest);
  return sum / 2;
}

/**
 * Pairwise dissimilarity between two groups, ignoring everyone else: D_ab = ½ Σ_i |c_ai/T_a − c_bi/T_b|.
 * Differs from `dissimilarity` as soon as a third group exists. Null when either group is absent.
 */
export function pairwiseDissimilarity(t: PreparedTable, a: string, b: string): number | null {
  const ca = t.byGroup[groupIndex(t, a)];
  const cb = t.byGroup[groupIndex(t, b)];
  const ta = t.groupTotals[groupIndex(t, a)];
  const tb = t.groupTotals[groupIndex(t, b)];
  if (ta === 0 || tb === 0) return null;
  let sum = 0;
  for (let i = 0; i < ca.length; i++) sum += Math.abs(ca[i] / ta - cb[i] / tb);
  return sum / 2;
}

/** Isolation xPx = Σ_i (c_gi/T_g)(c_gi/t_i) (Lieberson; Massey & Denton 1988). Null for an absent group. */
export function isolation(t: PreparedTable, group: string): number | null {
  const g = groupIndex(t, group);
  return exposure(t, group, t.groups[g]);
}

/**
 * True when the table has one populated unit and at least two groups in it. By the fixed
 * convention every measure is then 0: there is no distribution over units to measure.
 */
export function singleUnitSeveralGroups(t: PreparedTable): boolean {
  return t.unitTotals.length === 1 && presentGroups(t) >= 2;
}

/**
 * Exposure xPy of group x to group y = Σ_i (c_xi/T_x)(c_yi/t_i): the share of y in the unit of the
 * average member of x. Null when x is absent; 0 when only y is absent; 0 with a single populated
 * unit and several groups (the convention for every measure).
 */
export function exposure(t: PreparedTable, x: string, y: string): number | null {
  const gx = groupIndex(t, x);
  const gy = groupIndex(t, y);
  const tx = t.groupTotals[gx];
  if (tx === 0) return null;
  if (singleUnitSeveralGroups(t)) return 0;
  const cx = t.byGroup[gx];
  const cy = t.byGroup[gy];
  let sum = 0;
  for (let i = 0; i < cx.length; i++) sum += (cx[i] * cy[i]) / t.unitTotals[i];
  return sum / tx;
}

/**
 * Correlation ratio η² = (xPx − P)/(1 − P) = Σ_i t_i (τ_i − P)² / (T P (1 − P)) (Bell 1954;
 * White 1986), computed in the variance form, which does not cancel.
 */
export function correlationRatio(t: PreparedTable, group: string): number | null {
  const g = groupIndex(t, group);
  if (!twoGroupDefined(t, g)) return null;
  const p = t.groupTotals[g] / t.total;
  const c = t.byGroup[g];
  let sum = 0;
  for (let i = 0; i < c.length; i++) {
    const d = c[i] / t.unitTotals[i] - p;
    sum += t.unitTotals[i] * d * d;
  }
  return sum / (t.total * p * (1 - p));
}

/** Largest unit and unit count for which `sortedByShare` packs share and index into one exact double. */
const PACKED_MAX_UNIT = 65536;
const PACKED_MAX_UNITS = 1 << 20;
let sortKeys = new Float64Array(0);
let sortOrder = new Uint32Array(0);

/**
 * Indices of the units in order of τ_i = c_i/t_i. Fast path for whole-person counts: two distinct
 * shares c/t with t ≤ 2^16
 * differ by at least 2^-32, so floor(τ·2^32)·2^20 + i keeps their order, ties stay together, and
 * the key stays below 2^52: a native numeric sort of doubles does the work.
 */
function sortedByShare(unitTotals: ArrayLike<number>, c: ArrayLike<number>): ArrayLike<number> {
  const n = unitTotals.length;
  let packable = n <= PACKED_MAX_UNITS;
  for (let i = 0; i < n && packable; i++) {
    packable = unitTotals[i] <= PACKED_MAX_UNIT && Number.isInteger(unitTotals[i]) && Number.isInteger(c[i]);
  }
  if (packable) {
    // Scratch buffers reused between calls (the simulation sorts thousands of times); the result
    // is consumed before the next call.
    if (sortKeys.length < n) {
      sortKeys = new Float64Array(Math.max(n, 2 * sortKeys.length));
      sortOrder = new Uint32Array(sortKeys.length);
    }
    const keys = sortKeys.subarray(0, n);
    for (let i = 0; i < n; i++) {
      keys[i] = Math.floor((c[i] / unitTotals[i]) * 4294967296) * PACKED_MAX_UNITS + i;
    }
    keys.sort();
    const order = sortOrder.subarray(0, n);
    for (let k = 0; k < n; k++) order[k] = keys[k] % PACKED_MAX_UNITS;
    return order;
  }
  // c_i t_j against c_j t_i is exact while the products stay below 2^53.
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((i, j) => c[i] * unitTotals[j] - c[j] * unitTotals[i] || i - j);
  return order;
}

/**
 * Half the Gini numerator: Σ_{i,j} t_i t_j |τ_i − τ_j| / 2 = Σ_{i<j} (t_i c_j − t_j c_i) over the units
 * sorted by τ.
 */
function giniPairSum(unitTotals: ArrayLike<number>, c: ArrayLike<number>): number {
  const order = sortedByShare(unitTotals, c);
  let cumT = 0;
  let cumC = 0;
  let sum = 0;
  for (let k = 0; k < order.length; k++) {
    const j = order[k];
    sum += c[j] * cumT - unitTotals[j] * cumC;
    cumT += unitTotals[j];
    cumC += c[j];
  }
  return sum;
}

/** Two-group Gini segregation index G = Σ_i Σ_j t_i t_j |τ_i − τ_j| / (2 T² P (1 − P)). */
export function gini(t: PreparedTable, group: string): number | null {
  const g = groupIndex(t, group);
  if (!twoGroupDefined(t, g)) return null;
  const p = t.groupTotals[g] / t.total;
  return giniPairSum(t.unitTotals, t.byGroup[g]) / (t.total * t.total * p * (1 - p));
}

/** Two-group Theil information index H = Σ_i t_i (E − E_i) / (T E), E = h(P), E_i = h(τ_i). */
export function theilH(t: PreparedTable, group: string): number | null {
  const g = groupIndex(t, group);
  if (!twoGroupDefined(t, g)) return null;
  const p = t.groupTotals[g] / t.total;
  const e = binaryEntropy(p);
  const c = t.byGroup[g];
  let sum = 0;
  for (let i = 0; i < c.length; i++) sum += t.unitTotals[i] * (e - binaryEntropy(c[i] / t.unitTotals[i]));
  return sum / (t.total * e);
}

/** Number of groups with at least one person. */
export function presentGroups(t: PreparedTable): number {
  let present = 0;
  for (const tg of t.groupTotals) if (tg > 0) present++;
  return present;
}

/** Entropy of the group shares E = −Σ_g π_g ln π_g; 0 with one group, null when nobody is counted. */
export function entropy(t: PreparedTable): number | null {
  if (t.total === 0) return null;
  let e = 0;
  for (const tg of t.groupTotals) e += entropyTerm(tg / t.total);
  return e;
}

/** Simpson's interaction index I = Σ_g π_g (1 − π_g), the normaliser of multigroup D and Gini. */
function interaction(t: PreparedTable): number {
  let sum = 0;
  for (const tg of t.groupTotals) {
    const p = tg / t.total;
    sum += p * (1 - p);
  }
  return sum;
}

/** Multigroup dissimilarity (Reardon & Firebaugh 2002): D = Σ_g Σ_i t_i |τ_gi − π_g| / (2 T I). */
export function multigroupDissimilarity(t: PreparedTable): number | null {
  if (presentGroups(t) < 2) return null;
  let sum = 0;
  t.byGroup.forEach((c, g) => {
    const p = t.groupTotals[g] / t.total;
    for (let i = 0; i < c.length; i++) sum += Math.abs(c[i] - t.unitTotals[i] * p);
  });
  return sum / (2 * t.total * interaction(t));
}

/** Multigroup Gini (Reardon & Firebaugh 2002): G = Σ_g Σ_i Σ_j t_i t_j |τ_gi − τ_gj| / (2 T² I). */
export function multigroupGini(t: PreparedTable): number | null {
  if (presentGroups(t) < 2) return null;
  let sum = 0;
  for (const c of t.byGroup) sum += giniPairSum(t.unitTotals, c);
  return sum / (t.total * t.total * interaction(t));
}

/** Two-group Gini of every group and the multigroup Gini, sorting each group's shares only once. */
export function giniAll(t: PreparedTable): { byGroup: (number | null)[]; multigroup: number | null } {
  const sums = t.byGroup.map((c, g) => (t.groupTotals[g] > 0 ? giniPairSum(t.unitTotals, c) : 0));
  const byGroup = sums.map((sum, g) => {
    if (!twoGroupDefined(t, g)) return null;
    const p = t.groupTotals[g] / t.total;
    return sum / (t.total * t.total * p * (1 - p));
  });
  const total = sums.reduce((a, b) => a + b, 0);
  const multigroup = presentGroups(t) < 2 ? null : total / (t.total * t.total * interaction(t));
  return { byGroup, multigroup };
}

/**
 * Mutual information index M = Σ_i Σ_g (c_gi/T) ln(c_gi T / (t_i T_g)) (Theil & Finizza 1971;
 * Mora & Ruiz-Castillo 2011), natural logarithms. 0 with one group or one populated unit; null
 * when nobody is counted.
 */
export function mutualInformation(t: PreparedTable): number | null {
  if (t.total === 0) return null;
  let sum = 0;
  t.byGroup.forEach((c, g) => {
    const tg = t.groupTotals[g];
    for (let i = 0; i < c.length; i++) {
      if (c[i] > 0) sum += c[i] * Math.log((c[i] * t.total) / (t.unitTotals[i] * tg));
    }
  });
  // Rounding can leave −1e-17 where the exact value is 0; M is never negative.
  return Math.max(0, sum / t.total);
}

/** Multigroup Theil information index H = M / E (Reardon & Firebaugh 2002). Null with one group. */
export function multigroupH(t: PreparedTable): number | null {
  if (presentGroups(t) < 2) return null;
  const m = mutualInformation(t);
  const e = entropy(t);
  return m === null || e === null ? null : m / e;
}

/** The decomposition of M and H of a population over units nested in regions. */
export interface Decomposition {
  M_total: number | null;
  M_between: number | null;
  M_within: number | null;
  H_total: number | null;
  H_between: number | null;
  H_within: number | null;
}

/**
 * Exact decomposition over a partition of the units into regions (all tables share one group list):
 * M_total = M_between + M_within, where M_between is M of the regions as units and
 * M_within = Σ_r (T_r/T) M_r; H_x = M_x / E of the whole population.
 */
export function decompose(regions: readonly PreparedTable[]): Decomposition {
  const groups = regions[0]?.groups ?? [];
  for (const r of regions) {
    if (r.groups.length !== groups.length || r.groups.some((g, i) => g !== groups[i])) {
      throw new RangeError("every region of a decomposition must have the same groups in the same order");
    }
  }
  const all = prepare({ groups, counts: regions.flatMap((r) => unitRows(r)) });
  const between = prepare({ groups, counts: regions.map((r) => Array.from(r.groupTotals)) });
  const mTotal = mutualInformation(all);
  if (mTotal === null) {
    return { M_total: null, M_between: null, M_within: null, H_total: null, H_between: null, H_within: null };
  }
  let within = 0;
  for (const r of regions) if (r.total > 0) within += (r.total / all.total) * (mutualInformation(r) ?? 0);
  const mBetween = mutualInformation(between) ?? 0;
  const e = entropy(all) ?? 0;
  const h = (m: number) => (e > 0 ? m / e : null);
  return {
    M_total: mTotal,
    M_between: mBetween,
    M_within: within,
    H_total: h(mTotal),
    H_between: h(mBetween),
    H_within: h(within),
  };
}

/** The populated units of a prepared table as rows of counts. */
export function unitRows(t: PreparedTable): number[][] {
  return Array.from(t.unitTotals, (_, i) => t.byGroup.map((c) => c[i]));
}
