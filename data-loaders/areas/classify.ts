/**
 * The socio-economic index of a RegSO and its classification into områdestyper.
 *
 * Classification compares each index with mean + k·sd of all indices of the year. Floating point
 * cannot decide a comparison that is an exact tie (an index exactly at mean + 1 sd is computed as a
 * hair above or below), and the documented rule says a tie belongs to the more disadvantaged type.
 * So every comparison is first made in doubles; when the double difference lies within
 * DOUBLE_MARGIN of zero, it is decided again in exact rational arithmetic with BigInt. The result
 * is therefore exact, and the expensive path runs only for the (rare) near-ties.
 */
import { OMRADESTYPER, type Omradestyp, type OmradestypKod } from "./config.ts";

/** Counts of one RegSO and year (the numerators and denominators of V1–V3). */
export interface IndexCounts {
  /** Persons of all ages (denominator of V1). */
  antal: number;
  /** Persons aged 20–64 (denominator of V2 and V3). */
  antal_20_64: number;
  /** V1 numerator: persons with låg ekonomisk standard. */
  antal_lag_ekonomisk_standard: number;
  /** V2 numerator: persons 20–64 with förgymnasial education. */
  antal_forgymnasial: number;
  /** V3 numerator: persons 20–64 with long-term ekonomiskt bistånd and/or unemployment. */
  antal_bistand_arbetsloshet: number;
}

export interface Classification {
  /** One entry per input, in input order; null where the RegSO has no index or no type. */
  types: (OmradestypKod | null)[];
  /** RegSO with an index (the population of the mean and standard deviation). */
  regsoMedIndex: number;
  /** National mean of the index (0–100 scale); null without any index. */
  medel: number | null;
  /** Population standard deviation of the index; null without any index. */
  standardavvikelse: number | null;
  /** Comparisons that were within the double margin and decided exactly (for diagnostics). */
  exaktaJamforelser: number;
}

/**
 * Differences (on the 0–100 index scale) smaller than this are re-decided exactly. Rounding errors
 * of the index, its mean and its sd are of order 1e-12 for any realistic number of RegSO, so a
 * difference above the margin has the right sign in doubles.
 */
const DOUBLE_MARGIN = 1e-7;

/** Scale of the exact representation of the cut-offs (at most six decimals). */
const CUTOFF_SCALE = 1_000_000;

/** The index on its published 0–100 scale: the mean of the three shares in per cent. */
export function socioekonomisktIndex(c: IndexCounts): number | null {
  if (c.antal <= 0 || c.antal_20_64 <= 0) return null;
  const v1 = (100 * c.antal_lag_ekonomisk_standard) / c.antal;
  const v2 = (100 * c.antal_forgymnasial) / c.antal_20_64;
  const v3 = (100 * c.antal_bistand_arbetsloshet) / c.antal_20_64;
  return (v1 + v2 + v3) / 3;
}

interface Cutoff {
  kod: OmradestypKod;
  /** k as a double and as the exact fraction num / CUTOFF_SCALE. */
  k: number;
  num: bigint;
}

/** Checks the type list (ordered, decreasing bounds, last one open) and makes the bounds exact. */
export function cutoffsOf(types: readonly Omradestyp[]): { cutoffs: Cutoff[]; lastKod: OmradestypKod } {
  if (types.length < 2) throw new Error("areas config: at least two områdestyper are needed");
  const cutoffs: Cutoff[] = [];
  types.forEach((type, i) => {
    const last = i === types.length - 1;
    if (last !== (type.minstSd === null)) {
      throw new Error(
        `areas config: områdestyp ${type.kod}: only the last type may (and must) have minstSd null`,
      );
    }
    if (type.minstSd === null) return;
    const k = type.minstSd;
    const scaled = Math.round(k * CUTOFF_SCALE);
    if (!Number.isFinite(k) || scaled / CUTOFF_SCALE !== k) {
      throw new Error(
        `areas config: områdestyp ${type.kod}: minstSd ${k} must be a decimal with ≤ 6 decimals`,
      );
    }
    const previous = cutoffs.at(-1);
    if (previous && !(k < previous.k)) {
      throw new Error(`areas config: områdestyp ${type.kod}: minstSd must decrease from type to type`);
    }
    cutoffs.push({ kod: type.kod, k, num: BigInt(scaled) });
  });
  return { cutoffs, lastKod: types[types.length - 1].kod };
}

/**
 * y = index · 3/100 = V1/100 + (V2 + V3)/100 as the exact fraction p/q. A positive multiple of the
 * index has the same position in standard deviations, so comparing y is comparing the index.
 */
function exactY(c: IndexCounts): [bigint, bigint] {
  const a = BigInt(c.antal);
  const b = BigInt(c.antal_20_64);
  const p =
    BigInt(c.antal_lag_ekonomisk_standard) * b +
    BigInt(c.antal_forgymnasial + c.antal_bistand_arbetsloshet) * a;
  return [p, a * b];
}

