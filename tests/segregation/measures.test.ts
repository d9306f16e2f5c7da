import { describe, expect, it } from "vitest";
import {
  binaryEntropy,
  correlationRatio,
  decompose,
  dissimilarity,
  entropy,
  exposure,
  gini,
  giniAll,
  groupShare,
  isolation,
  multigroupDissimilarity,
  multigroupGini,
  multigroupH,
  mutualInformation,
  pairwiseDissimilarity,
  prepare,
  theilH,
} from "../../data-loaders/segregation/measures.ts";

const close = (actual: number | null, expected: number) => {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThan(1e-12);
};

/**
 * Two groups over three units of 10: U1 = (a 8, b 2), U2 = (2, 8), U3 = (0, 10).
 * T = 30, T_a = 10, T_b = 20, P = 1/3.
 */
const twoGroups = prepare({
  groups: ["a", "b"],
  counts: [
    [8, 2],
    [2, 8],
    [0, 10],
  ],
});

describe("two-group measures (hand-computed table)", () => {
  it("D = ½ Σ |a_i/T_a − b_i/T_b| = ½ (0.7 + 0.2 + 0.5) = 0.7, the same for both groups", () => {
    close(dissimilarity(twoGroups, "a"), 0.7);
    close(dissimilarity(twoGroups, "b"), 0.7);
    // With two groups the pairwise D is the same number.
    close(pairwiseDissimilarity(twoGroups, "a", "b"), 0.7);
  });

  it("isolation and exposure: aPa = 0.8·0.8 + 0.2·0.2 = 0.68, aPb = 0.8·0.2 + 0.2·0.8 = 0.32", () => {
    close(isolation(twoGroups, "a"), 0.68);
    close(exposure(twoGroups, "a", "b"), 0.32);
    // bPb = 0.1·0.2 + 0.4·0.8 + 0.5·1 = 0.84; bPa = 0.1·0.8 + 0.4·0.2 = 0.16; T_a·aPb = T_b·bPa = 3.2.
    close(isolation(twoGroups, "b"), 0.84);
    close(exposure(twoGroups, "b", "a"), 0.16);
  });

  it("η² = (aPa − P)/(1 − P) = (0.68 − 1/3)/(2/3) = 0.52 for both groups", () => {
    close(correlationRatio(twoGroups, "a"), 0.52);
    // bPb: (0.84 − 2/3)/(1/3) = 0.52 too.
    close(correlationRatio(twoGroups, "b"), 0.52);
  });

  it("Gini = 2·100·(0.2 + 0.8 + 0.6) / (2·900·2/9) = 320/400 = 0.8", () => {
    close(gini(twoGroups, "a"), 0.8);
    close(gini(twoGroups, "b"), 0.8);
    close(multigroupGini(twoGroups), 0.8);
  });

  it("H = 1 − (10 h(0.8) + 10 h(0.2) + 10·0) / (30 h(1/3)) and M = H·E", () => {
    const h = (p: number) => -p * Math.log(p) - (1 - p) * Math.log(1 - p);
    const expectedH = 1 - (20 * h(0.8)) / (30 * h(1 / 3));
    close(theilH(twoGroups, "a"), expectedH);
    close(multigroupH(twoGroups), expectedH);
    close(mutualInformation(twoGroups), expectedH * h(1 / 3));
    close(entropy(twoGroups), h(1 / 3));
  });

  it("multigroup D of two groups equals the two-group D", () => {
    close(multigroupDissimilarity(twoGroups), 0.7);
  });

  it("shares", () => {
    close(groupShare(twoGroups, "a"), 1 / 3);
  });
});

/**
 * Three groups: U1 = (a 3, b 1, c 0), U2 = (1, 3, 4), U3 = (0, 0, 4).
 * t = (4, 8, 4), T = 16, T = (4, 4, 8), π = (1/4, 1/4, 1/2), I = Σ π(1−π) = 5/8, E = 1.5 ln 2.
 */
