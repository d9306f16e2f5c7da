/**
 * National series and behavioural parameters of the synthetic population.
 *
 * The series are rounded figures from SCB's published statistics (folkmängd 31 December, utrikes
 * födda, invandring and utvandring, döda, riksdagsval turnout); they steer the synthetic population
 * towards Sweden's history, they are not data to be published. Everything else here (effects on
 * employment, incomes, housing) is invented to give the indicators realistic patterns.
 */

/** First and last year the generator can write. The population is always simulated over all of them. */
export const FIRST_YEAR = 1997;
export const LAST_YEAR = 2023;
/** The year of the calibration targets (DeSO and RegSO figures of 31 Dec 2022). */
export const CALIBRATION_YEAR = 2022;

/** Folkmängd 31 December (SCB, BE0101). */
export const POPULATION: Record<number, number> = {
  1997: 8_847_625,
  1998: 8_854_322,
  1999: 8_861_426,
  2000: 8_882_792,
  2001: 8_909_128,
  2002: 8_940_788,
  2003: 8_975_670,
  2004: 9_011_392,
  2005: 9_047_752,
  2006: 9_113_257,
  2007: 9_182_927,
  2008: 9_256_347,
  2009: 9_340_682,
  2010: 9_415_570,
  2011: 9_482_855,
  2012: 9_555_893,
  2013: 9_644_864,
  2014: 9_747_355,
  2015: 9_851_017,
  2016: 9_995_153,
  2017: 10_120_242,
  2018: 10_230_185,
  2019: 10_327_589,
  2020: 10_379_295,
  2021: 10_452_326,
  2022: 10_521_556,
  2023: 10_551_707,
};

/** Utrikes födda 31 December in 1997 (SCB): the only foreign-born figure the generator is steered to before 2020. */
export const FOREIGN_BORN_1997 = 954_158;

/** Döda per year (SCB, rounded). Linear interpolation between the listed years. */
export const DEATHS: Record<number, number> = {
  1997: 92_700,
  2000: 93_300,
  2005: 91_700,
  2010: 90_500,
  2015: 90_900,
  2019: 88_800,
  2020: 98_100,
  2021: 91_960,
  2022: 94_700,
  2023: 94_400,
};

/** Utvandrade per year (SCB, all countries of birth, rounded). */
export const EMIGRATIONS: Record<number, number> = {
  1997: 38_500,
  2000: 34_100,
  2005: 38_100,
  2010: 48_900,
  2015: 55_800,
  2019: 48_000,
  2020: 48_500,
  2021: 48_300,
  2022: 50_600,
  2023: 73_400,
};

/** Levande födda 2023 (SCB). */
export const BIRTHS_2023 = 100_051;

/**
 * Invandrade utrikes födda per year (SCB, rounded; returning Swedish-born are not modelled). Before
 * 1997 only the shape matters: labour immigration in the 1960s, refugees around 1989–1994.
 */
export const IMMIGRATIONS: Record<number, number> = {
  1945: 15_000,
  1960: 22_000,
  1965: 35_000,
  1970: 45_000,
  1975: 25_000,
  1980: 27_000,
  1985: 24_000,
  1989: 52_000,
  1992: 38_000,
  1994: 75_000,
  1995: 36_000,
  1996: 30_000,
  1997: 33_000,
  1998: 35_000,
  1999: 34_000,
  2000: 42_000,
  2001: 44_000,
  2002: 47_000,
  2003: 48_000,
  2004: 47_000,
  2005: 51_000,
  2006: 80_000,
  2007: 83_000,
  2008: 83_000,
  2009: 83_000,
  2010: 79_000,
  2011: 75_000,
  2012: 82_000,
  2013: 95_000,
  2014: 106_000,
  2015: 114_000,
  2016: 144_000,
  2017: 127_000,
  2018: 114_000,
  2019: 95_000,
  2020: 65_000,
  2021: 74_000,
  2022: 80_000,
  2023: 78_000,
};

