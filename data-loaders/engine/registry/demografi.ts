/** Demografi: population and its composition. */
import { ALL_BREAKDOWNS, ALL_PERSONS, COUNT, PERCENT_SHARE, SOURCES, yearly } from "./common.ts";
import type { IndicatorDefinition } from "./schema.ts";

/** Every indicator of the area describes the whole population of the year. */
const POPULATION = { ...yearly("demografi"), universe: ALL_PERSONS, ageBands: "bred" } as const;

export const DEMOGRAFI: IndicatorDefinition[] = [
  {
    ...POPULATION,
    ...COUNT,
    id: "folkmangd",
    label: { sv: "Folkmängd", en: "Population" },
    description: {
      sv: "Antal folkbokförda personer den 31 december.",
      en: "Number of persons registered in Sweden on 31 December.",
    },
    numerator: { where: "true" },
    breakdowns: ALL_BREAKDOWNS,
    source: [SOURCES.rtb],
    footnotes: [
      {
        sv: "Utbildningsnivå saknas för barn; de redovisas som uppgift saknas.",
        en: "Children have no educational level; they are counted as not stated (saknas).",
      },
    ],
  },
  {
    ...POPULATION,
    ...PERCENT_SHARE,
    id: "andel_utrikes_fodda",
    label: { sv: "Utrikes födda", en: "Foreign-born" },
    description: {
      sv: "Andel utrikes födda av befolkningen, procent.",
      en: "Share of the population born abroad, per cent.",
    },
    numerator: { where: "utrikes_fodd" },
    breakdowns: ["kon", "alder", "omradestyp"],
    source: [SOURCES.rtb],
    footnotes: [],
  },
  {
    ...POPULATION,
    ...PERCENT_SHARE,
    id: "andel_utlandsk_bakgrund",
    label: { sv: "Utländsk bakgrund", en: "Foreign background" },
    description: {
      sv: "Andel med utländsk bakgrund (utrikes födda och inrikes födda med två utrikes födda föräldrar) av befolkningen, procent.",
      en: "Share of the population with a foreign background (born abroad, or born in Sweden with both parents born abroad), per cent.",
    },
    numerator: { where: "bakgrund = 'utlandsk'" },
    breakdowns: ["kon", "alder", "fodelseregion", "omradestyp"],
    source: [SOURCES.rtb],
    footnotes: [
      {
        sv: "För inrikes födda (födelseregion Sverige) visar andelen dem med två utrikes födda föräldrar.",
        en: "For the Swedish-born (födelseregion Sverige) the share is those with both parents born abroad.",
      },
    ],
    wholeByDefinition: {
      breakdown: "fodelseregion",
      // Every födelseregion but Sverige: utrikes and its parts.
      categories: ["utrikes", "norden", "eu_efta", "ovriga"],
      reason: {
        sv: "Alla utrikes födda har utländsk bakgrund: för varje födelseregion utom Sverige är andelen 100 procent per definition.",
        en: "Everyone born abroad has a foreign background: for every födelseregion but Sweden the share is 100 per cent by definition.",
      },
    },
  },
  {
    ...POPULATION,
    ...COUNT,
    id: "nyanlanda_skyddsbehov",
    label: {
      sv: "Nyanlända skyddsbehövande och deras anhöriga",
      en: "Newly arrived refugees and their families",
    },
    description: {
      sv: "Antal utrikes födda skyddsbehövande och deras anhöriga med vistelsetid under två år.",
      en: "Number of foreign-born refugees and their family members who have lived in Sweden for less than two years.",
    },
    numerator: { where: "utrikes_fodd AND grund = 'skyddsbehov' AND vistelsetid = '0-1'" },
    breakdowns: ["kon", "alder", "fodelseregion", "omradestyp"],
    source: [SOURCES.rtb, SOURCES.migration],
    footnotes: [],
  },
];