/** Σ p_i/q_i as P/Q with Q = Π q_i, summed pairwise so the numbers grow evenly (fast BigInt products). */
function sumFractions(fractions: [bigint, bigint][], from = 0, to = fractions.length): [bigint, bigint] {
  if (to - from === 1) return fractions[from];
  const mid = (from + to) >> 1;
  const [p1, q1] = sumFractions(fractions, from, mid);
  const [p2, q2] = sumFractions(fractions, mid, to);
  return [p1 * q2 + p2 * q1, q1 * q2];
}

/**
 * Exact statistics, built only when a comparison needs them. With R RegSO, S1 = Σ y = P1/Q and
 * S2 = Σ y² = P2/Q². Then R·(y_i − mean) = N_i/Q with N_i = R·p_i·(Q/q_i) − P1, and
 * R²·variance = V/Q² with V = R·P2 − P1². The test y_i − mean ≥ k·sd becomes N_i ≥ k·√V.
 */
class ExactStatistics {
  private readonly q: bigint;
  private readonly p1: bigint;
  private readonly v: bigint;
  /** N and (CUTOFF_SCALE·N)² by the RegSO's fraction: RegSO with equal counts share the costly part. */
  private readonly n = new Map<string, [bigint, bigint]>();

  constructor(private readonly ys: [bigint, bigint][]) {
    const r = BigInt(ys.length);
    const [p1, q] = sumFractions(ys);
    const [p2] = sumFractions(ys.map(([p, qi]) => [p * p, qi * qi]));
    this.q = q;
    this.p1 = p1;
    this.v = r * p2 - p1 * p1;
  }

  private numerator(i: number): [bigint, bigint] {
    const [p, qi] = this.ys[i];
    const key = `${p}/${qi}`;
    let value = this.n.get(key);
    if (value === undefined) {
      const n = BigInt(this.ys.length) * p * (this.q / qi) - this.p1;
      const scaled = BigInt(CUTOFF_SCALE) * n;
      value = [n, scaled * scaled];
      this.n.set(key, value);
    }
    return value;
  }

  /** Exactly: y_i − mean ≥ (num / CUTOFF_SCALE) · sd, i.e. CUTOFF_SCALE·N ≥ num·√V. */
  reaches(i: number, num: bigint): boolean {
    const [n, lhs] = this.numerator(i);
    if (num === 0n) return n >= 0n;
    const rhs = num * num * this.v;
    return num > 0n ? n >= 0n && lhs >= rhs : n >= 0n || lhs <= rhs;
  }
}

/**
 * Classifies RegSO into områdestyper from their counts (all RegSO of one year).
 * A RegSO without persons, or without persons aged 20–64, has no index and no type and does not
 * count in the mean and standard deviation. When every index is equal (sd = 0), no RegSO gets a type.
 * `exact: true` decides every comparison exactly (used by the tests to check the double path).
 */
export function classifyRegso(
  counts: readonly IndexCounts[],
  options: { types?: readonly Omradestyp[]; exact?: boolean } = {},
): Classification {
  const { cutoffs, lastKod } = cutoffsOf(options.types ?? OMRADESTYPER);
  const types: (OmradestypKod | null)[] = counts.map(() => null);
  const withIndex: number[] = [];
  counts.forEach((c, i) => {
    if (socioekonomisktIndex(c) !== null) withIndex.push(i);
  });
  const r = withIndex.length;
  if (r === 0) return { types, regsoMedIndex: 0, medel: null, standardavvikelse: null, exaktaJamforelser: 0 };

  const ys = withIndex.map((i) => exactY(counts[i]));
  // The index in doubles, its mean and population sd (two passes, in input order: deterministic).
  const x = withIndex.map((i) => socioekonomisktIndex(counts[i]) as number);
  const mean = x.reduce((s, v) => s + v, 0) / r;
  const sd = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / r);
  const result = { types, regsoMedIndex: r, medel: mean, standardavvikelse: sd, exaktaJamforelser: 0 };

  // sd = 0 exactly iff all fractions are equal; then the types are undefined.
  const [p0, q0] = ys[0];
  if (ys.every(([p, q]) => p * q0 === p0 * q)) {
    result.standardavvikelse = 0;
    return result;
  }

  let exact: ExactStatistics | undefined;
  const reaches = (j: number, cutoff: Cutoff): boolean => {
    const difference = x[j] - mean - cutoff.k * sd;
    if (!options.exact && Math.abs(difference) > DOUBLE_MARGIN) return difference > 0;
    result.exaktaJamforelser++;
    exact ??= new ExactStatistics(ys);
    return exact.reaches(j, cutoff.num);
  };
  withIndex.forEach((i, j) => {
    types[i] = cutoffs.find((cutoff) => reaches(j, cutoff))?.kod ?? lastKod;
  });
  return result;
}
