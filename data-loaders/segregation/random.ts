/**
 * Segregation expected under random allocation: the same people (the same group totals T_g) are
 * allocated at random to the same units (the same unit sizes t_i). Each count c_gi is then
 * hypergeometric, HG(T, T_g, t_i), and the counts of one unit are multivariate hypergeometric.
 *
 * Measures that are sums over units of a function of one count (D, H, M, multigroup D and H,
 * isolation, exposure, η²) have exact expectations by linearity: closed forms where they exist,
 * otherwise an exact sum over the hypergeometric distribution of each count. Measures that depend
 * on pairs of units or of groups (Gini, pairwise D) are estimated by a seeded simulation.
 * See docs/segregation.md.
 */
import type { PreparedTable } from "./measures.ts";
import { binaryEntropy, entropyTerm, presentGroups } from "./measures.ts";

/** Most draws of the simulation when none are given; documented in docs/segregation.md. */
export const DEFAULT_DRAWS = 200;
/** Seed of the simulation when none is given. */
export const DEFAULT_SEED = 20240101;

// ---------------------------------------------------------------------------------------------
// Closed forms

/** Share of the populated units beyond the first, (n − 1)/(T − 1); 0 for a single unit. */
function unitSpread(t: PreparedTable): number {
  const n = t.unitTotals.length;
  return n <= 1 ? 0 : (n - 1) / (t.total - 1);
}

/** E[xPx] = P + (1 − P)(n − 1)/(T − 1). Null for an absent group. */
export function expectedIsolation(t: PreparedTable, g: number): number | null {
  if (t.groupTotals[g] === 0) return null;
  const p = t.groupTotals[g] / t.total;
  return p + (1 - p) * unitSpread(t);
}

/** E[xPy] = π_y (1 − (n − 1)/(T − 1)). Null when x is absent. */
export function expectedExposure(t: PreparedTable, x: number, y: number): number | null {
  if (t.groupTotals[x] === 0) return null;
  if (x === y) return expectedIsolation(t, x);
  return (t.groupTotals[y] / t.total) * (1 - unitSpread(t));
}

/** E[η²] = (n − 1)/(T − 1), the same for every group that is neither absent nor everyone. */
export function expectedCorrelationRatio(t: PreparedTable, g: number): number | null {
  if (t.groupTotals[g] === 0 || t.groupTotals[g] === t.total) return null;
  return unitSpread(t);
}

// ---------------------------------------------------------------------------------------------
// Exact sums over the hypergeometric distribution

/** Expectations of one count X ~ HG(N, K, n) that the measures need, all in persons. */
interface CountMoments {
  /** E|X − nK/N|. */
  absDeviation: number;
  /** E[n · e(X/n)], e(p) = −p ln p. */
  entropyOwn: number;
  /** E[n · e((n − X)/n)]. */
  entropyRest: number;
}

let weights = new Float64Array(1024);
/** xLogX[x] = x ln x, grown on demand, so the sums below need no logarithms. */
let xLogX = new Float64Array(0);

function ensureXLogX(upTo: number): void {
  if (xLogX.length > upTo) return;
  const grown = new Float64Array(Math.max(upTo + 1, 2 * xLogX.length));
  grown.set(xLogX);
  for (let x = Math.max(1, xLogX.length); x < grown.length; x++) grown[x] = x * Math.log(x);
  xLogX = grown;
}

/**
 * Walks the hypergeometric probabilities from the mode outwards with the ratio
 * p(x+1)/p(x) = (K − x)(n − x) / ((x + 1)(N − K − n + x + 1)), stops where a term falls below 1e-18 of
 * the mode's (the neglected tails are then below 1e-16 in total), and normalises by the sum, so no
 * factorials are needed. n e(X/n) = X ln n − X ln X, so the entropies need only E[X ln X].
 */