const threeGroups = prepare({
  groups: ["a", "b", "c"],
  counts: [
    [3, 1, 0],
    [1, 3, 4],
    [0, 0, 4],
  ],
});

describe("multigroup and pairwise measures (hand-computed table)", () => {
  it("two-group D of a against the rest (2/3) differs from pairwise D of a and b (0.5)", () => {
    // Rest of a: (1, 7, 4) of 12. ½ (|3/4 − 1/12| + |1/4 − 7/12| + |0 − 4/12|) = ½ (2/3 + 1/3 + 1/3).
    close(dissimilarity(threeGroups, "a"), 2 / 3);
    // ½ (|3/4 − 1/4| + |1/4 − 3/4| + 0) = 0.5
    close(pairwiseDissimilarity(threeGroups, "a", "b"), 0.5);
    // a|c: ½ (0.75 + 0.25 + 0.5) = 0.75; b|c: ½ (0.25 + 0.25 + 0.5) = 0.5
    close(pairwiseDissimilarity(threeGroups, "a", "c"), 0.75);
    close(pairwiseDissimilarity(threeGroups, "b", "c"), 0.5);
  });

  it("multigroup D = Σ_g Σ_i |c_gi − t_i π_g| / (2 T I) = (4 + 2 + 4) / (2·16·5/8) = 0.5", () => {
    close(multigroupDissimilarity(threeGroups), 0.5);
  });

  it("multigroup Gini = Σ_g Σ_{i<j} |t_i c_gj − t_j c_gi| / (T² I) = (36 + 20 + 48) / 160 = 0.65", () => {
    close(multigroupGini(threeGroups), 0.65);
    // Two-group Gini of a: 36 / (T² P (1 − P)) = 36 / (256 · 3/16) = 0.75
    close(gini(threeGroups, "a"), 0.75);
    const all = giniAll(threeGroups);
    close(all.multigroup, 0.65);
    close(all.byGroup[0], 0.75);
  });

  it("M = (3 ln 3 + ln ½ + 3 ln 1.5 + 4 ln 2) / 16 = (3/8) ln 3 and H = M / (1.5 ln 2)", () => {
    close(mutualInformation(threeGroups), (3 / 8) * Math.log(3));
    close(entropy(threeGroups), 1.5 * Math.log(2));
    close(multigroupH(threeGroups), Math.log(3) / (4 * Math.log(2)));
  });

  it("isolation and exposures of a sum to one: 0.59375 + 0.28125 + 0.125", () => {
    close(isolation(threeGroups, "a"), 0.59375);
    close(exposure(threeGroups, "a", "b"), 0.28125);
    close(exposure(threeGroups, "a", "c"), 0.125);
  });
});

