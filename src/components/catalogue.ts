// The indicator catalogue (indikatorer/katalog.json, written from data-loaders/engine/registry/) and
// the disclosure rules of the manifest, as the "Metod och definitioner" pages show them. Pure.
import { BREAKDOWN_CODES, BREAKDOWN_NAMES, type Lang, label, NIVA, OMRADE } from "./labels.js";

export interface Text {
  sv: string;
  en: string;
}

/** One indicator of the catalogue (the fields the site reads; see engine/registry/index.ts). */
export interface CatalogueEntry {
  id: string;
  omrade: string;
  label: Text;
  description: Text;
  unit: string;
  decimals: number;
  universe: Text;
  breakdowns: { variable: string; codes: string[] }[];
  levels: string[];
  finest_level: string;
  finest_level_reason: Text | null;
  previous_years?: number;
  election_years_only?: boolean;
  needs_emigrations?: boolean;
  source: string[];
  footnotes: Text[];
}

/** The entries of a catalogue given as `{indicators: [...]}` or as an array; anything else is an error. */
export function catalogueEntries(catalogue: unknown): CatalogueEntry[] {
  const list = Array.isArray(catalogue)
    ? catalogue
    : (catalogue as { indicators?: unknown } | null)?.indicators;
  if (!Array.isArray(list)) throw new Error("katalog.json: expected {indicators: [...]}");
  return list as CatalogueEntry[];
}

/** Indicators grouped by subject area, areas in the registry's order, indicators in catalogue order. */
export function groupByArea(
  entries: readonly CatalogueEntry[],
): { omrade: string; indicators: CatalogueEntry[] }[] {
  const groups = new Map<string, CatalogueEntry[]>();
  for (const area of Object.keys(OMRADE)) groups.set(area, []);
  for (const entry of entries) {
    const group = groups.get(entry.omrade);
    if (group) group.push(entry);
    else groups.set(entry.omrade, [entry]);
  }
  return [...groups]
    .filter(([, list]) => list.length > 0)
    .map(([omrade, indicators]) => ({ omrade, indicators }));
}

/** The breakdowns of an indicator in words: `Kön (Män, Kvinnor); Ålder (20-24, 25-34)`. */
export function describeBreakdowns(entry: CatalogueEntry, lang: Lang): string {
  if (entry.breakdowns.length === 0) return lang === "sv" ? "Inga" : "None";
  return entry.breakdowns
    .map(({ variable, codes }) => {
      const labels = BREAKDOWN_CODES[variable] ?? {};
      const names = codes.map((code) => label(labels, code, lang).replace(/^[1-5] /, "")).join(", ");
      return `${label(BREAKDOWN_NAMES, variable, lang)} (${variable === "omradestyp" ? codes.join(", ") : names})`;
    })
    .join("; ");
}

/** The levels of an indicator in words: `Riket, Län, Kommun`. */
export function describeLevels(entry: CatalogueEntry, lang: Lang): string {
  return entry.levels.map((level) => label(NIVA, level, lang)).join(", ");
}

/** What the rules of data-loaders/sdc/rules.ts mean, by their key in manifest.json. */
const RULE_TEXT: Record<string, { sv: (v: string) => string; en: (v: string) => string }> = {
  countMin: {
    sv: (v) => `Ett antal publiceras bara om det är 0 eller minst ${v}.`,
    en: (v) => `A count is published only when it is 0 or at least ${v}.`,
  },
  denominatorAbove: {
    sv: (v) => `En andel, ett medelvärde, en median eller en kvot kräver fler än ${v} personer i nämnaren.`,
    en: (v) => `A share, mean, median or ratio needs more than ${v} persons in the denominator.`,
  },
  numeratorAbove: {
    sv: (v) =>
      `En andel av personer kräver fler än ${v} personer i täljaren och fler än ${v} utanför den (komplementet).`,
    en: (v) =>
      `A share of persons needs more than ${v} persons in the numerator and more than ${v} outside it.`,
  },
  moneyMinContributors: {
    sv: (v) => `En summa pengar kräver minst ${v} bidragsgivare.`,
    en: (v) => `A sum of money needs at least ${v} contributors.`,
  },
  moneyDominance: {
    sv: (v) => `Ingen enskild bidragsgivare får stå för mer än ${v} procent av en summa.`,
    en: (v) => `No single contributor may account for more than ${v} per cent of a sum.`,
  },
  segregationMinUnits: {
    sv: (v) => `Ett segregationsmått kräver minst ${v} befolkade områden.`,
    en: (v) => `A segregation measure needs at least ${v} populated areas.`,
  },
};

/**
 * The disclosure rules of manifest.json (`disclosure.rules`) as sentences, in key order. A rule this
 * page does not know is listed with its key and value rather than left out.
 */
export function describeRules(rules: unknown, lang: Lang): { key: string; value: string; text: string }[] {
  if (rules == null || typeof rules !== "object") return [];
  return Object.entries(rules as Record<string, unknown>)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, raw]) => {
      // Shares are stored as fractions (0.5); people read them as per cent.
      const value =
        key === "moneyDominance" && typeof raw === "number" && raw <= 1 ? String(raw * 100) : String(raw);
      const text =
        RULE_TEXT[key]?.[lang](value.replace(".", lang === "sv" ? "," : ".")) ?? `${key} = ${value}`;
      return { key, value: String(raw), text };
    });
}
