/**
 * The disclosure rules, in one configurable place. docs/disclosure-control.md gives the rationale
 * for every value; the manifest records the rules a publication was protected with.
 */

export interface SdcRules {
  /** A count is published only when it is 0 or at least this many persons. */
  countMin: number;
  /** A share, mean or median needs a denominator population of more than this many persons. */
  denominatorAbove: number;
  /** A share needs more than this many persons in its numerator and in its complement (denominator − numerator). */
  numeratorAbove: number;
  /** A sum of money needs at least this many contributors (persons with a non-zero amount). */
  moneyMinContributors: number;
  /** A sum of money is suppressed when one contributor has more than this share of it (dominance, 0–1). */
  moneyDominance: number;
  /**
   * Protection of a suppressed sum of money: the attacker's feasible interval must reach at least
   * this relative distance (0–1) below and above the true sum.
   */
  moneyProtection: number;
  /** A segregation measure needs at least this many populated units. */
  segregationMinUnits: number;
  /**
   * Largest neighbourhood (LP variables) on which the attacker's LP proves one requirement; a
   * requirement not provable within it counts as exposed (docs/disclosure-control.md, "Limits").
   * 0 turns the LP off: the singleton and room rules alone protect, reported as not checked (except what witness tables prove, witness.ts).
   */
  lpMaxVariables: number;
}

/** The rules SCB applies to Registerdata för integration (see docs/disclosure-control.md). */
export const DEFAULT_RULES: Readonly<SdcRules> = Object.freeze({
  countMin: 5,
  denominatorAbove: 20,
  numeratorAbove: 5,
  moneyMinContributors: 10,
  moneyDominance: 0.5,
  moneyProtection: 0.1,
  segregationMinUnits: 2,
  lpMaxVariables: 4000,
});

/** Names of the primary rules, as they appear in reports and the manifest. */
export const RULE_NAMES = {
  count: "antal",
  denominator: "namnare",
  numerator: "taljare",
  complement: "komplement",
  contributors: "bidragsgivare",
  dominance: "dominans",
  units: "enheter",
  secondary: "sekundar",
} as const;

export type RuleName = (typeof RULE_NAMES)[keyof typeof RULE_NAMES];

/** Merges overrides into the defaults and rejects values that would weaken protection into nonsense. */
export function resolveRules(overrides: Partial<SdcRules> = {}): SdcRules {
  const rules: SdcRules = { ...DEFAULT_RULES, ...overrides };
  const problems: string[] = [];
  const integer = (name: keyof SdcRules, min: number) => {
    const value = rules[name];
    if (!Number.isInteger(value) || value < min)
      problems.push(`${name} must be an integer ≥ ${min} (got ${value})`);
  };
  const fraction = (name: keyof SdcRules, lowOpen: boolean) => {
    const value = rules[name];
    const ok = Number.isFinite(value) && value <= 1 && (lowOpen ? value > 0 : value >= 0);
    if (!ok) problems.push(`${name} must be a number in ${lowOpen ? "(0, 1]" : "[0, 1]"} (got ${value})`);
  };
  integer("countMin", 1);
  integer("denominatorAbove", 0);
  integer("numeratorAbove", 0);
  integer("moneyMinContributors", 1);
  fraction("moneyDominance", true);
  fraction("moneyProtection", false);
  integer("segregationMinUnits", 1);
  integer("lpMaxVariables", 0);
  if (problems.length > 0) throw new Error(`disclosure rules: ${problems.join("; ")}`);
  return rules;
}
