import { describe, expect, it } from "vitest";
import {
  dissimilarity,
  giniAll,
  pairwiseDissimilarity,
  prepare,
  theilH,
} from "../../data-loaders/segregation/measures.ts";
import { segregationProfile } from "../../data-loaders/segregation/profile.ts";
import {
  exactExpectations,
  logFactorial,
  Random,
  sampleHypergeometric,
  simulateMeans,
} from "../../data-loaders/segregation/random.ts";

const close = (actual: number | null | undefined, expected: number, tolerance = 1e-12) => {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThan(tolerance);
};

/** C(n, k) by the multiplicative formula, exact for the small numbers used here. */
function choose(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/**
 * Two units of two persons, two persons of group a and two of b. Under random allocation the a's
 * in unit 1 are HG(4, 2, 2): 0 with probability 1/6, 1 with 4/6, 2 with 1/6.
 *   X = 0 or 2: complete segregation: D = Gini = H = η² = 1, isolation 1, M = ln 2, exposure 0.
 *   X = 1: both units (1,1): every index 0, isolation = exposure = 0.5, M = 0.
 * So E[D] = E[Gini] = E[H] = E[η²] = 1/3, E[isolation] = 2/6 + 4/6·0.5 = 2/3, E[aPb] = 1/3,
 * E[M] = (1/3) ln 2.
 */
const tiny = prepare({
  groups: ["a", "b"],
  counts: [
    [2, 0],
    [0, 2],
  ],
});

describe("exact expectations under random allocation", () => {
  it("match the enumeration of the 2 × 2 table", () => {
    const e = exactExpectations(tiny);
    close(e.D[0], 1 / 3);
    close(e.H[0], 1 / 3);
    close(e.correlationRatio[0], 1 / 3);
    close(e.isolation[0], 2 / 3);
    close(e.exposure[0][1], 1 / 3);
    close(e.M, Math.log(2) / 3);
    close(e.multigroupD, 1 / 3);
    close(e.multigroupH, 1 / 3);
  });

  it("three persons of three groups in units of 1 and 2: every allocation has the same D and M", () => {
    // Whoever sits alone, the multigroup D is (4/3 + 2/3 + 2/3) / (2·3·2/3) = 2/3 and
    // M = ln 3 − (2/3) ln 2, so the expectations equal the observed values.
    const t = prepare({
      groups: ["a", "b", "c"],
      counts: [
        [1, 0, 0],
        [0, 1, 1],
      ],
    });
    const e = exactExpectations(t);
    close(e.multigroupD, 2 / 3);
    close(e.M, Math.log(3) - (2 / 3) * Math.log(2));
    close(e.multigroupH, (Math.log(3) - (2 / 3) * Math.log(2)) / Math.log(3));
  });

  it("closed forms: E[xPx] = P + (1 − P)(n − 1)/(T − 1), E[η²] = (n − 1)/(T − 1)", () => {
    // 3 units, T = 30, P = 1/3: E[aPa] = 1/3 + (2/3)(2/29); E[η²] = 2/29; E[aPb] = (2/3)(1 − 2/29).
    const t = prepare({
      groups: ["a", "b"],
      counts: [
        [8, 2],
        [2, 8],
        [0, 10],
      ],
    });
    const e = exactExpectations(t);
    close(e.isolation[0], 1 / 3 + (2 / 3) * (2 / 29));
    close(e.correlationRatio[1], 2 / 29);
    close(e.exposure[0][1], (2 / 3) * (1 - 2 / 29));
  });

  it("are undefined exactly where the measures are, and 0 for a single unit", () => {
    const absent = exactExpectations(
      prepare({
        groups: ["a", "b"],
        counts: [
          [0, 3],
          [0, 4],
        ],
      }),
    );
    expect(absent.D[0]).toBeNull();
    expect(absent.isolation[0]).toBeNull();
    expect(absent.D[1]).toBeNull(); // b is everyone
    expect(absent.isolation[1]).toBe(1);
    expect(absent.exposure[1][0]).toBe(0);
    expect(absent.multigroupD).toBeNull();
    expect(absent.M).toBe(0);
    const single = exactExpectations(prepare({ groups: ["a", "b"], counts: [[2, 3]] }));
    expect(single.D[0]).toBe(0);
    expect(single.M).toBe(0);
    expect(single.isolation[0]).toBe(0);
    expect(single.exposure[0][1]).toBe(0);
    // One unit and one group: the group is everyone, isolation 1.
    expect(exactExpectations(prepare({ groups: ["a", "b"], counts: [[4, 0]] })).isolation[0]).toBe(1);
    const nobody = exactExpectations(prepare({ groups: ["a", "b"], counts: [] }));
    expect(nobody.M).toBeNull();
    expect(nobody.D).toEqual([null, null]);
  });
});

describe("whole persons", () => {
  it("random allocation refuses fractional counts", () => {
    const t = prepare({
      groups: ["a", "b"],
      counts: [
        [1.5, 2],
        [1, 1],
      ],
    });
    expect(() => exactExpectations(t)).toThrow(/whole-person/);
    expect(() => simulateMeans(t, () => [], { maxDraws: 1, tolerance: 0, seed: 1 })).toThrow(/whole-person/);
  });
});

describe("hypergeometric sampler", () => {
  it("ln k! agrees with the sum of logs across the table/Stirling boundary", () => {
    let sum = 0;
    for (let k = 2; k <= 3000; k++) sum += Math.log(k);
    expect(Math.abs(logFactorial(3000) - sum) / sum).toBeLessThan(1e-13);
  });

  for (const [N, K, n] of [
    [20, 7, 9],
    [20, 15, 12], // both reductions (K > N/2 and n > N/2)
  ]) {
    it(`draws HG(${N}, ${K}, ${n}) with the right frequencies`, () => {
      const random = new Random(7);
      const draws = 40000;
      const counts = new Map<number, number>();
      for (let d = 0; d < draws; d++) {
        const x = sampleHypergeometric(random, N, K, n);
        counts.set(x, (counts.get(x) ?? 0) + 1);
      }
      let covered = 0;
      for (let x = Math.max(0, n - (N - K)); x <= Math.min(n, K); x++) {
        const p = (choose(K, x) * choose(N - K, n - x)) / choose(N, n);
        covered += counts.get(x) ?? 0;
        // Five standard errors of a frequency.
        expect(Math.abs((counts.get(x) ?? 0) / draws - p)).toBeLessThan(
          5 * Math.sqrt((p * (1 - p)) / draws) + 1e-9,
        );
      }
      expect(covered).toBe(draws);
    });
  }

  it("has the right mean and variance for large parameters", () => {
    const random = new Random(3);
    const [N, K, n] = [1_000_000, 300_000, 5000];
    const draws = 20000;
    let sum = 0;
    let squares = 0;
    for (let d = 0; d < draws; d++) {
      const x = sampleHypergeometric(random, N, K, n);
      sum += x;
      squares += x * x;
    }
    const mean = sum / draws;
    const variance = squares / draws - mean * mean;
    // E = nK/N = 1500; Var = n (K/N)(1 − K/N)(N − n)/(N − 1) ≈ 1044.75, sd ≈ 32.3.
    const expectedVariance = (n * 0.3 * 0.7 * (N - n)) / (N - 1);
    expect(Math.abs(mean - 1500)).toBeLessThan(5 * Math.sqrt(expectedVariance / draws));
    expect(Math.abs(variance / expectedVariance - 1)).toBeLessThan(0.05);
  });
});

describe("seeded simulation", () => {
  const plan = { maxDraws: 20000, tolerance: 0, seed: 11 };

  it("estimates E[Gini] = 1/3 of the 2 × 2 table (enumeration above) within four standard errors", () => {
    // Gini is 1 with probability 1/3 and 0 otherwise: sd √(2/9) ≈ 0.471, se ≈ 0.0033.
    const result = simulateMeans(tiny, (t) => [giniAll(t).byGroup[0]], plan);
    expect(result.draws).toBe(20000);
    close(result.means[0], 1 / 3, 4 * Math.sqrt(2 / 9 / 20000));
  });

  it("agrees with the exact expectations of D and H on a larger table", () => {
    const t = prepare({
      groups: ["a", "b", "c"],
      counts: [
        [10, 20, 5],
        [3, 40, 2],
        [30, 5, 10],
        [7, 7, 7],
      ],
    });
    const exact = exactExpectations(t);
    const result = simulateMeans(t, (s) => [dissimilarity(s, "a"), theilH(s, "b")], {
      ...plan,
      maxDraws: 4000,
    });
    // D and H under random allocation have sd well below 0.1 here: 4000 draws give se < 0.0016.
    close(result.means[0], exact.D[0] as number, 0.0065);
    close(result.means[1], exact.H[1] as number, 0.0065);
  });

  it("three persons in units of 1 and 2: pairwise D(a,b) is 1, 1 or 0 with equal chance; multigroup Gini is always 2/3", () => {
    // Alone in unit 1: a → |1 − 0|/2 + |0 − 1|/2 = 1; b → 1; c → 0. E = 2/3, sd = √2/3, se at 20000 draws ≈ 0.0033.
    // Multigroup Gini when x sits alone: group x has τ = (1, 0) and contributes 2·1·2·1 = 4, the two
    // others τ = (0, ½) and 2·1·2·½ = 2 each: 8 / (2·9·2/3) = 2/3 in every allocation.
    const t = prepare({
      groups: ["a", "b", "c"],
      counts: [
        [1, 0, 0],
        [0, 1, 1],
      ],
    });
    const result = simulateMeans(t, (s) => [pairwiseDissimilarity(s, "a", "b"), giniAll(s).multigroup], plan);
    close(result.means[0], 2 / 3, 4 * (Math.SQRT2 / 3 / Math.sqrt(20000)));
    close(result.means[1], 2 / 3, 1e-12);
  });

  it("is deterministic for a seed and stops early once precise enough", () => {
    const t = prepare({
      groups: ["a", "b"],
      counts: [
        [30, 70],
        [50, 50],
        [65, 35],
        [20, 80],
      ],
    });
    const stat = (s: typeof t) => [giniAll(s).byGroup[0]];
    const first = simulateMeans(t, stat, { maxDraws: 200, tolerance: 0.001, seed: 5 });
    const again = simulateMeans(t, stat, { maxDraws: 200, tolerance: 0.001, seed: 5 });
    const other = simulateMeans(t, stat, { maxDraws: 200, tolerance: 0.001, seed: 6 });
    expect(again).toEqual(first);
    expect(other.means[0]).not.toBe(first.means[0]);
    // Draws come in batches of 10 and never exceed the maximum.
    expect(first.draws % 10).toBe(0);
    expect(first.draws).toBeLessThanOrEqual(200);
    const exhaustive = simulateMeans(t, stat, { maxDraws: 30, tolerance: 0, seed: 5 });
    expect(exhaustive.draws).toBe(30);
  });
});

describe("segregationProfile random part", () => {
  it("a single populated unit: every expected measure 0, isolation too, without simulating", () => {
    const p = segregationProfile(
      prepare({
        groups: ["a", "b", "c"],
        counts: [
          [2, 3, 5],
          [0, 0, 0],
        ],
      }),
    );
    expect(p.units).toBe(1);
    expect(p.random.by_group.a.D).toBe(0);
    expect(p.random.by_group.a.gini).toBe(0);
    expect(p.random.pairwise["a|c"].D).toBe(0);
    expect(p.random.multigroup.gini).toBe(0);
    expect(p.random.multigroup.M).toBe(0);
    expect(p.random.by_group.a.isolation).toBe(0);
  });

  it("two groups: expected pairwise D is the exact expected D, and the Ginis agree", () => {
    const p = segregationProfile(tiny, { draws: 50, seed: 1 });
    close(p.random.pairwise["a|b"].D, 1 / 3);
    expect(p.random.by_group.b.gini).toBe(p.random.by_group.a.gini);
    expect(p.random.multigroup.gini).toBe(p.random.by_group.a.gini);
  });

  it("draws: 0 leaves the simulated expectations null but keeps the exact ones", () => {
    const p = segregationProfile(tiny, { draws: 0 });
    expect(p.random.by_group.a.gini).toBeNull();
    close(p.random.by_group.a.D, 1 / 3);
  });
});