/** Value of a yearly series at `year`, linearly interpolated between listed years and flat outside. */
export function seriesValue(series: Record<number, number>, year: number): number {
  const years = Object.keys(series)
    .map(Number)
    .sort((a, b) => a - b);
  if (year <= years[0]) return series[years[0]];
  const last = years[years.length - 1];
  if (year >= last) return series[last];
  for (let i = 1; i < years.length; i++) {
    if (year <= years[i]) {
      const y0 = years[i - 1];
      const y1 = years[i];
      return series[y0] + ((series[y1] - series[y0]) * (year - y0)) / (y1 - y0);
    }
  }
  return series[last];
}

/**
 * Relative weight of the age at immigration (0–110): most immigrants arrive as young adults.
 */
export function arrivalAgeWeight(age: number): number {
  if (age < 18) return 0.45;
  if (age < 40) return 1;
  if (age < 55) return 0.4;
  if (age < 70) return 0.12;
  return 0.03;
}

/**
 * Share of an immigration cohort still living in Sweden `years` later: many leave again within a few
 * years, and after 25 years deaths thin the cohort out.
 */
export function stayShare(years: number): number {
  const emigration = 0.55 + 0.45 * Math.exp(-years / 4);
  const survival = Math.exp(-Math.max(0, years - 25) / 30);
  return emigration * survival;
}

/**
 * Grund för bosättning and country of birth of immigrants by period of arrival: [grund, country,
 * weight]; grund null = none recorded (Nordic citizens). The mix follows the broad history of
 * Swedish immigration (labour migration from Finland and southern Europe, refugees from Iran, Iraq,
 * former Yugoslavia and Somalia, EU enlargement, Syria and Afghanistan in 2014–2016).
 */
export type OriginEntry = [grund: string | null, country: string, weight: number];

export interface OriginPeriod {
  from: number;
  to: number;
  mix: OriginEntry[];
}

