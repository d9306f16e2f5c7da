/**
 * The shape of an indicator definition and its validation. One definition per indicator; the
 * engine (compute.ts) turns definitions into SQL. See docs/indicators.md for the recipe.
 *
 * SQL fragments in a definition are boolean or numeric expressions over the columns of the
 * definition's frame (see FRAMES): the columns of `person_ar` plus the frame's own columns.
 * The token `{niva}` in a fragment is replaced by the level being computed (riket, lan, kommun,
 * regso, deso); it is used where the value depends on the level, e.g. whether a move crossed
 * the border of the region.
 */

export const AREAS = [
  "arbetsmarknad",
  "flyttmonster",
  "boende",
  "demografi",
  "ekonomi",
  "forsorjning",
  "utbildning",
  "halsa",
  "demokrati",
] as const;
export type Area = (typeof AREAS)[number];

export const LEVELS = ["riket", "lan", "kommun", "regso", "deso"] as const;
export type Level = (typeof LEVELS)[number];

/** Background variables an indicator can be broken down by (publication column names). */
export const BREAKDOWNS = [
  "kon",
  "alder",
  "utbildningsniva",
  "fodelseregion",
  "vistelsetid",
  "grund",
  "bakgrund",
  "omradestyp",
] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

/** Age band sets (indikatorer.md "Breakdowns and levels"); `bands` are the publication codes. */
export const AGE_BAND_SETS = {
  /** 20–64 indicators. */
  arbetsfor: { bands: ["20-24", "25-34", "35-44", "45-54", "55-64"] },
  /** 25–64 indicators (the 20–64 bands without 20–24). */
  arbetsfor_25: { bands: ["25-34", "35-44", "45-54", "55-64"] },
  /** Demografi and boende, all ages. */
  bred: { bands: ["0-19", "20-64", "65-"] },
  /** Valdeltagande. */
  val: { bands: ["18-29", "30-49", "50-64", "65-"] },
} as const;
export type AgeBandSet = keyof typeof AGE_BAND_SETS;

/**
 * How the value is formed from the aggregates:
 * - `andel`: 100 × persons in numerator / persons in denominator (per cent)
 * - `antal`: a count (sum of the numerator value)
 * - `medel`: sum of the numerator value / persons in denominator
 * - `median`: median of the numerator value over the denominator population
 * - `kvot`: persons in numerator / persons in denominator (a ratio, not per cent)
 * - `summaandel`: 100 × sum of the numerator value / sum of the denominator value (shares of money)
 */
export const KINDS = ["andel", "antal", "medel", "median", "kvot", "summaandel"] as const;
export type Kind = (typeof KINDS)[number];

export const UNITS = ["procent", "antal", "prisbasbelopp", "kr", "dagar", "kvot"] as const;
export type Unit = (typeof UNITS)[number];

/**
 * The population a row is read from:
 * - `ar`: persons folkbokförda on 31 Dec of the year (person_ar of year Y)
 * - `fg_ar`: persons folkbokförda on 31 Dec Y-1, with their situation on 31 Dec Y (columns `*_nu`,
 *   `utflyttad_{niva}`); breakdowns describe Y-1
 * - `fg_5ar`: persons folkbokförda on 31 Dec Y-5, with `kvar_{niva}` (same region on 31 Dec Y)
 * - `flyttar`: persons folkbokförda both on 31 Dec Y-1 and Y, two rows each: `riktning = 1` in the
 *   region of Y, `riktning = -1` in the region of Y-1, `flyttat_{niva}` when the regions differ;
 *   breakdowns describe Y
 * - `utrikes_flyttar`: immigrations during Y (`riktning = 1`, breakdowns of Y) and emigrations from
 *   `utvandrade` (`riktning = -1`, no person breakdowns)
 */
export const FRAMES = {
  ar: { previousYears: 0 },
  fg_ar: { previousYears: 1 },
  fg_5ar: { previousYears: 5 },
  flyttar: { previousYears: 1 },
  utrikes_flyttar: { previousYears: 0 },
} as const;
export type Frame = keyof typeof FRAMES;

export interface Text {
  sv: string;
  en: string;
}