function countMoments(N: number, K: number, n: number): CountMoments {
  const lo = Math.max(0, n - (N - K));
  const hi = Math.min(n, K);
  const mode = Math.min(hi, Math.max(lo, Math.floor(((n + 1) * (K + 1)) / (N + 2))));
  if (weights.length < hi - lo + 1) weights = new Float64Array(Math.max(hi - lo + 1, 2 * weights.length));
  ensureXLogX(n);
  // weights[x - lo] holds the unnormalised probability of x.
  let first = mode;
  let last = mode;
  weights[mode - lo] = 1;
  let w = 1;
  for (let x = mode; x > lo; x--) {
    w *= (x * (N - K - n + x)) / ((K - x + 1) * (n - x + 1));
    if (w < 1e-18) break;
    weights[x - 1 - lo] = w;
    first = x - 1;
  }
  w = 1;
  for (let x = mode; x < hi; x++) {
    w *= ((K - x) * (n - x)) / ((x + 1) * (N - K - n + x + 1));
    if (w < 1e-18) break;
    weights[x + 1 - lo] = w;
    last = x + 1;
  }
  const mean = (n * K) / N;
  let total = 0;
  let sumX = 0;
  let absDeviation = 0;
  let ownXLogX = 0;
  let restXLogX = 0;
  for (let x = first; x <= last; x++) {
    const p = weights[x - lo];
    total += p;
    sumX += p * x;
    absDeviation += p * Math.abs(x - mean);
    ownXLogX += p * xLogX[x];
    restXLogX += p * xLogX[n - x];
  }
  const meanX = sumX / total;
  const logN = Math.log(n);
  return {
    absDeviation: absDeviation / total,
    entropyOwn: meanX * logN - ownXLogX / total,
    entropyRest: (n - meanX) * logN - restXLogX / total,
  };
}

/** Per group: Σ_i of each count moment over the populated units. */
interface GroupMomentSums {
  absDeviation: number;
  entropyOwn: number;
  /** Σ_i E[t_i h(τ_gi)] with h the binary entropy. */
  binaryEntropy: number;
}

function momentSums(t: PreparedTable, g: number): GroupMomentSums {
  let absDeviation = 0;
  let entropyOwn = 0;
  let binary = 0;
  const tg = t.groupTotals[g];
  // Units of the same size share their moments.
  const bySize = new Map<number, CountMoments>();
  for (const size of t.unitTotals) {
    let m = bySize.get(size);
    if (m === undefined) {
      m = countMoments(t.total, tg, size);
      bySize.set(size, m);
    }
    absDeviation += m.absDeviation;
    entropyOwn += m.entropyOwn;
    binary += m.entropyOwn + m.entropyRest;
  }
  return { absDeviation, entropyOwn, binaryEntropy: binary };
}

/** Exact expectations of the measures that are sums over units of one count. */
export interface ExactExpectations {
  /** Per group index; null where the measure is undefined. */
  D: (number | null)[];
  H: (number | null)[];
  isolation: (number | null)[];
  correlationRatio: (number | null)[];
  /** exposure[x][y]. */
  exposure: (number | null)[][];
  multigroupD: number | null;
  multigroupH: number | null;
  M: number | null;
}

/** Random allocation moves whole persons: every count must be a whole number. */
function assertWholePersons(t: PreparedTable): void {
  for (const c of t.byGroup) {
    for (let i = 0; i < c.length; i++) {
      if (!Number.isInteger(c[i]))
        throw new RangeError(`random allocation needs whole-person counts, got ${c[i]}`);
    }
  }
}

export function exactExpectations(t: PreparedTable): ExactExpectations {
  assertWholePersons(t);
  const groupCount = t.groups.length;
  const indices = Array.from({ length: groupCount }, (_, g) => g);
  const sums = indices.map((g) => (t.total > 0 && t.groupTotals[g] > 0 ? momentSums(t, g) : null));
  const D = indices.map((g) => {
    const s = sums[g];
    const tg = t.groupTotals[g];
    if (s === null || tg === t.total) return null;
    // D = Σ_i |c_i − t_i P| / (2 T P (1 − P)), so E[D] = Σ_i E|X_i − t_i P| / (2 T P (1 − P)).
    const p = tg / t.total;
    return s.absDeviation / (2 * t.total * p * (1 - p));
  });
  const H = indices.map((g) => {
    const s = sums[g];
    const tg = t.groupTotals[g];
    if (s === null || tg === t.total) return null;
    const e = binaryEntropy(tg / t.total);
    return (t.total * e - s.binaryEntropy) / (t.total * e);
  });
  const present = presentGroups(t);
  let interaction = 0;
  let entropy = 0;
  let absDeviation = 0;
  let unitEntropy = 0;
  indices.forEach((g) => {
    const p = t.total > 0 ? t.groupTotals[g] / t.total : 0;
    interaction += p * (1 - p);
    entropy += entropyTerm(p);
    absDeviation += sums[g]?.absDeviation ?? 0;
    unitEntropy += sums[g]?.entropyOwn ?? 0;
  });
  const M = t.total === 0 ? null : present < 2 ? 0 : Math.max(0, entropy - unitEntropy / t.total);
  if (t.unitTotals.length === 1) {
    // One populated unit: every allocation is the observed table, where the indices are exactly 0
    // (the sums above would leave rounding noise of 1e-16).
    const zero = (value: number | null) => (value === null ? null : 0);
    return {
      D: D.map(zero),
      H: H.map(zero),
      // With several groups, isolation and exposure are 0 too by convention (measures.ts).
      isolation: indices.map((g) => (present < 2 ? expectedIsolation(t, g) : zero(expectedIsolation(t, g)))),
      correlationRatio: indices.map((g) => expectedCorrelationRatio(t, g)),
      exposure: indices.map((x) =>
        indices.map((y) => (present < 2 ? expectedExposure(t, x, y) : zero(expectedExposure(t, x, y)))),
      ),
      multigroupD: present < 2 ? null : 0,
      multigroupH: present < 2 ? null : 0,
      M: zero(M),
    };
  }
  return {
    D,
    H,
    isolation: indices.map((g) => expectedIsolation(t, g)),
    correlationRatio: indices.map((g) => expectedCorrelationRatio(t, g)),
    exposure: indices.map((x) => indices.map((y) => expectedExposure(t, x, y))),
    multigroupD: present < 2 ? null : absDeviation / (2 * t.total * interaction),
    multigroupH: present < 2 || M === null ? null : M / entropy,
    M,
  };
}

