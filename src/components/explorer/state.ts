// The explorer's selection and its encoding in the URL's query string, so that a view can be shared
// and a shared URL restores it. Pure functions (tested in tests/src/components/explorer/).

/** Levels the explorer offers; `omradestyp` is a level file (riket) split by the `omradestyp` column. */
export const NIVAER = ["riket", "lan", "kommun", "regso", "deso", "omradestyp"] as const;
export type Niva = (typeof NIVAER)[number];

/** Breakdowns the explorer offers (columns of the indikatorer/ tables), or `ingen` for none. */
export const UPPDELNINGAR = [
  "ingen",
  "kon",
  "alder",
  "utbildningsniva",
  "fodelseregion",
  "vistelsetid",
  "grund",
  "bakgrund",
  "omradestyp",
] as const;
export type Uppdelning = (typeof UPPDELNINGAR)[number];

export interface ExplorerState {
  indikator: string;
  niva: Niva;
  /** Regions to compare (codes); empty = the default choice of the page. */
  regioner: string[];
  uppdelning: Uppdelning;
  /** First and last year of the time series; the comparison chart and the map show `till`. */
  fran: number | null;
  till: number | null;
}

/** What the published data offer; decoding keeps a state within these. */
export interface ExplorerOptions {
  indikatorer: readonly string[];
  nivaer: (indikator: string) => readonly Niva[];
  regioner: (niva: Niva) => readonly string[];
  ar: readonly number[];
}

/** The file level a state reads: `omradestyp` reads the riket table split by områdestyp. */
export function fileLevel(niva: Niva): Exclude<Niva, "omradestyp"> {
  return niva === "omradestyp" ? "riket" : niva;
}

/** The breakdown actually shown: at level `omradestyp` the series are always the områdestyper. */
export function effectiveBreakdown(state: Pick<ExplorerState, "niva" | "uppdelning">): Uppdelning {
  return state.niva === "omradestyp" ? "omradestyp" : state.uppdelning;
}

/**
 * The query string of a state, keys in a fixed order, e.g.
 * `?indikator=forvarvsarbetande&niva=lan&regioner=01,03&uppdelning=kon&fran=2019&till=2023`.
 */
export function encodeState(state: ExplorerState): string {
  const parts: [string, string][] = [
    ["indikator", state.indikator],
    ["niva", state.niva],
  ];
  if (state.regioner.length > 0) parts.push(["regioner", state.regioner.join(",")]);
  parts.push(["uppdelning", state.uppdelning]);
  if (state.fran != null) parts.push(["fran", String(state.fran)]);
  if (state.till != null) parts.push(["till", String(state.till)]);
  // Codes are [A-Za-z0-9_-]; encodeURIComponent keeps the commas readable after unescaping them.
  return `?${parts.map(([key, value]) => `${key}=${encodeURIComponent(value).replaceAll("%2C", ",")}`).join("&")}`;
}

/**
 * The state of a query string, every part checked against the options: an unknown indicator, level,
 * region, breakdown or year falls back to the first offered (or drops the region), so an old or
 * mistyped URL still opens a valid view.
 */
export function decodeState(search: string, options: ExplorerOptions): ExplorerState {
  const params = new URLSearchParams(search);
  const indikator = pick(params.get("indikator"), options.indikatorer) ?? options.indikatorer[0] ?? "";
  const offeredLevels = options.nivaer(indikator);
  const niva = (pick(params.get("niva"), offeredLevels) ?? offeredLevels[0] ?? "riket") as Niva;
  const offeredRegions = new Set(options.regioner(niva));
  const regioner = [
    ...new Set((params.get("regioner") ?? "").split(",").filter((code) => offeredRegions.has(code))),
  ];
  const uppdelning = (pick(params.get("uppdelning"), UPPDELNINGAR) ?? "ingen") as Uppdelning;
  const years = [...options.ar].sort((a, b) => a - b);
  let fran = pickYear(params.get("fran"), years) ?? years[0] ?? null;
  let till = pickYear(params.get("till"), years) ?? years[years.length - 1] ?? null;
  if (fran != null && till != null && fran > till) [fran, till] = [till, fran];
  return { indikator, niva, regioner, uppdelning, fran, till };
}

function pick<T extends string>(value: string | null, offered: readonly T[]): T | undefined {
  return value != null && (offered as readonly string[]).includes(value) ? (value as T) : undefined;
}

function pickYear(value: string | null, years: readonly number[]): number | undefined {
  if (value == null || !/^\d{4}$/.test(value)) return undefined;
  const year = Number(value);
  return years.includes(year) ? year : undefined;
}