export const ORIGIN_PERIODS: OriginPeriod[] = [
  {
    from: 1900,
    to: 1974,
    mix: [
      [null, "FI", 45],
      [null, "NO", 6],
      [null, "DK", 6],
      ["arbete", "RS", 8],
      ["arbete", "GR", 4],
      ["arbete", "IT", 3],
      ["arbete", "TR", 4],
      ["arbete", "DE", 6],
      ["anhorig_ovrig", "PL", 3],
      ["skyddsbehov", "HU", 3],
      ["anhorig_ovrig", "EE", 3],
      ["ovrigt", "US", 3],
      ["studier", "GB", 2],
      ["anhorig_ovrig", "AT", 2],
      ["skyddsbehov", "CL", 2],
    ],
  },
  {
    from: 1975,
    to: 1988,
    mix: [
      [null, "FI", 20],
      [null, "NO", 4],
      [null, "DK", 4],
      ["skyddsbehov", "CL", 6],
      ["skyddsbehov", "IR", 12],
      ["anhorig_skyddsbehov", "IR", 5],
      ["skyddsbehov", "TR", 5],
      ["anhorig_ovrig", "TR", 5],
      ["skyddsbehov", "LB", 4],
      ["skyddsbehov", "ET", 3],
      ["anhorig_ovrig", "PL", 6],
      ["anhorig_ovrig", "TH", 3],
      ["arbete", "DE", 4],
      ["arbete", "GB", 3],
      ["studier", "US", 3],
      ["anhorig_ovrig", "IN", 2],
      ["skyddsbehov", "VN", 3],
      ["anhorig_ovrig", "RS", 4],
      ["ovrigt", "XX", 1],
    ],
  },
  {
    from: 1989,
    to: 1996,
    mix: [
      [null, "FI", 8],
      [null, "NO", 4],
      [null, "DK", 3],
      ["skyddsbehov", "BA", 25],
      ["anhorig_skyddsbehov", "BA", 8],
      ["skyddsbehov", "IQ", 8],
      ["anhorig_skyddsbehov", "IQ", 4],
      ["skyddsbehov", "IR", 6],
      ["skyddsbehov", "SO", 5],
      ["skyddsbehov", "RS", 6],
      ["skyddsbehov", "ER", 2],
      ["anhorig_ovrig", "TR", 4],
      ["anhorig_ovrig", "PL", 3],
      ["anhorig_ovrig", "TH", 3],
      ["arbete", "DE", 3],
      ["studier", "CN", 2],
      ["arbete", "GB", 2],
      ["anhorig_ovrig", "CL", 2],
      ["ovrigt", "XX", 1],
    ],
  },
  {
    from: 1997,
    to: 2003,
    mix: [
      [null, "FI", 10],
      [null, "NO", 6],
      [null, "DK", 5],
      ["skyddsbehov", "IQ", 12],
      ["anhorig_skyddsbehov", "IQ", 8],
      ["skyddsbehov", "RS", 5],
      ["skyddsbehov", "IR", 3],
      ["skyddsbehov", "SO", 3],
      ["skyddsbehov", "AF", 2],
      ["anhorig_skyddsbehov", "BA", 4],
      ["anhorig_ovrig", "TH", 5],
      ["anhorig_ovrig", "TR", 4],
      ["anhorig_ovrig", "PL", 4],
      ["anhorig_ovrig", "RU", 3],
      ["arbete", "DE", 4],
      ["arbete", "GB", 3],
      ["arbete", "US", 2],
      ["studier", "CN", 3],
      ["studier", "DE", 2],
      ["eu_ees", "DE", 2],
      ["ovrigt", "XX", 1],
    ],
  },
  {
    from: 2004,
    to: 2007,
    mix: [
      [null, "FI", 7],
      [null, "NO", 4],
      [null, "DK", 6],
      ["skyddsbehov", "IQ", 14],
      ["anhorig_skyddsbehov", "IQ", 6],
      ["skyddsbehov", "SO", 4],
      ["skyddsbehov", "RS", 3],
      ["skyddsbehov", "IR", 2],
      ["anhorig_ovrig", "TH", 5],
      ["anhorig_ovrig", "TR", 3],
      ["eu_ees", "PL", 8],
      ["eu_ees", "DE", 4],
      ["eu_ees", "LT", 2],
      ["anhorig_ovrig", "RU", 2],
      ["arbete", "CN", 2],
      ["arbete", "IN", 2],
      ["studier", "CN", 4],
      ["studier", "PK", 2],
      ["ovrigt", "XX", 1],
    ],
  },
  {
    from: 2008,
    to: 2013,
    mix: [
      [null, "FI", 4],
      [null, "NO", 3],
      [null, "DK", 4],
      ["skyddsbehov", "SO", 8],
      ["anhorig_skyddsbehov", "SO", 7],
      ["skyddsbehov", "AF", 5],
      ["skyddsbehov", "IQ", 5],
      ["anhorig_skyddsbehov", "IQ", 4],
      ["skyddsbehov", "ER", 3],
      ["skyddsbehov", "SY", 4],
      ["eu_ees", "PL", 8],
      ["eu_ees", "RO", 3],
      ["eu_ees", "DE", 3],
      ["anhorig_ovrig", "TH", 4],
      ["anhorig_ovrig", "TR", 2],
      ["arbete", "IN", 4],
      ["arbete", "CN", 3],
      ["arbete", "TH", 3],
      ["studier", "CN", 3],
      ["studier", "IN", 2],
      ["studier", "PK", 2],
      ["ovrigt", "XX", 1],
    ],
  },
  {
    from: 2014,
    to: 2016,
    mix: [
      [null, "FI", 2],
      [null, "NO", 1],
      [null, "DK", 2],
      ["skyddsbehov", "SY", 26],
      ["anhorig_skyddsbehov", "SY", 8],
      ["skyddsbehov", "AF", 8],
      ["skyddsbehov", "ER", 6],
      ["anhorig_skyddsbehov", "ER", 3],
      ["skyddsbehov", "IQ", 4],
      ["skyddsbehov", "SO", 3],
      ["anhorig_skyddsbehov", "SO", 3],
      ["eu_ees", "PL", 5],
      ["eu_ees", "RO", 3],
      ["eu_ees", "DE", 2],
      ["arbete", "IN", 3],
      ["arbete", "CN", 1],
      ["anhorig_ovrig", "TH", 2],
      ["anhorig_ovrig", "IR", 2],
      ["studier", "CN", 2],
      ["ovrigt", "XX", 1],
    ],
  },
  {
    from: 2017,
    to: 2019,
    mix: [
      [null, "FI", 3],
      [null, "NO", 2],
      [null, "DK", 2],
      ["skyddsbehov", "SY", 8],
      ["anhorig_skyddsbehov", "SY", 12],
      ["skyddsbehov", "AF", 4],
      ["anhorig_skyddsbehov", "AF", 3],
      ["skyddsbehov", "ER", 3],
      ["anhorig_skyddsbehov", "ER", 3],
      ["skyddsbehov", "IQ", 3],
      ["eu_ees", "PL", 5],
      ["eu_ees", "RO", 3],
      ["eu_ees", "DE", 2],
      ["arbete", "IN", 7],
      ["arbete", "CN", 2],
      ["anhorig_ovrig", "IN", 3],
      ["anhorig_ovrig", "TH", 2],
      ["anhorig_ovrig", "IR", 2],
      ["studier", "CN", 2],
      ["studier", "IN", 2],
      ["ovrigt", "XX", 1],
    ],
  },
  {
    from: 2020,
    to: 2100,
    mix: [
      [null, "FI", 3],
      [null, "NO", 2],
      [null, "DK", 3],
      ["skyddsbehov", "SY", 3],
      ["skyddsbehov", "AF", 3],
      ["anhorig_skyddsbehov", "SY", 4],
      ["skyddsbehov", "UA", 4],
      ["skyddsbehov", "ER", 2],
      ["eu_ees", "PL", 5],
      ["eu_ees", "RO", 3],
      ["eu_ees", "DE", 3],
      ["eu_ees", "IT", 2],
      ["arbete", "IN", 11],
      ["arbete", "CN", 2],
      ["arbete", "TR", 2],
      ["anhorig_ovrig", "IN", 5],
      ["anhorig_ovrig", "IQ", 3],
      ["anhorig_ovrig", "IR", 2],
      ["anhorig_ovrig", "TH", 2],
      ["studier", "IN", 3],
      ["studier", "CN", 2],
      ["studier", "PK", 2],
      ["ovrigt", "XX", 1],
    ],
  },
];