// ---------------------------------------------------------------------------------------------
// Seeded simulation

/** A small, fast, seeded generator (SFC32, seeded through SplitMix32); doubles with 53 random bits. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }
}

/** Below this, ln k! is a running sum of logs (error < 1e-13); above, Stirling's series. */
const SMALL_FACTORIALS = 1024;
/** The table of ln k! grows on demand up to this size (32 MB); larger k use the series directly. */
const MAX_FACTORIAL_TABLE = 1 << 22;
let logFactorialTable = new Float64Array(0);

function stirlingLogFactorial(k: number): number {
  const inv = 1 / k;
  const inv2 = inv * inv;
  return (
    k * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI * k) + inv * (1 / 12 - inv2 * (1 / 360 - inv2 / 1260))
  );
}

/** Makes ln k! a table lookup for every k ≤ upTo (capped), since sampling needs nine per draw. */
function ensureLogFactorials(upTo: number): void {
  const size = Math.min(Math.max(upTo + 1, SMALL_FACTORIALS), MAX_FACTORIAL_TABLE);
  if (logFactorialTable.length >= size) return;
  const grown = new Float64Array(Math.max(size, Math.min(2 * logFactorialTable.length, MAX_FACTORIAL_TABLE)));
  grown.set(logFactorialTable);
  for (let k = logFactorialTable.length; k < grown.length; k++) {
    grown[k] = k < 2 ? 0 : k < SMALL_FACTORIALS ? grown[k - 1] + Math.log(k) : stirlingLogFactorial(k);
  }
  logFactorialTable = grown;
}

/** ln k!, from a running sum of logs below 1024 and from Stirling's series above (relative error < 1e-15). */
export function logFactorial(k: number): number {
  if (k < logFactorialTable.length) return logFactorialTable[k];
  if (k < SMALL_FACTORIALS) {
    ensureLogFactorials(k);
    return logFactorialTable[k];
  }
  return stirlingLogFactorial(k);
}

/** One draw of X ~ HG(N, K, n): successes among n drawn without replacement from N holding K. */
export function sampleHypergeometric(random: Random, N: number, K: number, n: number): number {
  if (n === 0 || K === 0) return 0;
  if (K === N) return n;
  if (n === N) return K;
  // Reduce to K ≤ N/2 and n ≤ N/2 so the walk below stays short and the mode is well inside.
  const swapK = K > N / 2;
  const k = swapK ? N - K : K;
  const swapN = n > N / 2;
  const m = swapN ? N - n : n;
  let x = sampleFromMode(random, N, k, m);
  if (swapN) x = k - x;
  return swapK ? n - x : x;
}

