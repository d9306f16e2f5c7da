/**
 * The indicator registry: every indicator of /spec/indikatorer.md as one declarative definition
 * (schema.ts). `catalogue()` is what the site shows (indikatorer/katalog.json): no SQL.
 */
import { ARBETSMARKNAD } from "./arbetsmarknad.ts";
import { BOENDE } from "./boende.ts";
import { DEMOGRAFI } from "./demografi.ts";
import { DEMOKRATI } from "./demokrati.ts";
import { EKONOMI } from "./ekonomi.ts";
import { FLYTTMONSTER } from "./flyttmonster.ts";
import { FORSORJNING } from "./forsorjning.ts";
import { HALSA } from "./halsa.ts";
import {
  AGE_BAND_SETS,
  type Breakdown,
  type IndicatorDefinition,
  type Level,
  previousYears,
  type Text,
  validateRegistry,
} from "./schema.ts";
import { UTBILDNING } from "./utbildning.ts";

/** Every indicator, in the order of the areas of the catalogue. */
export const INDICATORS: readonly IndicatorDefinition[] = [
  ...ARBETSMARKNAD,
  ...FLYTTMONSTER,
  ...BOENDE,
  ...DEMOGRAFI,
  ...EKONOMI,
  ...FORSORJNING,
  ...UTBILDNING,
  ...HALSA,
  ...DEMOKRATI,
];
validateRegistry(INDICATORS);

const BY_ID = new Map(INDICATORS.map((d) => [d.id, d]));

/** The definition of an indicator; throws for an unknown id. */
export function indicatorById(id: string): IndicatorDefinition {
  const def = BY_ID.get(id);
  if (!def) throw new Error(`unknown indicator '${id}'`);
  return def;
}

export interface CatalogueEntry {
  id: string;
  omrade: string;
  label: Text;
  description: Text;
  unit: string;
  decimals: number;
  universe: Text;
  /** Breakdowns with their published codes (besides `totalt`). */
  breakdowns: { variable: Breakdown; codes: string[] }[];
  levels: Level[];
  finest_level: Level;
  finest_level_reason: Text | null;
  previous_years: number;
  election_years_only: boolean;
  needs_emigrations: boolean;
  source: string[];
  footnotes: Text[];
}

const CODES: Record<Exclude<Breakdown, "alder">, string[]> = {
  kon: ["1", "2"],
  utbildningsniva: ["forgymnasial", "gymnasial", "eftergymnasial", "saknas"],
  fodelseregion: ["sverige", "norden", "eu_efta", "ovriga", "utrikes"],
  vistelsetid: ["0-1", "2-3", "4-9", "10-"],
  grund: ["skyddsbehov", "ovriga"],
  bakgrund: ["svensk", "utlandsk"],
  omradestyp: ["1", "2", "3", "4", "5"],
};

/** The catalogue entry of one definition (what the site shows; no SQL). */
export function catalogueEntry(def: IndicatorDefinition): CatalogueEntry {
  return {
    id: def.id,
    omrade: def.area,
    label: def.label,
    description: def.description,
    unit: def.unit,
    decimals: def.decimals,
    universe: def.universe.description,
    breakdowns: def.breakdowns.map((variable) => ({
      variable,
      codes:
        variable === "alder" && def.ageBands
          ? [...AGE_BAND_SETS[def.ageBands].bands]
          : CODES[variable as Exclude<Breakdown, "alder">],
    })),
    levels: def.levels,
    finest_level: def.levels[def.levels.length - 1],
    finest_level_reason: def.finestLevelReason ?? null,
    previous_years: previousYears(def),
    election_years_only: def.electionYearsOnly === true,
    needs_emigrations: def.needsEmigrations === true,
    source: def.source,
    footnotes: def.footnotes,
  };
}

/** The catalogue written as indikatorer/katalog.json. */
export function catalogue(): { version: 1; indicators: CatalogueEntry[] } {
  return { version: 1, indicators: INDICATORS.map(catalogueEntry) };
}

/** The full definition of each indicator (for cache keys: whatever determines its values). */
export function definitions(): Record<string, IndicatorDefinition> {
  return Object.fromEntries(INDICATORS.map((d) => [d.id, d]));
}