export interface IndicatorDefinition {
  /** Stable id, lower-case ASCII with underscores; used in file names. */
  id: string;
  area: Area;
  label: Text;
  description: Text;
  unit: Unit;
  /** Decimals of the published value (taljare and namnare stay exact). */
  decimals: number;
  kind: Kind;
  frame: Frame;
  universe: {
    /** Age on 31 Dec, inclusive; null = no bound. */
    ageMin: number | null;
    ageMax: number | null;
    /** Further condition on the population (SQL), e.g. `upplatelseform IS NOT NULL`. */
    where?: string;
    description: Text;
  };
  /**
   * Persons counted in the numerator: a condition and/or a value summed (default 1 per person).
   * `perPrisbasbelopp`: the value is in kr and is published in prisbasbelopp of the year (the engine
   * sums exact kronor and divides once, so the result does not depend on summation order).
   */
  numerator: { where?: string; value?: string; perPrisbasbelopp?: boolean };
  /** Within the universe: a further condition and/or a value summed (default 1 per person). Counts have none. */
  denominator?: { where?: string; value?: string };
  /** Age bands of the `alder` breakdown (required when `breakdowns` has `alder`). */
  ageBands?: AgeBandSet;
  breakdowns: Breakdown[];
  /** Levels published, coarse to fine. */
  levels: Level[];
  /** Why the finest level is not DeSO (required when `deso` is not in `levels`). */
  finestLevelReason?: Text;
  /** Only election years (1998, 2002, …) are produced. */
  electionYearsOnly?: boolean;
  /** Needs `utvandrade` of the year; without it the value is published as not available ('.'). */
  needsEmigrations?: boolean;
  /** Source registers. */
  source: string[];
  footnotes: Text[];
  /**
   * Breakdown categories whose every person is in the numerator by definition, e.g. the
   * foreign-born (every foreign födelseregion) among persons with a foreign background. The share there is 100 % whatever the
   * data: it tells nothing about anyone, so the numerator and complement rules do not apply, and
   * disclosure control lets the attacker know that numerator = denominator in these cells
   * (docs/disclosure-control.md).
   */
  wholeByDefinition?: { breakdown: Breakdown; categories: string[]; reason: Text };
}

const ID = /^[a-z][a-z0-9_]*$/;

function checkText(errors: string[], where: string, text: unknown): void {
  const t = text as Partial<Text> | undefined;
  if (
    !t ||
    typeof t.sv !== "string" ||
    t.sv.trim() === "" ||
    typeof t.en !== "string" ||
    t.en.trim() === ""
  ) {
    errors.push(`${where} needs non-empty sv and en texts`);
  }
}

