/** Hälsa: ohälsotal and the share with days of ill-health benefits, persons 20–64. */
import { ALL_BREAKDOWNS, ALL_LEVELS, PERSONS_20_64, SOURCES } from "./common.ts";
import type { IndicatorDefinition } from "./schema.ts";

export const HALSA: IndicatorDefinition[] = [
  {
    id: "ohalsotal",
    area: "halsa",
    label: { sv: "Ohälsotal", en: "Ill-health days" },
    description: {
      sv: "Medelantal nettodagar med sjukpenning, rehabiliteringspenning samt sjuk- och aktivitetsersättning per person 20–64 år.",
      en: "Mean number of net days with sickness benefit, rehabilitation benefit and sickness or activity compensation per person aged 20–64.",
    },
    unit: "dagar",
    decimals: 1,
    kind: "medel",
    frame: "ar",
    universe: PERSONS_20_64,
    numerator: { value: "ohalsodagar" },
    denominator: {},
    ageBands: "arbetsfor",
    breakdowns: ALL_BREAKDOWNS,
    levels: ALL_LEVELS,
    source: [SOURCES.fk],
    footnotes: [],
  },
  {
    id: "andel_med_ohalsodagar",
    area: "halsa",
    label: { sv: "Andel med ohälsodagar", en: "Share with ill-health days" },
    description: {
      sv: "Andel med minst en nettodag i ohälsotalet av befolkningen 20–64 år, procent.",
      en: "Share of the population aged 20–64 with at least one net day counted in the ill-health measure, per cent.",
    },
    unit: "procent",
    decimals: 1,
    kind: "andel",
    frame: "ar",
    universe: PERSONS_20_64,
    numerator: { where: "ohalsodagar > 0" },
    denominator: {},
    ageBands: "arbetsfor",
    breakdowns: ALL_BREAKDOWNS,
    levels: ALL_LEVELS,
    source: [SOURCES.fk],
    footnotes: [],
  },
];