/** Riksdag election turnout (valdeltagande, %, Valmyndigheten) by election year. */
export const TURNOUT: Record<number, number> = {
  1998: 81.4,
  2002: 80.1,
  2006: 82.0,
  2010: 84.6,
  2014: 85.8,
  2018: 87.2,
  2022: 84.2,
};

/** Business cycle shift of the employment propensity (probit scale) by year. */
export const BUSINESS_CYCLE: Record<number, number> = {
  1997: -0.3,
  1998: -0.22,
  1999: -0.12,
  2000: -0.02,
  2001: 0.03,
  2002: 0.02,
  2003: -0.03,
  2004: -0.06,
  2005: -0.05,
  2006: 0.0,
  2007: 0.06,
  2008: 0.06,
  2009: -0.07,
  2010: -0.07,
  2011: 0.0,
  2012: -0.01,
  2013: 0.0,
  2014: 0.01,
  2015: 0.03,
  2016: 0.05,
  2017: 0.07,
  2018: 0.08,
  2019: 0.06,
  2020: -0.03,
  2021: 0.0,
  2022: 0.07,
  2023: 0.06,
};

/** Nominal wage growth per year, used to deflate 2022 wage levels to earlier years. */
export const WAGE_GROWTH = 0.031;

/** Nordic countries (grund för bosättning is not recorded for Nordic citizens). */
export const NORDIC = ["DK", "FI", "NO", "IS", "FO", "GL", "AX"];