describe("conventions for undefined and degenerate tables", () => {
  it("units with nobody in them change nothing", () => {
    const withEmpty = prepare({
      groups: ["a", "b", "c"],
      counts: [
        [0, 0, 0],
        [3, 1, 0],
        [0, 0, 0],
        [1, 3, 4],
        [0, 0, 4],
        [0, 0, 0],
      ],
    });
    expect(withEmpty.unitTotals.length).toBe(3);
    expect(dissimilarity(withEmpty, "a")).toBe(dissimilarity(threeGroups, "a"));
    expect(multigroupGini(withEmpty)).toBe(multigroupGini(threeGroups));
    expect(mutualInformation(withEmpty)).toBe(mutualInformation(threeGroups));
  });

  it("an absent group: its D, Gini, H, η², isolation and exposure are null; exposure to it is 0", () => {
    const t = prepare({
      groups: ["a", "b", "c"],
      counts: [
        [3, 1, 0],
        [1, 3, 0],
      ],
    });
    for (const value of [
      dissimilarity(t, "c"),
      gini(t, "c"),
      theilH(t, "c"),
      correlationRatio(t, "c"),
      isolation(t, "c"),
      exposure(t, "c", "a"),
      pairwiseDissimilarity(t, "a", "c"),
    ]) {
      expect(value).toBeNull();
    }
    expect(exposure(t, "a", "c")).toBe(0);
    expect(groupShare(t, "c")).toBe(0);
    // Two groups remain, so the multigroup measures are defined: D = ½ (|3/4 − 1/4| + |1/4 − 3/4|) = 0.5.
    close(multigroupDissimilarity(t), 0.5);
  });

  it("a group that is the whole population: D, Gini, H, η² null, isolation 1; multigroup D, Gini, H null, M = E = 0", () => {
    const t = prepare({
      groups: ["a", "b"],
      counts: [
        [5, 0],
        [7, 0],
      ],
    });
    expect(dissimilarity(t, "a")).toBeNull();
    expect(gini(t, "a")).toBeNull();
    expect(theilH(t, "a")).toBeNull();
    expect(correlationRatio(t, "a")).toBeNull();
    expect(isolation(t, "a")).toBe(1);
    expect(exposure(t, "a", "b")).toBe(0);
    expect(multigroupDissimilarity(t)).toBeNull();
    expect(multigroupGini(t)).toBeNull();
    expect(multigroupH(t)).toBeNull();
    expect(mutualInformation(t)).toBe(0);
    expect(entropy(t)).toBe(0);
  });

  it("nobody at all: everything is null", () => {
    const t = prepare({ groups: ["a", "b"], counts: [[0, 0]] });
    expect(groupShare(t, "a")).toBeNull();
    expect(dissimilarity(t, "a")).toBeNull();
    expect(isolation(t, "a")).toBeNull();
    expect(mutualInformation(t)).toBeNull();
    expect(entropy(t)).toBeNull();
    expect(multigroupH(t)).toBeNull();
    expect(decompose([t]).M_total).toBeNull();
  });

  it("a single populated unit with several groups: every measure is 0, isolation and exposure too", () => {
    const t = prepare({
      groups: ["a", "b", "c"],
      counts: [
        [0, 0, 0],
        [2, 3, 5],
      ],
    });
    for (const value of [
      dissimilarity(t, "a"),
      pairwiseDissimilarity(t, "a", "c"),
      gini(t, "b"),
      theilH(t, "c"),
      correlationRatio(t, "a"),
      multigroupDissimilarity(t),
      multigroupGini(t),
      multigroupH(t),
      mutualInformation(t),
    ]) {
      expect(value).toBe(0);
    }
    // The convention makes isolation and exposure 0 as well.
    expect(isolation(t, "a")).toBe(0);
    expect(exposure(t, "a", "c")).toBe(0);
  });

  it("rejects negative and non-finite counts and ragged rows", () => {
    expect(() => prepare({ groups: ["a"], counts: [[-1]] })).toThrow(RangeError);
    expect(() => prepare({ groups: ["a"], counts: [[Number.NaN]] })).toThrow(RangeError);
    expect(() => prepare({ groups: ["a", "b"], counts: [[1]] })).toThrow(/expected 2/);
  });
});

describe("Gini on large units (exact comparison path instead of packed keys)", () => {
  it("is scale invariant: the two-group table times 10,000 still gives 0.8", () => {
    const big = prepare({
      groups: ["a", "b"],
      counts: [
        [80000, 20000],
        [20000, 80000],
        [0, 100000],
      ],
    });
    close(gini(big, "a"), 0.8);
  });
});

