/**
 * The register extract contract (registerutdrag, version 1) as data.
 *
 * The validator, the reader and the synthetic generator all read the columns, types, nullability,
 * value ranges and code lists from here, so the three cannot drift apart. The prose version is
 * /work/shared/spec/registerutdrag.md; the user guide is docs/registerutdrag.md.
 */

/** DuckDB types used by the contract. `REAL` is DuckDB's FLOAT (4 bytes). */
export type ColumnType =
  | "BIGINT"
  | "INTEGER"
  | "SMALLINT"
  | "TINYINT"
  | "REAL"
  | "VARCHAR"
  | "DATE"
  | "BOOLEAN";

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  /** May the column hold NULL? */
  nullable: boolean;
  /** Allowed values of a code column (strings for VARCHAR, numbers for integer columns). */
  codes?: readonly string[] | readonly number[];
  /** Inclusive lower bound of a numeric column. */
  min?: number;
  /** Inclusive upper bound of a numeric column. */
  max?: number;
  /** One line: meaning and codes. */
  description: string;
}

/** Value ranges of the integer types, used to check wider Parquet integers and CSV text. */
export const TYPE_RANGES: Record<"BIGINT" | "INTEGER" | "SMALLINT" | "TINYINT", [bigint, bigint]> = {
  TINYINT: [-128n, 127n],
  SMALLINT: [-32768n, 32767n],
  INTEGER: [-2147483648n, 2147483647n],
  BIGINT: [-9223372036854775808n, 9223372036854775807n],
};

/** Codes of `grund_for_bosattning`. */
export const GRUND_CODES = [
  "skyddsbehov",
  "anhorig_skyddsbehov",
  "arbete",
  "studier",
  "anhorig_ovrig",
  "eu_ees",
  "ovrigt",
] as const;

/** The grounds that make up "skyddsbehövande och deras anhöriga". */
export const GRUND_SKYDDSBEHOV = ["skyddsbehov", "anhorig_skyddsbehov"] as const;

/** Codes of `upplatelseform`. */
export const UPPLATELSEFORM_CODES = ["aganderatt", "bostadsratt", "hyresratt"] as const;

/** Codes of `af_status`. */
export const AF_STATUS_CODES = ["oppet_arbetslos", "program_aktivitetsstod"] as const;

/** Codes of `kon`. */
export const KON_CODES = [1, 2] as const;

/** Code of an unknown country of birth (ISO 3166-1 user-assigned range). */
export const UNKNOWN_COUNTRY = "XX";

/**
 * The 249 officially assigned ISO 3166-1 alpha-2 codes (ISO 3166 Maintenance Agency), in
 * alphabetical order. Reserved and user-assigned codes are not in it; `XX` is added separately.
 */
export const ISO_3166_ALPHA2 = [
  ..."AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ".split(" "),
  ..."BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ".split(" "),
  ..."CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ".split(" "),
  ..."DE DJ DK DM DO DZ".split(" "),
  ..."EC EE EG EH ER ES ET".split(" "),
  ..."FI FJ FK FM FO FR".split(" "),
  ..."GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY".split(" "),
  ..."HK HM HN HR HT HU".split(" "),
  ..."ID IE IL IM IN IO IQ IR IS IT".split(" "),
  ..."JE JM JO JP".split(" "),
  ..."KE KG KH KI KM KN KP KR KW KY KZ".split(" "),
  ..."LA LB LC LI LK LR LS LT LU LV LY".split(" "),
  ..."MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ".split(" "),
  ..."NA NC NE NF NG NI NL NO NP NR NU NZ".split(" "),
  "OM",
  ..."PA PE PF PG PH PK PL PM PN PR PS PT PW PY".split(" "),
  "QA",
  ..."RE RO RS RU RW".split(" "),
  ..."SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ".split(" "),
  ..."TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ".split(" "),
  ..."UA UG UM US UY UZ".split(" "),
  ..."VA VC VE VG VI VN VU".split(" "),
  ..."WF WS".split(" "),
  ..."YE YT".split(" "),
  ..."ZA ZM ZW".split(" "),
] as const;

/** Allowed values of `fodelseland`, `fodelseland_mor` and `fodelseland_far`: ISO 3166-1 alpha-2 plus `XX`. */
export const COUNTRY_CODES: readonly string[] = [...ISO_3166_ALPHA2, UNKNOWN_COUNTRY].sort();

/** Sweden. */
export const SWEDEN = "SE";

/** First riksdag election year covered by the extracts; elections are held every four years. */
export const FIRST_ELECTION_YEAR = 1998;

/** Riksdag election years from 1998 to 2022 (later ones follow from `isElectionYear`). */
export const ELECTION_YEARS = [1998, 2002, 2006, 2010, 2014, 2018, 2022] as const;

/** True for the years of a riksdag election (1998, 2002, …: every 4 years from 1998). */
export function isElectionYear(year: number): boolean {
  return Number.isInteger(year) && year >= FIRST_ELECTION_YEAR && (year - FIRST_ELECTION_YEAR) % 4 === 0;
}