/** Inversion that starts at the mode and walks outwards on both sides (expected steps ≈ 1.6 sd). */
function sampleFromMode(random: Random, N: number, K: number, n: number): number {
  const lo = Math.max(0, n - (N - K));
  const hi = Math.min(n, K);
  const mode = Math.min(hi, Math.max(lo, Math.floor(((n + 1) * (K + 1)) / (N + 2))));
  const logP =
    logFactorial(K) -
    logFactorial(mode) -
    logFactorial(K - mode) +
    logFactorial(N - K) -
    logFactorial(n - mode) -
    logFactorial(N - K - n + mode) -
    (logFactorial(N) - logFactorial(n) - logFactorial(N - n));
  const pMode = Math.exp(logP);
  let u = random.next() - pMode;
  if (u <= 0) return mode;
  let down = mode;
  let up = mode;
  let pDown = pMode;
  let pUp = pMode;
  while (down > lo || up < hi) {
    if (down > lo) {
      pDown *= (down * (N - K - n + down)) / ((K - down + 1) * (n - down + 1));
      down--;
      u -= pDown;
      if (u <= 0) return down;
    }
    if (up < hi) {
      pUp *= ((K - up) * (n - up)) / ((up + 1) * (N - K - n + up + 1));
      up++;
      u -= pUp;
      if (u <= 0) return up;
    }
  }
  return mode; // only reached through rounding of the total probability (≈1e-15)
}

/**
 * Allocates the table's people at random to its units: fills and returns `byGroup[g][i]` for one
 * draw, with the unit sizes and group totals of `t`. Each unit in turn draws its members from those not yet
 * placed, group by group (the conditional hypergeometric chain).
 */
export function allocateAtRandom(
  t: PreparedTable,
  random: Random,
  byGroup: Float64Array[] = t.groups.map(() => new Float64Array(t.unitTotals.length)),
): Float64Array[] {
  ensureLogFactorials(t.total);
  const groupCount = t.groups.length;
  const units = t.unitTotals.length;
  const left = Float64Array.from(t.groupTotals);
  let peopleLeft = t.total;
  for (let i = 0; i < units; i++) {
    let size = t.unitTotals[i];
    let pool = peopleLeft;
    for (let g = 0; g < groupCount; g++) {
      const x = g === groupCount - 1 || size === 0 ? size : sampleHypergeometric(random, pool, left[g], size);
      byGroup[g][i] = x;
      pool -= left[g];
      left[g] -= x;
      size -= x;
    }
    peopleLeft -= t.unitTotals[i];
  }
  return byGroup;
}

/** How many draws a simulation makes: batches of DRAW_BATCH until precise enough, at most `maxDraws`. */
export interface SimulationPlan {
  maxDraws: number;
  /** Stop once the standard error of every simulated mean is at most this (0: always draw maxDraws). */
  tolerance: number;
  seed: number;
}

/** Draws before the first check, and between checks, of the stopping rule. */
export const DRAW_BATCH = 10;
/** Default standard-error target: a simulated expectation is then within about ±0.002 (two standard errors). */
export const DEFAULT_TOLERANCE = 0.001;

export interface SimulationResult {
  means: (number | null)[];
  draws: number;
}

/**
 * Mean of `statistics` over random allocations of `t`, with a fresh generator from `seed`, so that
 * a table's result depends only on the table. Draws come in batches of DRAW_BATCH; after each batch
 * the simulation stops when every mean has a standard error ≤ tolerance, or at maxDraws. The
 * number of draws is thus a deterministic function of the table, the seed and the plan. Statistics
 * that are null on the observed table are null on every draw (same totals) and stay null.
 */
export function simulateMeans(
  t: PreparedTable,
  statistics: (table: PreparedTable) => (number | null)[],
  plan: SimulationPlan,
): SimulationResult {
  assertWholePersons(t);
  const random = new Random(plan.seed);
  let sums: (number | null)[] = [];
  let squares: number[] = [];
  let draws = 0;
  const drawn: PreparedTable = { ...t, byGroup: t.groups.map(() => new Float64Array(t.unitTotals.length)) };
  while (draws < plan.maxDraws) {
    allocateAtRandom(t, random, drawn.byGroup);
    const values = statistics(drawn);
    if (draws === 0) {
      sums = values.slice();
      squares = values.map((v) => (v === null ? 0 : v * v));
    } else {
      values.forEach((v, k) => {
        const s = sums[k];
        sums[k] = s === null || v === null ? null : s + v;
        squares[k] += v === null ? 0 : v * v;
      });
    }
    draws++;
    if (draws % DRAW_BATCH === 0 && plan.tolerance > 0 && draws < plan.maxDraws) {
      const precise = sums.every((s, k) => {
        if (s === null) return true;
        const mean = s / draws;
        const variance = Math.max(0, (squares[k] - draws * mean * mean) / (draws - 1));
        return Math.sqrt(variance / draws) <= plan.tolerance;
      });
      if (precise) break;
    }
  }
  return { means: sums.map((s) => (s === null || draws === 0 ? null : s / draws)), draws };
}