describe("decomposition of M and H into regions", () => {
  it("R1 = {(2,0), (0,2)}, R2 = {(1,1)}: between 0, within (4/6) ln 2 = total", () => {
    // Total: E = ln 2; unit entropies 0, 0, ln 2 → M = ln 2 − (2/6) ln 2 = (2/3) ln 2.
    const r1 = prepare({
      groups: ["a", "b"],
      counts: [
        [2, 0],
        [0, 2],
      ],
    });
    const r2 = prepare({ groups: ["a", "b"], counts: [[1, 1]] });
    const d = decompose([r1, r2]);
    close(d.M_total, (2 / 3) * Math.log(2));
    close(d.M_between, 0);
    close(d.M_within, (2 / 3) * Math.log(2));
    close(d.H_total, 2 / 3);
    close(d.H_between, 0);
    close(d.H_within, 2 / 3);
  });

  it("R1 = {(2,0), (1,1)}, R2 = {(0,2)}: between ln 2 − (2/3) h(3/4), within (2/3) h(3/4) − (1/3) ln 2", () => {
    const r1 = prepare({
      groups: ["a", "b"],
      counts: [
        [2, 0],
        [1, 1],
      ],
    });
    const r2 = prepare({ groups: ["a", "b"], counts: [[0, 2]] });
    const d = decompose([r1, r2]);
    const h34 = binaryEntropy(0.75);
    close(d.M_between, Math.log(2) - (2 / 3) * h34);
    close(d.M_within, (2 / 3) * h34 - Math.log(2) / 3);
    close(d.M_total, (2 / 3) * Math.log(2));
    close((d.M_between as number) + (d.M_within as number), d.M_total as number);
  });

  it("one group only: M parts are 0 and H parts null", () => {
    const d = decompose([prepare({ groups: ["a"], counts: [[3], [4]] })]);
    expect(d).toEqual({
      M_total: 0,
      M_between: 0,
      M_within: 0,
      H_total: null,
      H_between: null,
      H_within: null,
    });
  });
});

describe("published examples", () => {
  // Elbers, R package `segregation`, documentation of dissimilarity(): "Example where D and H
  // deviate". Units × groups, the matrix columns are the groups.
  const m1 = prepare({
    groups: ["1", "2"],
    counts: [
      [100, 0],
      [60, 40],
      [40, 60],
      [0, 100],
    ],
  });
  const m2 = prepare({
    groups: ["1", "2"],
    counts: [
      [80, 20],
      [80, 20],
      [20, 80],
      [20, 80],
    ],
  });

  it("Elbers: D = 0.6 for both tables, while H differs", () => {
    close(dissimilarity(m1, "1"), 0.6);
    close(dissimilarity(m2, "1"), 0.6);
    // By hand: P = ½, E = ln 2. m1: H = 1 − (100 h(0.6) + 100 h(0.4)) / (400 ln 2) = 1 − h(0.6)/(2 ln 2);
    // m2: every unit has h(0.8), H = 1 − h(0.8)/ln 2.
    close(theilH(m1, "1"), 1 - binaryEntropy(0.6) / (2 * Math.log(2)));
    close(theilH(m2, "1"), 1 - binaryEntropy(0.8) / Math.log(2));
  });

  it("Uchikoshi & Mugiyama (2020) fake examples: D = 1/3 and 7/24", () => {
    const um1 = prepare({
      groups: ["1", "2"],
      counts: [
        [10, 50],
        [30, 50],
        [40, 20],
      ],
    });
    const um2 = prepare({
      groups: ["1", "2"],
      counts: [
        [20, 60],
        [30, 50],
        [30, 10],
      ],
    });
    close(dissimilarity(um1, "1"), 1 / 3);
    close(dissimilarity(um2, "1"), 7 / 24);
  });

  it("Elbers' tests: M is symmetric in units and groups, and reaches ln 2 with absent groups", () => {
    // Units a, b; groups 1–4; n = (40, 20, 5, 1) and (20, 40, 60, 80).
    const table = prepare({
      groups: ["1", "2", "3", "4"],
      counts: [
        [40, 20, 5, 1],
        [20, 40, 60, 80],
      ],
    });
    const transposed = prepare({
      groups: ["a", "b"],
      counts: [
        [40, 20],
        [20, 40],
        [5, 60],
        [1, 80],
      ],
    });
    close(mutualInformation(table), mutualInformation(transposed) as number);
    const max = prepare({
      groups: ["1", "2", "3", "4"],
      counts: [
        [40, 0, 0, 0],
        [0, 0, 0, 40],
      ],
    });
    close(mutualInformation(max), Math.log(2));
    // Two groups present, completely separated: H = M / E = 1 and multigroup D = 1.
    close(multigroupH(max), 1);
    close(multigroupDissimilarity(max), 1);
  });
});
