/** Arbetsmarknad: employment, unemployment and occupations, persons 20–64. */
import {
  ALL_BREAKDOWNS,
  NOTE_PREVIOUS_YEAR,
  PERCENT_SHARE,
  SOURCES,
  universe,
  WORKING_AGE,
  without,
  yearly,
} from "./common.ts";
import type { IndicatorDefinition } from "./schema.ts";

const EMPLOYED_20_64 = universe(
  20,
  64,
  {
    sv: "Förvärvsarbetande personer 20–64 år (november).",
    en: "Employed persons aged 20–64 (November).",
  },
  "sysselsatt",
);

/** What the area's indicators share: yearly shares of persons 20–64 by every background variable. */
const SHARE = { ...yearly("arbetsmarknad"), ...PERCENT_SHARE, ...WORKING_AGE } as const;

export const ARBETSMARKNAD: IndicatorDefinition[] = [
  {
    ...SHARE,
    id: "forvarvsarbetande",
    label: { sv: "Förvärvsarbetande", en: "Gainfully employed" },
    description: {
      sv: "Andel förvärvsarbetande av befolkningen 20–64 år, procent.",
      en: "Share of the population aged 20–64 who are gainfully employed, per cent.",
    },
    numerator: { where: "sysselsatt" },
    source: [SOURCES.rams, SOURCES.rtb],
    footnotes: [
      {
        sv: "Från 2022 bygger uppgiften på BAS (sysselsatt) i stället för RAMS (förvärvsarbetande); tidsserien har ett brott.",
        en: "From 2022 based on BAS (employed) instead of RAMS (gainfully employed); the series has a break.",
      },
    ],
  },
  {
    ...SHARE,
    id: "foretagare",
    label: { sv: "Företagare", en: "Self-employed" },
    description: {
      sv: "Andel företagare av de förvärvsarbetande 20–64 år, procent.",
      en: "Share of self-employed among the gainfully employed aged 20–64, per cent.",
    },
    universe: EMPLOYED_20_64,
    numerator: { where: "foretagare" },
    source: [SOURCES.rams],
    footnotes: [],
  },
  {
    ...SHARE,
    id: "inskrivna_arbetslosa",
    label: { sv: "Inskrivna arbetslösa", en: "Registered unemployed" },
    description: {
      sv: "Andel inskrivna arbetslösa (öppet arbetslösa och i program med aktivitetsstöd) av befolkningen 20–64 år, procent.",
      en: "Share of the population aged 20–64 registered as unemployed (openly unemployed or in a programme with activity support), per cent.",
    },
    numerator: { where: "af_status IS NOT NULL" },
    source: [SOURCES.af, SOURCES.rtb],
    footnotes: [],
  },
  {
    ...SHARE,
    id: "oppet_arbetslosa",
    label: { sv: "Öppet arbetslösa", en: "Openly unemployed" },
    description: {
      sv: "Andel öppet arbetslösa av befolkningen 20–64 år, procent.",
      en: "Share of the population aged 20–64 who are openly unemployed, per cent.",
    },
    numerator: { where: "af_status = 'oppet_arbetslos'" },
    source: [SOURCES.af, SOURCES.rtb],
    footnotes: [],
  },
  {
    ...SHARE,
    id: "program_aktivitetsstod",
    label: { sv: "I program med aktivitetsstöd", en: "In programmes with activity support" },
    description: {
      sv: "Andel i arbetsmarknadspolitiska program med aktivitetsstöd av befolkningen 20–64 år, procent.",
      en: "Share of the population aged 20–64 in labour market programmes with activity support, per cent.",
    },
    numerator: { where: "af_status = 'program_aktivitetsstod'" },
    source: [SOURCES.af, SOURCES.rtb],
    footnotes: [],
  },
  {
    ...SHARE,
    id: "langtidsarbetslosa",
    label: { sv: "Långtidsarbetslösa", en: "Long-term unemployed" },
    description: {
      sv: "Andel inskrivna arbetslösa i mer än sex månader i följd av befolkningen 20–64 år, procent.",
      en: "Share of the population aged 20–64 registered as unemployed for more than six consecutive months, per cent.",
    },
    numerator: { where: "af_status IS NOT NULL AND arbetslos_manader > 6" },
    source: [SOURCES.af, SOURCES.rtb],
    footnotes: [],
  },
  {
    ...SHARE,
    id: "kvar_i_sysselsattning",
    label: { sv: "Kvar i sysselsättning", en: "Still employed one year later" },
    description: {
      sv: "Andel av de förvärvsarbetande 20–64 år föregående år som är förvärvsarbetande i år, procent.",
      en: "Share of those gainfully employed aged 20–64 in the previous year who are gainfully employed this year, per cent.",
    },
    frame: "fg_ar",
    universe: EMPLOYED_20_64,
    numerator: { where: "sysselsatt_nu" },
    source: [SOURCES.rams],
    footnotes: [
      NOTE_PREVIOUS_YEAR,
      {
        sv: "Den som avlidit eller utvandrat under året räknas som inte längre förvärvsarbetande.",
        en: "Persons who died or emigrated during the year count as no longer employed.",
      },
    ],
  },
  {
    ...SHARE,
    id: "kvar_som_foretagare",
    label: { sv: "Kvar som företagare", en: "Still self-employed one year later" },
    description: {
      sv: "Andel av företagarna 20–64 år föregående år som är företagare i år, procent.",
      en: "Share of the self-employed aged 20–64 in the previous year who are self-employed this year, per cent.",
    },
    frame: "fg_ar",
    universe: universe(
      20,
      64,
      { sv: "Företagare 20–64 år föregående år.", en: "Self-employed aged 20–64 in the previous year." },
      "foretagare",
    ),
    numerator: { where: "foretagare_nu" },
    source: [SOURCES.rams],
    footnotes: [NOTE_PREVIOUS_YEAR],
  },
  {
    ...SHARE,
    id: "chefer",
    label: { sv: "Chefer", en: "Managers" },
    description: {
      sv: "Andel chefer (SSYK 2012 yrkesområde 1) av de förvärvsarbetande 20–64 år, procent.",
      en: "Share of managers (SSYK 2012 major group 1) among the gainfully employed aged 20–64, per cent.",
    },
    universe: EMPLOYED_20_64,
    numerator: { where: "chef" },
    source: [SOURCES.rams, SOURCES.yrke],
    footnotes: [
      {
        sv: "Förvärvsarbetande utan yrkesuppgift räknas i nämnaren men inte som chefer.",
        en: "Employed persons without an occupation code count in the denominator but not as managers.",
      },
    ],
  },
  {
    ...SHARE,
    id: "kvalificerat_arbete_eftergymnasial",
    label: {
      sv: "Kvalificerat arbete bland eftergymnasialt utbildade",
      en: "Qualified work among those with post-secondary education",
    },
    description: {
      sv: "Andel med arbete som kräver eftergymnasial kompetens (SSYK kvalifikationsnivå 3–4) av de förvärvsarbetande 20–64 år med eftergymnasial utbildning, procent.",
      en: "Share in occupations requiring post-secondary competence (SSYK skill level 3–4) among the gainfully employed aged 20–64 with post-secondary education, per cent.",
    },
    universe: universe(
      20,
      64,
      {
        sv: "Förvärvsarbetande 20–64 år med eftergymnasial utbildning.",
        en: "Gainfully employed aged 20–64 with post-secondary education.",
      },
      "sysselsatt AND utbildningsniva IN (3, 4)",
    ),
    numerator: { where: "ssyk_niva IN (3, 4)" },
    breakdowns: without(ALL_BREAKDOWNS, "utbildningsniva"),
    source: [SOURCES.rams, SOURCES.yrke, SOURCES.ureg],
    footnotes: [],
  },
];
