// Number formatting in the page's language. Swedish as SCB writes it: `12 345,6`, `23,4 %`, `−1,5`;
// English: `12,345.6`, `23.4%`, `−1.5`. Both use `..` for a value suppressed for confidentiality and
// `.` for one not available (SCB uses the same symbols in its English tables). Pure functions without
// dependencies (tested in tests/src/components/). In Swedish the thousands separator and the space
// before % are no-break spaces, so numbers never wrap.
import type { Lang } from "./labels.js";

/** No-break space (U+00A0): the Swedish thousands separator and the space before units. */
export const NBSP = "\u00a0";
/** Minus sign (U+2212), as in SCB's tables, instead of the hyphen (in both languages). */
export const MINUS = "\u2212";
/** Status codes of publicering.md: `..` suppressed for confidentiality, `.` not available. */
export const SUPPRESSED = "..";
export const NOT_AVAILABLE = ".";

const STYLE: Record<Lang, { group: string; decimal: string; percent: string }> = {
  sv: { group: NBSP, decimal: ",", percent: `${NBSP}%` },
  en: { group: ",", decimal: ".", percent: "%" },
};

// The language decides every separator, so a page that forgets to pass it fails loudly instead of
// showing Swedish numbers on an English page.
function styleOf(lang: Lang): { group: string; decimal: string; percent: string } {
  const style = STYLE[lang];
  if (!style) throw new Error(`format: unknown language '${String(lang)}' (expected 'sv' or 'en')`);
  return style;
}

/**
 * Formats a number with `decimals` decimals in the page's language: `12 345,6` (sv) or `12,345.6`
 * (en). Rounds half away from zero on the decimal digits shown; `.` when the value is missing.
 */
export function formatNumber(value: number | null | undefined, decimals: number, lang: Lang): string {
  const { group, decimal } = styleOf(lang);
  if (value == null || !Number.isFinite(value)) return NOT_AVAILABLE;
  const fixed = roundHalfAway(Math.abs(value), decimals);
  const [integer, fraction] = fixed.split(".");
  const grouped = integer.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const negative = value < 0 && /[1-9]/.test(fixed);
  return `${negative ? MINUS : ""}${grouped}${fraction ? `${decimal}${fraction}` : ""}`;
}

/** A share in per cent (the value is already in %): `23,4 %` (sv) or `23.4%` (en). */
export function formatPercent(value: number | null | undefined, decimals: number, lang: Lang): string {
  const number = formatNumber(value, decimals, lang);
  return number === NOT_AVAILABLE ? number : `${number}${styleOf(lang).percent}`;
}

/**
 * A change with its sign: `+2,0`, `−1,5`, and `0,0` without a sign when it rounds to zero (sv; `+2.0`
 * in English). For differences between years or publications.
 */
export function formatSigned(value: number | null | undefined, decimals: number, lang: Lang): string {
  const number = formatNumber(value, decimals, lang);
  if (number === NOT_AVAILABLE || number.startsWith(MINUS) || !/[1-9]/.test(number)) return number;
  return `+${number}`;
}

/** The value columns of a published cell (publicering.md). */
export interface Cell {
  varde: number | null | undefined;
  status?: string | null;
}

/**
 * A published cell as text: `..` when suppressed, `.` when not available, else the value in the
 * indicator's unit (`procent` → `23,4 %`, `antal` → `12 345`, others with `decimals` decimals).
 */
export function formatCell(
  { varde, status }: Cell,
  { unit = "antal", decimals, lang }: { unit?: string; decimals?: number; lang: Lang },
): string {
  styleOf(lang);
  if (status === SUPPRESSED) return SUPPRESSED;
  if (status === NOT_AVAILABLE || varde == null) return NOT_AVAILABLE;
  if (unit === "procent" || unit === "%") return formatPercent(varde, decimals ?? 1, lang);
  if (unit === "antal" || unit === "count") return formatNumber(varde, decimals ?? 0, lang);
  return formatNumber(varde, decimals ?? 1, lang);
}

// toFixed rounds the binary value (1.005 → "1.00"); scale the decimal string instead so that the digit
// shown is the one a reader expects from the decimal value.
function roundHalfAway(abs: number, decimals: number): string {
  const [mantissa, exponent = "0"] = abs.toExponential().split("e");
  const shifted = Number(`${mantissa}e${Number(exponent) + decimals}`);
  const rounded = Math.round(shifted);
  return (rounded / 10 ** decimals).toFixed(decimals);
}
