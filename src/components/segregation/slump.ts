// Segregation measures beside their expected value under random allocation (`<matt>_slump` rows of
// segregation/<niva>.parquet, docs/segregation.md). Pure functions, tested in tests/src/components/.

import type { Labels } from "../labels.js";

/** A row of a published segregation table (publicering.md). */
export interface SegregationRow {
  ar: number;
  niva?: string;
  region: string;
  enhet: string;
  indelning: string;
  grupp: string;
  matt: string;
  varde: number | null;
  status: string | null;
}

/** An observed measure with its expectation under random allocation. */
export interface PairedMeasure extends SegregationRow {
  /** Expected value under random allocation; null when missing, undefined or suppressed. */
  slump: number | null;
  slumpStatus: string | null;
  /** varde − slump: the segregation beyond what small units give by chance. */
  overSlump: number | null;
  /** slump / varde ≥ NOISE_SHARE: at least half the observed value is expected by chance alone. */
  mostlyNoise: boolean;
}

/** When the random-allocation expectation is at least this share of the observed value, the value is mostly noise. */
export const NOISE_SHARE = 0.5;

export const SLUMP_SUFFIX = "_slump";

/** The columns of a segregation row, in the table's order, without any other property of `row`. */
function segregationRow(row: SegregationRow): SegregationRow {
  const { ar, niva, region, enhet, indelning, grupp, matt, varde, status } = row;
  return { ar, niva, region, enhet, indelning, grupp, matt, varde, status };
}

function key(row: SegregationRow, matt: string): string {
  return [row.ar, row.niva ?? "", row.region, row.enhet, row.indelning, row.grupp, matt].join("|");
}

/**
 * Pairs every observed measure with its `_slump` row (same year, region, unit, grouping and group).
 * `_slump` rows themselves are not returned; the order of the observed rows is kept. A measure without
 * a `_slump` row (e.g. `E`) gets `slump: null`.
 */
export function pairWithRandom(rows: readonly SegregationRow[]): PairedMeasure[] {
  const random = new Map<string, SegregationRow>();
  for (const row of rows) {
    if (row.matt.endsWith(SLUMP_SUFFIX)) random.set(key(row, row.matt.slice(0, -SLUMP_SUFFIX.length)), row);
  }
  return rows
    .filter((row) => !row.matt.endsWith(SLUMP_SUFFIX))
    .map((row) => {
      const expected = random.get(key(row, row.matt));
      const slump = expected && expected.status == null && expected.varde != null ? expected.varde : null;
      const observed = row.status == null ? row.varde : null;
      const overSlump = observed != null && slump != null ? observed - slump : null;
      const mostlyNoise =
        observed != null && slump != null && observed > 0 && slump / observed >= NOISE_SHARE;
      return {
        ...segregationRow(row),
        slump,
        slumpStatus: expected ? expected.status : null,
        overSlump,
        mostlyNoise,
      };
    });
}

/** Orders by region code (code-unit order, as `<` compares strings). */
function byRegion(a: { region: string }, b: { region: string }): number {
  return a.region < b.region ? -1 : a.region > b.region ? 1 : 0;
}

/**
 * Ranks regions by a measure (highest first) among the rows given (one year, unit, grouping, group and
 * measure). Rows without a value (suppressed or undefined) come last, by region code; ties share a rank.
 */
export function rankRegions<T extends { region: string; varde: number | null; status: string | null }>(
  rows: readonly T[],
): (T & { rang: number | null })[] {
  const withValue = rows
    .filter((row) => row.status == null && row.varde != null)
    .sort((a, b) => (b.varde as number) - (a.varde as number) || byRegion(a, b));
  const without = rows.filter((row) => !(row.status == null && row.varde != null)).sort(byRegion);
  let rank = 0;
  let previous: number | null = null;
  const ranked = withValue.map((row, i) => {
    if (row.varde !== previous) rank = i + 1;
    previous = row.varde;
    return { ...row, rang: rank };
  });
  return [...ranked, ...without.map((row) => ({ ...row, rang: null }))];
}

/** Labels of the measures and groupings in both languages. */
export const MATT_LABELS: Labels = {
  D: { sv: "Segregationsindex D (olikhetsindex)", en: "Dissimilarity index D" },
  isolering: { sv: "Isoleringsindex", en: "Isolation index" },
  H: { sv: "Theils informationsindex H", en: "Theil's information index H" },
  M: { sv: "Ömsesidig informationsindex M", en: "Mutual information index M" },
  M_mellan_lan: { sv: "Mellan län", en: "Between län" },
  M_mellan_kommun: { sv: "Mellan kommuner inom län", en: "Between kommuner within län" },
  M_inom_kommun: { sv: "Inom kommuner", en: "Within kommuner" },
};

export const INDELNING_LABELS: Labels = {
  utrikes_fodd: { sv: "Utrikes födda mot övriga", en: "Foreign-born vs the rest" },
  fodelseregion: { sv: "Födelseregion", en: "Region of birth" },
  bakgrund: { sv: "Utländsk bakgrund mot övriga", en: "Foreign background vs the rest" },
  vistelsetid: { sv: "Vistelsetid", en: "Years in Sweden" },
  inkomstkvintil: { sv: "Inkomstkvintil (ekonomisk standard)", en: "Income quintile (economic standard)" },
  lag_ekonomisk_standard: { sv: "Låg ekonomisk standard", en: "Low economic standard" },
  utbildningsniva: { sv: "Utbildningsnivå", en: "Level of education" },
};

export const GRUPP_LABELS: Labels = {
  utrikes: { sv: "utrikes födda", en: "foreign-born" },
  alla: { sv: "alla grupper", en: "all groups" },
  "1": { sv: "kvintil 1 (lägst)", en: "quintile 1 (lowest)" },
  "5": { sv: "kvintil 5 (högst)", en: "quintile 5 (highest)" },
};

export const ENHET_LABELS: Labels = {
  regso: { sv: "RegSO", en: "RegSO" },
  deso: { sv: "DeSO", en: "DeSO" },
};