/** Returns the problems of one definition (empty when it is complete and consistent). */
export function validateDefinition(input: unknown): string[] {
  const def = input as Partial<IndicatorDefinition>;
  const errors: string[] = [];
  const name = typeof def.id === "string" ? def.id : "(no id)";
  const err = (message: string) => errors.push(`${name}: ${message}`);
  if (typeof def.id !== "string" || !ID.test(def.id)) err("id must match /^[a-z][a-z0-9_]*$/");
  if (!AREAS.includes(def.area as Area)) err(`area must be one of ${AREAS.join(", ")}`);
  checkText(errors, `${name}: label`, def.label);
  checkText(errors, `${name}: description`, def.description);
  if (!UNITS.includes(def.unit as Unit)) err(`unit must be one of ${UNITS.join(", ")}`);
  if (!Number.isInteger(def.decimals) || (def.decimals as number) < 0 || (def.decimals as number) > 4) {
    err("decimals must be an integer 0–4");
  }
  if (!KINDS.includes(def.kind as Kind)) err(`kind must be one of ${KINDS.join(", ")}`);
  if (!(typeof def.frame === "string" && def.frame in FRAMES)) {
    err(`frame must be one of ${Object.keys(FRAMES).join(", ")}`);
  }
  const u = def.universe;
  if (!u) {
    err("universe is required");
  } else {
    for (const key of ["ageMin", "ageMax"] as const) {
      const v = u[key];
      if (v !== null && !(Number.isInteger(v) && v >= 0 && v <= 120))
        err(`universe.${key} must be null or 0–120`);
    }
    if (u.ageMin != null && u.ageMax != null && u.ageMin > u.ageMax) err("universe.ageMin > ageMax");
    checkText(errors, `${name}: universe.description`, u.description);
  }
  if (!def.numerator || (def.numerator.where === undefined && def.numerator.value === undefined)) {
    err("numerator needs a where and/or a value");
  }
  const needsDenominator = def.kind !== "antal";
  if (needsDenominator && !def.denominator) err(`kind ${def.kind} needs a denominator`);
  if (!needsDenominator && def.denominator) err("a count (antal) has no denominator");
  if (def.kind === "summaandel" && def.denominator?.value === undefined)
    err("summaandel needs denominator.value");
  if ((def.kind === "medel" || def.kind === "median") && def.numerator?.value === undefined) {
    err(`kind ${def.kind} needs numerator.value`);
  }
  const unitForKind: Partial<Record<Kind, Unit[]>> = {
    andel: ["procent"],
    summaandel: ["procent"],
    kvot: ["kvot"],
    antal: ["antal"],
  };
  const allowedUnits = def.kind ? unitForKind[def.kind as Kind] : undefined;
  if (allowedUnits && def.unit && !allowedUnits.includes(def.unit)) {
    err(`unit ${def.unit} does not fit kind ${def.kind}`);
  }
  if (!Array.isArray(def.breakdowns)) {
    err("breakdowns must be an array");
  } else {
    for (const b of def.breakdowns) if (!BREAKDOWNS.includes(b)) err(`unknown breakdown ${b}`);
    if (new Set(def.breakdowns).size !== def.breakdowns.length) err("breakdowns repeat");
    if (def.breakdowns.includes("alder") && !(def.ageBands && def.ageBands in AGE_BAND_SETS)) {
      err(`breakdown alder needs ageBands (${Object.keys(AGE_BAND_SETS).join(", ")})`);
    }
    if (!def.breakdowns.includes("alder") && def.ageBands) err("ageBands given without breakdown alder");
  }
  if (!Array.isArray(def.levels) || def.levels.length === 0) {
    err("levels must be a non-empty array");
  } else {
    for (const l of def.levels) if (!LEVELS.includes(l)) err(`unknown level ${l}`);
    const order = def.levels.map((l) => LEVELS.indexOf(l));
    if (order.some((o, i) => i > 0 && o <= order[i - 1]))
      err("levels must be listed coarse to fine without repeats");
    if (!def.levels.includes("deso")) checkText(errors, `${name}: finestLevelReason`, def.finestLevelReason);
  }
  if (!Array.isArray(def.source) || def.source.length === 0) err("source must name at least one register");
  if (def.wholeByDefinition !== undefined) {
    const w = def.wholeByDefinition;
    if (def.kind !== "andel") err("wholeByDefinition needs kind andel");
    if (!Array.isArray(def.breakdowns) || !def.breakdowns.includes(w.breakdown))
      err(`wholeByDefinition.breakdown ${w.breakdown} is not among the breakdowns`);
    if (
      !Array.isArray(w.categories) ||
      w.categories.length === 0 ||
      w.categories.some((c) => typeof c !== "string" || !/^[a-z0-9_-]+$/.test(c))
    )
      err("wholeByDefinition.categories must be a non-empty list of publication codes");
    checkText(errors, `${name}: wholeByDefinition.reason`, w.reason);
  }
  if (!Array.isArray(def.footnotes)) err("footnotes must be an array (may be empty)");
  else {
    for (const [i, f] of def.footnotes.entries()) checkText(errors, `${name}: footnotes[${i}]`, f);
  }
  for (const [where, sql] of [
    ["universe.where", u?.where],
    ["numerator.where", def.numerator?.where],
    ["numerator.value", def.numerator?.value],
    ["denominator.where", def.denominator?.where],
    ["denominator.value", def.denominator?.value],
  ] as const) {
    if (sql !== undefined && (typeof sql !== "string" || sql.trim() === "" || sql.includes(";"))) {
      err(`${where} must be a non-empty SQL expression without ';'`);
    }
  }
  return errors;
}

/** Validates a whole registry: every definition, and unique ids. Throws with all problems listed. */
export function validateRegistry(definitions: readonly unknown[]): void {
  const errors = definitions.flatMap((d) => validateDefinition(d));
  const ids = definitions.map((d) => (d as { id?: string }).id);
  const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (duplicates.length > 0) errors.push(`duplicate ids: ${[...new Set(duplicates)].join(", ")}`);
  if (errors.length > 0) throw new Error(`Invalid indicator registry:\n${errors.join("\n")}`);
}

/** The previous years a definition needs (0, 1 or 5). */
export function previousYears(def: IndicatorDefinition): number {
  return FRAMES[def.frame].previousYears;
}
