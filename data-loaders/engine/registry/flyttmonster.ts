/** Flyttmönster: moves between regions, from linking consecutive years by lopnr. */
import {
  ALL_AGES_BREAKDOWNS,
  ALL_PERSONS,
  BREAKDOWNS_ALL_AGES,
  COUNT,
  NOTE_PREVIOUS_YEAR,
  PERCENT_SHARE,
  SOURCES,
  universe,
} from "./common.ts";
import type { IndicatorDefinition, Level, Text } from "./schema.ts";

const FLOWS_TO_REGSO: Text = {
  sv: "Flyttmönster redovisas som i databasen ned till RegSO; på DeSO är flyttströmmarna för små och domineras av flyttningar inom samma område.",
  en: "Migration patterns are published down to RegSO as in the database; DeSO flows are too small and dominated by moves within the same neighbourhood.",
};

const NOTE_LEVEL: Text = {
  sv: "En flyttning räknas på en nivå bara om den går över regionens gräns: flyttningar inom en kommun ingår i RegSO-talen men inte i kommuntalen.",
  en: "A move counts at a level only when it crosses the region's border: moves within a kommun count for RegSO but not for the kommun.",
};

/** Every indicator of the area: moves, published down to RegSO. */
const MOVES = { area: "flyttmonster", finestLevelReason: FLOWS_TO_REGSO } as const;

const TO_REGSO: Level[] = ["riket", "lan", "kommun", "regso"];

/** Moves within Sweden cross no border of riket. */
const DOMESTIC_TO_REGSO: Level[] = ["lan", "kommun", "regso"];

export const FLYTTMONSTER: IndicatorDefinition[] = [
  {
    ...MOVES,
    ...COUNT,
    ...ALL_AGES_BREAKDOWNS,
    id: "inrikes_flyttnetto",
    label: { sv: "Inrikes flyttnetto", en: "Net domestic migration" },
    description: {
      sv: "Antal som bor i regionen 31 december men bodde på annan ort i Sverige året före, minus antal som flyttat ut till annan ort i Sverige.",
      en: "Persons living in the region on 31 December who lived elsewhere in Sweden a year earlier, minus those who moved out to elsewhere in Sweden.",
    },
    frame: "flyttar",
    universe: ALL_PERSONS,
    numerator: { where: "flyttat_{niva}", value: "riktning" },
    levels: DOMESTIC_TO_REGSO,
    source: [SOURCES.rtb],
    footnotes: [
      NOTE_PREVIOUS_YEAR,
      NOTE_LEVEL,
      {
        sv: "Bakgrundsvariabler avser personen vid årets slut; områdestyp avser området personen flyttade till respektive från.",
        en: "Background variables describe the person at the end of the year; områdestyp is that of the area moved to or from.",
      },
    ],
  },
  {
    ...MOVES,
    ...COUNT,
    id: "utrikes_flyttnetto",
    label: { sv: "Utrikes flyttnetto", en: "Net international migration" },
    description: {
      sv: "Antal invandringar under året till regionen minus antal utvandringar från regionen.",
      en: "Immigrations to the region during the year minus emigrations from it.",
    },
    frame: "utrikes_flyttar",
    universe: universe(null, null, {
      sv: "Invandringar (senaste invandring under året, folkbokförda 31 december) och utvandringar under året.",
      en: "Immigrations (latest immigration during the year, registered on 31 December) and emigrations during the year.",
    }),
    numerator: { value: "riktning" },
    breakdowns: [],
    levels: TO_REGSO,
    needsEmigrations: true,
    source: [SOURCES.rtb],
    footnotes: [
      {
        sv: "Utvandringsregistret anger bara senaste adress i Sverige, därför redovisas inga bakgrundsvariabler. Saknas utvandringsuppgifter för året redovisas värdet som ej tillgängligt (.).",
        en: "The emigration file gives only the last address in Sweden, so no background variables are published. Without emigration data for the year the value is not available (.).",
      },
      {
        sv: "Den som invandrat under året och utvandrat igen före årets slut räknas bara som utvandring.",
        en: "A person who immigrated and emigrated again during the year counts only as an emigration.",
      },
    ],
  },
  {
    ...MOVES,
    ...PERCENT_SHARE,
    ...ALL_AGES_BREAKDOWNS,
    id: "utflyttningsrisk",
    label: { sv: "Utflyttningsrisk", en: "Out-migration rate" },
    description: {
      sv: "Andel av dem som bodde i regionen 31 december föregående år som bor i en annan region eller har utvandrat 31 december i år, procent.",
      en: "Share of those living in the region on 31 December of the previous year who live in another region or have emigrated on 31 December this year, per cent.",
    },
    frame: "fg_ar",
    universe: universe(null, null, {
      sv: "Folkbokförda i regionen 31 december föregående år.",
      en: "Persons registered in the region on 31 December of the previous year.",
    }),
    numerator: { where: "utflyttad_{niva}" },
    levels: TO_REGSO,
    needsEmigrations: true,
    source: [SOURCES.rtb],
    footnotes: [
      NOTE_PREVIOUS_YEAR,
      NOTE_LEVEL,
      {
        sv: "För riket är andelen den som utvandrat. Avlidna ingår i nämnaren men inte i täljaren. Utan utvandringsuppgifter för året redovisas värdet som ej tillgängligt (.).",
        en: "For riket the share is those who emigrated. Deaths count in the denominator but not the numerator. Without emigration data for the year the value is not available (.).",
      },
    ],
  },
  {
    ...MOVES,
    id: "kvot_forvarvsarbetande_flyttare",
    label: {
      sv: "Kvot förvärvsarbetande inflyttare/utflyttare",
      en: "Ratio of employed in-movers to employed out-movers",
    },
    description: {
      sv: "Antal förvärvsarbetande inflyttare 20–64 år från annan ort i Sverige delat med antal förvärvsarbetande utflyttare 20–64 år till annan ort i Sverige.",
      en: "Employed persons aged 20–64 who moved in from elsewhere in Sweden divided by employed persons aged 20–64 who moved out to elsewhere in Sweden.",
    },
    unit: "kvot",
    decimals: 2,
    kind: "kvot",
    frame: "flyttar",
    universe: universe(
      20,
      64,
      {
        sv: "Förvärvsarbetande 20–64 år (i år) som flyttat över regionens gräns.",
        en: "Persons aged 20–64 employed this year who moved across the region's border.",
      },
      "sysselsatt AND flyttat_{niva}",
    ),
    numerator: { where: "riktning = 1" },
    denominator: { where: "riktning = -1" },
    ageBands: "arbetsfor",
    breakdowns: BREAKDOWNS_ALL_AGES,
    levels: DOMESTIC_TO_REGSO,
    source: [SOURCES.rtb, SOURCES.rams],
    footnotes: [
      NOTE_PREVIOUS_YEAR,
      NOTE_LEVEL,
      {
        sv: "Förvärvsarbete och ålder avser flyttåret (november respektive 31 december).",
        en: "Employment and age refer to the year of the move (November and 31 December).",
      },
    ],
  },
];
