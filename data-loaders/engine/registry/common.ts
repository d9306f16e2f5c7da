/** Building blocks shared by the area files of the registry. */
import type { Area, Breakdown, IndicatorDefinition, Level, Text } from "./schema.ts";

export const ALL_LEVELS: Level[] = ["riket", "lan", "kommun", "regso", "deso"];

/** Every background variable (for indicators on the working-age population). */
export const ALL_BREAKDOWNS: Breakdown[] = [
  "kon",
  "alder",
  "utbildningsniva",
  "fodelseregion",
  "vistelsetid",
  "grund",
  "bakgrund",
  "omradestyp",
];

/** Every background variable except utbildningsnivå (all-ages indicators, where children have none). */
export const BREAKDOWNS_ALL_AGES: Breakdown[] = ALL_BREAKDOWNS.filter((b) => b !== "utbildningsniva");

/** All breakdowns but the given ones. */
export function without(list: Breakdown[], ...drop: Breakdown[]): Breakdown[] {
  return list.filter((b) => !drop.includes(b));
}

export function universe(
  ageMin: number | null,
  ageMax: number | null,
  description: Text,
  where?: string,
): IndicatorDefinition["universe"] {
  return where === undefined ? { ageMin, ageMax, description } : { ageMin, ageMax, where, description };
}

export const PERSONS_20_64 = universe(20, 64, {
  sv: "Folkbokförda personer 20–64 år den 31 december.",
  en: "Persons aged 20–64 registered in Sweden on 31 December.",
});

export const ALL_PERSONS = universe(null, null, {
  sv: "Samtliga folkbokförda personer den 31 december.",
  en: "All persons registered in Sweden on 31 December.",
});

/*
 * Blocks that definitions spread in, so that a definition spells out only what sets it apart. A
 * field written after a spread overrides the block's value. Spreading adds exactly the block's keys,
 * so a definition without e.g. `ageBands` must not spread a block that has one.
 */

/** An area's indicator computed on the year's persons and published at every level. */
export function yearly<A extends Area>(area: A) {
  return { area, frame: "ar", levels: ALL_LEVELS } as const;
}

/** A number of persons (or of moves); counts have no denominator. */
export const COUNT = { unit: "antal", decimals: 0, kind: "antal" } as const;

/** A share of the universe in per cent with one decimal (the universe is the denominator). */
export const PERCENT_SHARE = { unit: "procent", decimals: 1, kind: "andel", denominator: {} } as const;

/** Every background variable, age in the working-age bands. */
export const WORKING_AGE_BREAKDOWNS = { ageBands: "arbetsfor", breakdowns: ALL_BREAKDOWNS } as const;

/** Persons 20–64 by every background variable. */
export const WORKING_AGE = { universe: PERSONS_20_64, ...WORKING_AGE_BREAKDOWNS } as const;

/** Every background variable but utbildningsnivå, age in the broad bands (all-ages indicators). */
export const ALL_AGES_BREAKDOWNS = { ageBands: "bred", breakdowns: BREAKDOWNS_ALL_AGES } as const;

export const SOURCES = {
  rtb: "Registret över totalbefolkningen (RTB)",
  rams: "Registerbaserad arbetsmarknadsstatistik (RAMS), från 2022 Befolkningens arbetsmarknadsstatus (BAS)",
  af: "Arbetsförmedlingens register över arbetssökande",
  yrke: "Yrkesregistret",
  ureg: "Utbildningsregistret (UREG)",
  iot: "Inkomst- och taxeringsregistret (IoT)",
  hushall: "Hushållsregistret och lägenhetsregistret",
  fk: "Försäkringskassans register (sjukpenning, sjuk- och aktivitetsersättning)",
  bistand: "Registret över ekonomiskt bistånd (Socialstyrelsen)",
  skolverket: "Skolverkets elev- och betygsregister",
  sfi: "Skolverkets register över utbildning i svenska för invandrare (sfi)",
  val: "Röstlängdsregistret (Valmyndigheten)",
  migration: "Migrationsverkets register över uppehållstillstånd (grund för bosättning)",
} as const;

/** Footnote for indicators computed on the person's situation in the previous year. */
export const NOTE_PREVIOUS_YEAR: Text = {
  sv: "Kräver uppgifter för föregående år; redovisas inte för uttagets första år. Bakgrundsvariabler och region avser föregående år.",
  en: "Needs data for the previous year; not produced for the first year of the extract. Background variables and region refer to the previous year.",
};
