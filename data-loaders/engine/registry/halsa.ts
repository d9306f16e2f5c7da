/** Hälsa: ohälsotal and the share with days of ill-health benefits, persons 20–64. */
import { PERCENT_SHARE, SOURCES, WORKING_AGE, yearly } from "./common.ts";
import type { IndicatorDefinition } from "./schema.ts";

const YEARLY = yearly("halsa");

export const HALSA: IndicatorDefinition[] = [
  {
    ...YEARLY,
    ...WORKING_AGE,
    id: "ohalsotal",
    label: { sv: "Ohälsotal", en: "Ill-health days" },
    description: {
      sv: "Medelantal nettodagar med sjukpenning, rehabiliteringspenning samt sjuk- och aktivitetsersättning per person 20–64 år.",
      en: "Mean number of net days with sickness benefit, rehabilitation benefit and sickness or activity compensation per person aged 20–64.",
    },
    unit: "dagar",
    decimals: 1,
    kind: "medel",
    numerator: { value: "ohalsodagar" },
    denominator: {},
    source: [SOURCES.fk],
    footnotes: [],
  },
  {
    ...YEARLY,
    ...PERCENT_SHARE,
    ...WORKING_AGE,
    id: "andel_med_ohalsodagar",
    label: { sv: "Andel med ohälsodagar", en: "Share with ill-health days" },
    description: {
      sv: "Andel med minst en nettodag i ohälsotalet av befolkningen 20–64 år, procent.",
      en: "Share of the population aged 20–64 with at least one net day counted in the ill-health measure, per cent.",
    },
    numerator: { where: "ohalsodagar > 0" },
    source: [SOURCES.fk],
    footnotes: [],
  },
];
