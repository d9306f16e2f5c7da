/**
 * Every measure of one population at once, together with its value expected under random
 * allocation. This is the shape `rdi segregation --format json` prints per region.
 */
import type { PreparedTable } from "./measures.ts";
import {
  correlationRatio,
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
  theilH,
} from "./measures.ts";
import {
  DEFAULT_DRAWS,
  DEFAULT_SEED,
  DEFAULT_TOLERANCE,
  exactExpectations,
  simulateMeans,
} from "./random.ts";

export interface GroupMeasures {
  share: number | null;
  D: number | null;
  isolation: number | null;
  /** Exposure to each other group. */
  exposure: Record<string, number | null>;
  correlation_ratio: number | null;
  gini: number | null;
  H: number | null;
}

export interface MultigroupMeasures {
  D: number | null;
  gini: number | null;
  H: number | null;
  M: number | null;
  E: number | null;
}

export interface MeasureSet {
  by_group: Record<string, GroupMeasures>;
  /** Keyed `a|b`, a before b in group order. */
  pairwise: Record<string, { D: number | null }>;
  multigroup: MultigroupMeasures;
}

export interface SegregationProfile extends MeasureSet {
  total: number;
  /** Populated units. */
  units: number;
  /** The same measures expected under random allocation of the same people to the same units. */
  random: MeasureSet;
}

export interface ProfileOptions {
  /** Most draws of the simulation for Gini and pairwise D (default DEFAULT_DRAWS); 0 leaves them null. */
  draws?: number;
  /** Standard-error target that ends the simulation early (default DEFAULT_TOLERANCE; 0 = all draws). */
  tolerance?: number;
  seed?: number;
  /** Skip the random-allocation expectations altogether (`random` then holds nulls). */
  random?: boolean;
}

/** Pairs of group indices (a < b). */
function groupPairs(t: PreparedTable): [number, number][] {
  const pairs: [number, number][] = [];
  for (let a = 0; a < t.groups.length; a++) for (let b = a + 1; b < t.groups.length; b++) pairs.push([a, b]);
  return pairs;
}

/**
 * The statistics without an exact expectation: Gini of each group, multigroup Gini, then pairwise D
 * of each pair. With two groups they reduce to one Gini (the other group's Gini and the multigroup
 * Gini are the same number, and pairwise D is the two-group D, whose expectation is exact).
 */
function simulatedStatistics(t: PreparedTable): (number | null)[] {
  if (t.groups.length === 2) return [gini(t, t.groups[0])];
  const ginis = giniAll(t);
  return [
    ...ginis.byGroup,
    ginis.multigroup,
    ...groupPairs(t).map(([a, b]) => pairwiseDissimilarity(t, t.groups[a], t.groups[b])),
  ];
}

/** Every measure of a population, with the expectations under random allocation. */
export function segregationProfile(t: PreparedTable, options: ProfileOptions = {}): SegregationProfile {
  const observed: MeasureSet = {
    by_group: Object.fromEntries(
      t.groups.map((g) => [
        g,
        {
          share: groupShare(t, g),
          D: dissimilarity(t, g),
          isolation: isolation(t, g),
          exposure: Object.fromEntries(t.groups.filter((h) => h !== g).map((h) => [h, exposure(t, g, h)])),
          correlation_ratio: correlationRatio(t, g),
          gini: gini(t, g),
          H: theilH(t, g),
        },
      ]),
    ),
    pairwise: Object.fromEntries(
      groupPairs(t).map(([a, b]) => [
        `${t.groups[a]}|${t.groups[b]}`,
        { D: pairwiseDissimilarity(t, t.groups[a], t.groups[b]) },
      ]),
    ),
    multigroup: {
      D: multigroupDissimilarity(t),
      gini: multigroupGini(t),
      H: multigroupH(t),
      M: mutualInformation(t),
      E: entropy(t),
    },
  };
  return {
    total: t.total,
    units: t.unitTotals.length,
    ...observed,
    random: randomExpectations(t, observed, options),
  };
}

function randomExpectations(t: PreparedTable, observed: MeasureSet, options: ProfileOptions): MeasureSet {
  const draws = options.draws ?? DEFAULT_DRAWS;
  const groupCount = t.groups.length;
  const pairs = groupPairs(t);
  const wanted = options.random !== false;
  const exact = wanted ? exactExpectations(t) : undefined;
  let simulated: (number | null)[];
  if (!wanted || t.total === 0) {
    simulated = simulatedStatistics(t).map(() => null);
  } else if (t.unitTotals.length === 1) {
    // One populated unit: every allocation is the observed one.
    simulated = simulatedStatistics(t);
  } else if (draws > 0) {
    simulated = simulateMeans(t, simulatedStatistics, {
      maxDraws: draws,
      tolerance: options.tolerance ?? DEFAULT_TOLERANCE,
      seed: options.seed ?? DEFAULT_SEED,
    }).means;
  } else {
    simulated = simulatedStatistics(t).map(() => null);
  }
  if (groupCount === 2) simulated = [simulated[0], simulated[0], simulated[0], exact?.D[0] ?? null];
  return {
    by_group: Object.fromEntries(
      t.groups.map((g, gi) => [
        g,
        {
          share: observed.by_group[g].share,
          D: exact?.D[gi] ?? null,
          isolation: exact?.isolation[gi] ?? null,
          exposure: Object.fromEntries(
            t.groups.flatMap((h, hi) => (hi === gi ? [] : [[h, exact?.exposure[gi][hi] ?? null]])),
          ),
          correlation_ratio: exact?.correlationRatio[gi] ?? null,
          gini: simulated[gi],
          H: exact?.H[gi] ?? null,
        },
      ]),
    ),
    pairwise: Object.fromEntries(
      pairs.map(([a, b], k) => [`${t.groups[a]}|${t.groups[b]}`, { D: simulated[groupCount + 1 + k] }]),
    ),
    multigroup: {
      D: exact?.multigroupD ?? null,
      gini: simulated[groupCount],
      H: exact?.multigroupH ?? null,
      M: exact?.M ?? null,
      E: wanted ? observed.multigroup.E : null,
    },
  };
}
