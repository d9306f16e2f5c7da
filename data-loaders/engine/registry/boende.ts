/** Boende: tenure, crowding, young adults living with parents, staying in the area. */
import {
  ALL_AGES_BREAKDOWNS,
  ALL_BREAKDOWNS,
  PERCENT_SHARE,
  SOURCES,
  universe,
  without,
  yearly,
} from "./common.ts";
import type { IndicatorDefinition } from "./schema.ts";

const KNOWN_TENURE = universe(
  null,
  null,
  {
    sv: "Folkbokförda personer i bostadshushåll med känd upplåtelseform.",
    en: "Persons in dwelling households with known tenure.",
  },
  "upplatelseform IS NOT NULL",
);

const YEARLY = yearly("boende");

const tenure = (id: string, code: string, sv: string, en: string): IndicatorDefinition => ({
  ...YEARLY,
  ...PERCENT_SHARE,
  ...ALL_AGES_BREAKDOWNS,
  id,
  label: { sv: `Boende i ${sv}`, en: `Living in ${en}` },
  description: {
    sv: `Andel som bor i ${sv} av personerna med känd upplåtelseform, procent.`,
    en: `Share living in ${en} among persons with known tenure, per cent.`,
  },
  universe: KNOWN_TENURE,
  numerator: { where: `upplatelseform = '${code}'` },
  source: [SOURCES.hushall],
  footnotes: [],
});

export const BOENDE: IndicatorDefinition[] = [
  tenure("boende_aganderatt", "aganderatt", "äganderätt", "owner-occupied housing"),
  tenure("boende_bostadsratt", "bostadsratt", "bostadsrätt", "tenant-owned housing (bostadsrätt)"),
  tenure("boende_hyresratt", "hyresratt", "hyresrätt", "rented housing"),
  {
    ...YEARLY,
    ...PERCENT_SHARE,
    id: "hemmaboende_vuxna_barn",
    label: { sv: "Hemmaboende vuxna barn", en: "Adult children living with parents" },
    description: {
      sv: "Andel som bor i samma hushåll som minst en förälder av personerna 20–29 år i bostadshushåll, procent.",
      en: "Share living in the same household as at least one parent among persons aged 20–29 in dwelling households, per cent.",
    },
    universe: universe(
      20,
      29,
      { sv: "Personer 20–29 år i bostadshushåll.", en: "Persons aged 20–29 in dwelling households." },
      "hushall_id IS NOT NULL",
    ),
    numerator: { where: "bor_med_foralder" },
    breakdowns: without(ALL_BREAKDOWNS, "alder"),
    source: [SOURCES.hushall, SOURCES.rtb],
    footnotes: [],
  },
  {
    ...PERCENT_SHARE,
    ...ALL_AGES_BREAKDOWNS,
    id: "kvarboende",
    area: "boende",
    label: { sv: "Kvarboende", en: "Residential stability" },
    description: {
      sv: "Andel av dem som bodde i regionen 31 december fem år tidigare som bor kvar där 31 december i år, procent.",
      en: "Share of those living in the region on 31 December five years earlier who still live there on 31 December this year, per cent.",
    },
    frame: "fg_5ar",
    universe: universe(null, null, {
      sv: "Folkbokförda i regionen 31 december fem år tidigare.",
      en: "Persons registered in the region on 31 December five years earlier.",
    }),
    numerator: { where: "kvar_{niva}" },
    levels: ["lan", "kommun", "regso", "deso"],
    source: [SOURCES.rtb],
    footnotes: [
      {
        sv: "Kräver uppgifter för fem år tidigare; redovisas inte för uttagets första fem år. Bakgrundsvariabler och ålder avser utgångsåret. Den som flyttat och flyttat tillbaka räknas som kvarboende; avlidna och utvandrade räknas som inte kvarboende. Riket redovisas inte.",
        en: "Needs data for five years earlier; not produced for the first five years of the extract. Background variables and age refer to the starting year. Persons who moved away and back count as staying; deaths and emigrants count as not staying. Not published for riket.",
      },
    ],
  },
  {
    ...YEARLY,
    ...PERCENT_SHARE,
    ...ALL_AGES_BREAKDOWNS,
    id: "trangbodda",
    label: { sv: "Trångbodda (norm 2)", en: "Overcrowded (norm 2)" },
    description: {
      sv: "Andel som bor i hushåll med fler än två personer per sovrum (kök och vardagsrum oräknade) av personerna i hushåll med känt antal rum, procent.",
      en: "Share living in households with more than two persons per bedroom (kitchen and living room not counted) among persons in households with a known number of rooms, per cent.",
    },
    universe: universe(
      null,
      null,
      {
        sv: "Personer i bostadshushåll med känt antal rum.",
        en: "Persons in dwelling households with a known number of rooms.",
      },
      "hushall_id IS NOT NULL AND antal_rum IS NOT NULL",
    ),
    numerator: { where: "hushall_storlek > 2 * greatest(antal_rum - 1, 1)" },
    source: [SOURCES.hushall],
    footnotes: [
      {
        sv: "Ny indikator (Delmos). Sovrum = antal rum − 1 (vardagsrummet); en bostad med ett rum räknas ha ett sovrum. Hushållets storlek är antalet folkbokförda personer med samma hushålls-id.",
        en: "New indicator (Delmos). Bedrooms = rooms − 1 (the living room); a one-room dwelling counts as one bedroom. Household size is the number of registered persons with the same household id.",
      },
    ],
  },
];
