/**
 * The definition of SCB's socio-economic index and the five områdestyper, in one place.
 * docs/omradestyper.md explains every value; change them here and nowhere else.
 */

/** Age band (age on 31 Dec, inclusive) of the population behind V2 and V3. */
export const WORKING_AGE = { min: 20, max: 64 } as const;

/** V3: at least this many months with ekonomiskt bistånd in the year … */
export const BISTAND_MIN_MANADER = 10;

/** … and/or registered unemployed (af_status not null) for more than this many months. */
export const ARBETSLOS_OVER_MANADER = 6;

export type OmradestypKod = "1" | "2" | "3" | "4" | "5";

export interface Omradestyp {
  kod: OmradestypKod;
  /** Swedish name as SCB and Delmos write it. */
  namn: string;
  /** English name. */
  nameEn: string;
  /**
   * Lower bound of the type in standard deviations from the national mean of the index:
   * a RegSO belongs to the first type (in this order) whose bound its index reaches (≥).
   * `null` for the last type, which takes everything below the previous bound.
   * Bounds must be decimals with at most six decimals (they are compared exactly, see classify.ts).
   */
  minstSd: number | null;
}

/** From the most disadvantaged (highest index) to the most advantaged. */
export const OMRADESTYPER: readonly Omradestyp[] = [
  {
    kod: "1",
    namn: "Områden med stora socioekonomiska utmaningar",
    nameEn: "Areas with major socio-economic challenges",
    minstSd: 2,
  },
  {
    kod: "2",
    namn: "Områden med socioekonomiska utmaningar",
    nameEn: "Areas with socio-economic challenges",
    minstSd: 1,
  },
  {
    kod: "3",
    namn: "Socioekonomiskt blandade områden",
    nameEn: "Socio-economically mixed areas",
    minstSd: 0,
  },
  {
    kod: "4",
    namn: "Områden med goda socioekonomiska förutsättningar",
    nameEn: "Areas with good socio-economic conditions",
    minstSd: -1,
  },
  {
    kod: "5",
    namn: "Områden med mycket goda socioekonomiska förutsättningar",
    nameEn: "Areas with very good socio-economic conditions",
    minstSd: null,
  },
];

/** Code used in the distribution and transition tables for persons or RegSO without a type. */
export const UTAN_OMRADESTYP = "saknas";

/** Groups of the distribution table `omraden_fordelning_raw`: indelning → grupper, in publication order. */
export const FORDELNING_GRUPPER: Readonly<Record<string, readonly string[]>> = {
  totalt: ["alla"],
  fodelseregion: ["sverige", "norden", "eu_efta", "ovriga", "utrikes"],
  bakgrund: ["svensk", "utlandsk"],
  vistelsetid: ["0-1", "2-3", "4-9", "10-"],
  grund: ["skyddsbehov", "ovriga"],
};
