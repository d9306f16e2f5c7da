/** Ekonomi: income and economic standard. */
import { ALL_AGES_BREAKDOWNS, ALL_PERSONS, PERCENT_SHARE, SOURCES, WORKING_AGE, yearly } from "./common.ts";
import type { IndicatorDefinition, Text } from "./schema.ts";

const NOTE_MEDIAN: Text = {
  sv: "Medianen beräknas med linjär interpolation (DuckDB quantile_cont(0,5)): vid jämnt antal är den medelvärdet av de två mittersta värdena.",
  en: "The median uses linear interpolation (DuckDB quantile_cont(0.5)): with an even count it is the mean of the two middle values.",
};

const NOTE_EKONOMISK_STANDARD: Text = {
  sv: "Ekonomisk standard = hushållets disponibla inkomst per konsumtionsenhet (1,00 första vuxen, 0,51 andra vuxen, 0,60 övriga vuxna, 0,52 första barnet 0–19 år, 0,42 övriga barn). Personer utan bostadshushåll räknas som ensamhushåll.",
  en: "Economic standard = household disposable income per consumption unit (1.00 first adult, 0.51 second adult, 0.60 further adults, 0.52 first child aged 0–19, 0.42 further children). Persons without a dwelling household count as single-person households.",
};

const NEW_INDICATOR: Text = { sv: "Ny indikator (Delmos).", en: "New indicator (Delmos)." };

const YEARLY = yearly("ekonomi");

/** Every person by every background variable that children have too. */
const EVERYONE = { universe: ALL_PERSONS, ...ALL_AGES_BREAKDOWNS } as const;

export const EKONOMI: IndicatorDefinition[] = [
  {
    ...YEARLY,
    ...WORKING_AGE,
    id: "disponibel_inkomst_medel",
    label: { sv: "Disponibel inkomst, medelvärde", en: "Disposable income, mean" },
    description: {
      sv: "Medelvärde av individuell disponibel inkomst för personer 20–64 år, i prisbasbelopp.",
      en: "Mean individual disposable income of persons aged 20–64, in price base amounts.",
    },
    unit: "prisbasbelopp",
    decimals: 2,
    kind: "medel",
    numerator: { value: "disp_ink", perPrisbasbelopp: true },
    denominator: {},
    source: [SOURCES.iot],
    footnotes: [
      {
        sv: "Täljaren är summan av disponibel inkomst i prisbasbelopp för året.",
        en: "The numerator is the sum of disposable income in price base amounts of the year.",
      },
    ],
  },
  {
    ...YEARLY,
    ...WORKING_AGE,
    id: "disponibel_inkomst_median",
    label: { sv: "Disponibel inkomst, median", en: "Disposable income, median" },
    description: {
      sv: "Median av individuell disponibel inkomst för personer 20–64 år, i prisbasbelopp.",
      en: "Median individual disposable income of persons aged 20–64, in price base amounts.",
    },
    unit: "prisbasbelopp",
    decimals: 2,
    kind: "median",
    numerator: { value: "disp_ink", perPrisbasbelopp: true },
    denominator: {},
    source: [SOURCES.iot],
    footnotes: [NOTE_MEDIAN],
  },
  {
    ...YEARLY,
    ...PERCENT_SHARE,
    ...WORKING_AGE,
    id: "lag_loneinkomst",
    label: { sv: "Låg löneinkomst", en: "Low earnings" },
    description: {
      sv: "Andel med kontant bruttolön under 1,5 prisbasbelopp av befolkningen 20–64 år, procent.",
      en: "Share of the population aged 20–64 with gross cash wages below 1.5 price base amounts, per cent.",
    },
    numerator: { where: "loneinkomst < 1.5 * prisbasbelopp" },
    source: [SOURCES.iot],
    footnotes: [],
  },
  {
    ...YEARLY,
    ...PERCENT_SHARE,
    ...EVERYONE,
    id: "lag_ekonomisk_standard",
    label: { sv: "Låg ekonomisk standard", en: "Low economic standard" },
    description: {
      sv: "Andel personer med ekonomisk standard under 60 procent av medianen i riket, procent.",
      en: "Share of persons with an economic standard below 60 per cent of the national median, per cent.",
    },
    numerator: { where: "lag_ekonomisk_standard" },
    source: [SOURCES.iot, SOURCES.hushall],
    footnotes: [NEW_INDICATOR, NOTE_EKONOMISK_STANDARD],
  },
  {
    ...YEARLY,
    ...EVERYONE,
    id: "ekonomisk_standard_median",
    label: { sv: "Ekonomisk standard, median", en: "Economic standard, median" },
    description: {
      sv: "Median av ekonomisk standard (disponibel inkomst per konsumtionsenhet) för samtliga personer, kronor.",
      en: "Median economic standard (disposable income per consumption unit) of all persons, SEK.",
    },
    unit: "kr",
    decimals: 0,
    kind: "median",
    numerator: { value: "ekonomisk_standard" },
    denominator: {},
    source: [SOURCES.iot, SOURCES.hushall],
    footnotes: [NEW_INDICATOR, NOTE_EKONOMISK_STANDARD, NOTE_MEDIAN],
  },
  {
    ...YEARLY,
    ...PERCENT_SHARE,
    ...WORKING_AGE,
    id: "langvarigt_ekonomiskt_bistand",
    label: { sv: "Långvarigt ekonomiskt bistånd", en: "Long-term social assistance" },
    description: {
      sv: "Andel i hushåll som fått ekonomiskt bistånd minst tio månader under året av befolkningen 20–64 år, procent.",
      en: "Share of the population aged 20–64 in households that received social assistance for at least ten months of the year, per cent.",
    },
    numerator: { where: "ekbistand_manader >= 10" },
    source: [SOURCES.bistand],
    footnotes: [NEW_INDICATOR],
  },
];