/**
 * Kommun division changes since 1997. Before `until`, the area of kommun `split` belonged to `from`
 * (Nykvarn, Knivsta), or the kommun had code `from` instead of `split` (Heby). A DeSO 2018 code is
 * always in today's division, so in such a year a person in `from` may have a DeSO starting with `split`.
 */
export interface DivisionChange {
  /** Code used in the extract before `until`. */
  from: string;
  /** Today's code whose DeSO areas may appear under `from`. */
  split: string;
  /** First year (1 January) of today's division. */
  until: number;
  note: string;
}

export const DIVISION_CHANGES: readonly DivisionChange[] = [
  { from: "0181", split: "0140", until: 1999, note: "Nykvarn split from Södertälje on 1 Jan 1999" },
  { from: "0380", split: "0330", until: 2003, note: "Knivsta split from Uppsala on 1 Jan 2003" },
  {
    from: "1917",
    split: "0331",
    until: 2007,
    note: "Heby moved from Västmanlands län (1917) to Uppsala län (0331)",
  },
];

/** The changes in force on 31 Dec of `year`: kommun code → today's codes its DeSO may start with. */
export function desoPrefixesIn(year: number): Map<string, string[]> {
  const prefixes = new Map<string, string[]>();
  for (const change of DIVISION_CHANGES) {
    if (year < change.until) {
      const list = prefixes.get(change.from) ?? [change.from];
      list.push(change.split);
      prefixes.set(change.from, list);
    }
  }
  return prefixes;
}

