/** Utbildning: studies, NEET, eligibility, sfi and educational attainment. */
import {
  ALL_BREAKDOWNS,
  PERCENT_SHARE,
  SOURCES,
  universe,
  WORKING_AGE,
  WORKING_AGE_BREAKDOWNS,
  without,
  yearly,
} from "./common.ts";
import type { IndicatorDefinition } from "./schema.ts";

/** Every indicator of the area is a yearly share. */
const base = { ...yearly("utbildning"), ...PERCENT_SHARE } as const;

const neet = (id: string, from: number, to: number, withBands: boolean): IndicatorDefinition => ({
  ...base,
  id,
  label: {
    sv: `Varken arbetar eller studerar, ${from}–${to} år`,
    en: `Neither in employment nor in education, aged ${from}–${to}`,
  },
  description: {
    sv: `Andel som varken förvärvsarbetar eller studerar av befolkningen ${from}–${to} år, procent.`,
    en: `Share of the population aged ${from}–${to} who are neither gainfully employed nor studying, per cent.`,
  },
  universe: universe(from, to, {
    sv: `Folkbokförda personer ${from}–${to} år den 31 december.`,
    en: `Persons aged ${from}–${to} registered in Sweden on 31 December.`,
  }),
  numerator: { where: "NOT sysselsatt AND NOT studerande" },
  // A narrow age span has no age bands to break down by.
  ...(withBands ? WORKING_AGE_BREAKDOWNS : { breakdowns: without(ALL_BREAKDOWNS, "alder") }),
  source: [SOURCES.rams, SOURCES.ureg],
  footnotes: [],
});

const capitalize = (text: string) => `${text[0].toUpperCase()}${text.slice(1)}`;

/** Shares of a cohort that only some persons belong to (the column is null outside it). */
const eligibility = (
  id: string,
  column: string,
  label: { sv: string; en: string },
  cohort: { sv: string; en: string },
  source: string,
): IndicatorDefinition => ({
  ...base,
  id,
  label,
  description: {
    sv: `${label.sv}: andel av ${cohort.sv}, procent.`,
    en: `${label.en}: share of ${cohort.en}, per cent.`,
  },
  universe: universe(
    null,
    null,
    { sv: `${capitalize(cohort.sv)}.`, en: `${capitalize(cohort.en)}.` },
    `${column} IS NOT NULL`,
  ),
  numerator: { where: column },
  breakdowns: without(ALL_BREAKDOWNS, "alder"),
  source: [source],
  footnotes: [],
});

const attainment = (id: string, where: string, sv: string, en: string): IndicatorDefinition => ({
  ...base,
  id,
  label: {
    sv: `${capitalize(sv)} utbildning`,
    en: `${capitalize(en)} education`,
  },
  description: {
    sv: `Andel med ${sv} utbildning som högsta utbildning av befolkningen 25–64 år, procent.`,
    en: `Share of the population aged 25–64 with ${en} education as their highest level, per cent.`,
  },
  universe: universe(25, 64, {
    sv: "Folkbokförda personer 25–64 år den 31 december.",
    en: "Persons aged 25–64 registered in Sweden on 31 December.",
  }),
  numerator: { where },
  ageBands: "arbetsfor_25",
  breakdowns: without(ALL_BREAKDOWNS, "utbildningsniva"),
  source: [SOURCES.ureg],
  footnotes: [
    {
      sv: "Personer med okänd utbildning ingår i nämnaren.",
      en: "Persons with unknown education count in the denominator.",
    },
  ],
});

export const UTBILDNING: IndicatorDefinition[] = [
  {
    ...base,
    ...WORKING_AGE,
    id: "studerande",
    label: { sv: "Studerande", en: "Students" },
    description: {
      sv: "Andel inskrivna i utbildning under höstterminen av befolkningen 20–64 år, procent.",
      en: "Share of the population aged 20–64 enrolled in education in the autumn term, per cent.",
    },
    numerator: { where: "studerande" },
    source: [SOURCES.ureg],
    footnotes: [],
  },
  neet("neet_16_19", 16, 19, false),
  neet("neet_20_25", 20, 25, false),
  neet("neet_20_64", 20, 64, true),
  eligibility(
    "behoriga_gymnasiet",
    "behorig_gymnasiet",
    {
      sv: "Behöriga till ett nationellt gymnasieprogram",
      en: "Eligible for a national upper secondary programme",
    },
    { sv: "elever som lämnat årskurs 9 under våren", en: "pupils who left grade 9 in the spring" },
    SOURCES.skolverket,
  ),
  eligibility(
    "behoriga_hogskola",
    "behorig_hogskola",
    { sv: "Grundläggande behörighet till högskolan", en: "Basic eligibility for higher education" },
    {
      sv: "elever som lämnat gymnasieskolan under året",
      en: "pupils who left upper secondary school during the year",
    },
    SOURCES.skolverket,
  ),
  eligibility(
    "sfi_godkanda",
    "sfi_godkand",
    { sv: "Godkända på en sfi-kurs inom två år", en: "Passed an sfi course within two years" },
    { sv: "personer som började sfi två år tidigare", en: "persons who started sfi two years earlier" },
    SOURCES.sfi,
  ),
  attainment("eftergymnasial_utbildning", "utbildningsniva IN (3, 4)", "eftergymnasial", "post-secondary"),
  attainment("forgymnasial_utbildning", "utbildningsniva = 1", "förgymnasial", "primary"),
];