/** Columns of `personer_YYYY`, in contract order. */
export const PERSON_COLUMNS: readonly ColumnSpec[] = [
  {
    name: "lopnr",
    type: "BIGINT",
    nullable: false,
    description: "pseudonymised person id; unique within a file",
  },
  {
    name: "ar",
    type: "SMALLINT",
    nullable: false,
    description: "reference year; equals YYYY of the file name",
  },
  { name: "kon", type: "TINYINT", nullable: false, codes: KON_CODES, description: "1 = man, 2 = kvinna" },
  {
    name: "fodelsear",
    type: "SMALLINT",
    nullable: false,
    description: "year of birth; age ar - fodelsear is 0–110",
  },
  {
    name: "fodelseland",
    type: "VARCHAR",
    nullable: false,
    codes: COUNTRY_CODES,
    description: "ISO 3166-1 alpha-2 country of birth; SE = Sweden; XX = unknown",
  },
  {
    name: "fodelseland_mor",
    type: "VARCHAR",
    nullable: true,
    codes: COUNTRY_CODES,
    description: "mother's country of birth; null = not in register",
  },
  {
    name: "fodelseland_far",
    type: "VARCHAR",
    nullable: true,
    codes: COUNTRY_CODES,
    description: "father's country of birth; null = not in register",
  },
  {
    name: "senaste_invandring",
    type: "DATE",
    nullable: true,
    description: "date of the most recent immigration; required when fodelseland <> 'SE'",
  },
  {
    name: "grund_for_bosattning",
    type: "VARCHAR",
    nullable: true,
    codes: GRUND_CODES,
    description: "ground for settlement of immigrants; null = none recorded",
  },
  {
    name: "kommun",
    type: "VARCHAR",
    nullable: false,
    description: "folkbokföringskommun on 31 Dec (4-digit code valid that year)",
  },
  {
    name: "deso",
    type: "VARCHAR",
    nullable: true,
    description: "DeSO 2018 code of the address; starts with kommun (or the code it became)",
  },
  {
    name: "kommun_fg_ar",
    type: "VARCHAR",
    nullable: true,
    description: "kommun on 31 Dec of the previous year; null = not folkbokförd in Sweden then",
  },
  {
    name: "hushall_id",
    type: "BIGINT",
    nullable: true,
    description: "bostadshushåll id; null = not in a household",
  },
  {
    name: "bostadsarea",
    type: "SMALLINT",
    nullable: true,
    min: 0,
    description: "floor area of the dwelling, m²",
  },
  { name: "antal_rum", type: "SMALLINT", nullable: true, min: 0, description: "rooms, kitchen not counted" },
  {
    name: "bor_med_foralder",
    type: "BOOLEAN",
    nullable: true,
    description: "lives in the same household as a parent; null = not in a household",
  },
  {
    name: "upplatelseform",
    type: "VARCHAR",
    nullable: true,
    codes: UPPLATELSEFORM_CODES,
    description: "aganderatt, bostadsratt, hyresratt; null = unknown",
  },
  {
    name: "utbildningsniva",
    type: "TINYINT",
    nullable: true,
    min: 1,
    max: 4,
    description:
      "1 förgymnasial, 2 gymnasial, 3 eftergymnasial < 3 år, 4 eftergymnasial ≥ 3 år; null = saknas",
  },
  {
    name: "studerande",
    type: "BOOLEAN",
    nullable: false,
    description: "enrolled in education in the autumn term",
  },
  { name: "sysselsatt", type: "BOOLEAN", nullable: false, description: "förvärvsarbetande in November" },
  {
    name: "foretagare",
    type: "BOOLEAN",
    nullable: false,
    description: "main activity own business; implies sysselsatt",
  },
  {
    name: "chef",
    type: "BOOLEAN",
    nullable: true,
    description: "occupation in SSYK 2012 major group 1; null when not employed",
  },
  {
    name: "ssyk_niva",
    type: "TINYINT",
    nullable: true,
    min: 1,
    max: 4,
    description: "skill level 1–4 of the occupation; null when not employed",
  },
  {
    name: "af_status",
    type: "VARCHAR",
    nullable: true,
    codes: AF_STATUS_CODES,
    description: "oppet_arbetslos, program_aktivitetsstod; null = not registered as unemployed",
  },
  {
    name: "arbetslos_manader",
    type: "TINYINT",
    nullable: false,
    min: 0,
    max: 60,
    description: "consecutive months registered unemployed up to 31 Dec, 0–60",
  },
  {
    name: "loneinkomst",
    type: "INTEGER",
    nullable: false,
    min: 0,
    description: "kontant bruttolön, kr, ≥ 0",
  },
  { name: "nettoinkomst", type: "INTEGER", nullable: false, description: "nettoinkomst, kr" },
  {
    name: "disp_ink",
    type: "INTEGER",
    nullable: false,
    description: "individual disponibel inkomst, kr (may be negative)",
  },
  { name: "sjukpenning", type: "INTEGER", nullable: false, min: 0, description: "kr, ≥ 0" },
  { name: "sjuk_aktivitetsersattning", type: "INTEGER", nullable: false, min: 0, description: "kr, ≥ 0" },
  { name: "arbetsloshetsersattning", type: "INTEGER", nullable: false, min: 0, description: "kr, ≥ 0" },
  {
    name: "ekonomiskt_bistand",
    type: "INTEGER",
    nullable: false,
    min: 0,
    description: "kr received by the person's household share, ≥ 0",
  },
  {
    name: "etableringsersattning",
    type: "INTEGER",
    nullable: false,
    min: 0,
    description: "introduktions-/etableringsersättning, kr, ≥ 0",
  },
  {
    name: "ekbistand_manader",
    type: "TINYINT",
    nullable: false,
    min: 0,
    max: 12,
    description: "months (0–12) the household received ekonomiskt bistånd",
  },
  {
    name: "ohalsodagar",
    type: "REAL",
    nullable: false,
    min: 0,
    max: 365,
    description: "net days with sickness and activity compensation, 0–365",
  },
  {
    name: "behorig_gymnasiet",
    type: "BOOLEAN",
    nullable: true,
    description: "pupils leaving grade 9 in YYYY: eligible for upper secondary; null otherwise",
  },
  {
    name: "behorig_hogskola",
    type: "BOOLEAN",
    nullable: true,
    description: "pupils leaving upper secondary in YYYY: eligible for higher education; null otherwise",
  },
  {
    name: "sfi_godkand",
    type: "BOOLEAN",
    nullable: true,
    description: "started sfi two years earlier: passed a course within two years; null otherwise",
  },
  {
    name: "rostberattigad",
    type: "BOOLEAN",
    nullable: true,
    description: "election years only: entitled to vote in the riksdag election; null in other years",
  },
  {
    name: "rostade",
    type: "BOOLEAN",
    nullable: true,
    description: "election years only: voted; null when not entitled or not an election year",
  },
];

/** Columns of `utvandrade_YYYY` (one row per emigration during YYYY; the last address in Sweden). */
export const EMIGRATION_COLUMNS: readonly ColumnSpec[] = [
  { name: "lopnr", type: "BIGINT", nullable: false, description: "pseudonymised person id" },
  { name: "datum", type: "DATE", nullable: false, description: "date of emigration, within YYYY" },
  { name: "kommun", type: "VARCHAR", nullable: false, description: "last folkbokföringskommun in Sweden" },
  { name: "deso", type: "VARCHAR", nullable: true, description: "DeSO 2018 code of the last address" },
];

/** Names of the person columns, in contract order. */
export const PERSON_COLUMN_NAMES: readonly string[] = PERSON_COLUMNS.map((c) => c.name);

export type ExtractKind = "personer" | "utvandrade";
export type ExtractFormat = "parquet" | "csv";

/** File names of an extract: `personer_YYYY.parquet|csv`, `utvandrade_YYYY.parquet`. */
export const FILE_NAME_PATTERN = /^(personer|utvandrade)_(\d{4})\.(parquet|csv)$/;

/** The formats accepted for each kind of file. */
export const ACCEPTED_FORMATS: Record<ExtractKind, readonly ExtractFormat[]> = {
  personer: ["parquet", "csv"],
  utvandrade: ["parquet"],
};

/** Oldest plausible age on 31 Dec. */
export const MAX_AGE = 110;
