// Number formatting as SCB writes it: `12 345,6`, `23,4 %`, `−1,5`, and `..` for a value suppressed
// for confidentiality. Pure functions without dependencies (tested in tests/src/components/).
// The thousands separator and the space before % are no-break spaces, so numbers never wrap.

/** No-break space (U+00A0): thousands separator and the space before units. */
export const NBSP = "\u00a0";
/** Minus sign (U+2212), as in SCB's tables, instead of the hyphen. */
export const MINUS = "\u2212";
/** Status codes of publicering.md: `..` suppressed for confidentiality, `.` not available. */
export const SUPPRESSED = "..";
export const NOT_AVAILABLE = ".";

/**
 * Formats a number with `decimals` decimals, a comma as decimal mark and no-break spaces between
 * groups of three digits. Rounds half away from zero on the decimal digits shown.
 */
export function formatNumber(value: number | null | undefined, decimals = 0): string {
  if (value == null || !Number.isFinite(value)) return NOT_AVAILABLE;
  const fixed = roundHalfAway(Math.abs(value), decimals);
  const [integer, fraction] = fixed.split(".");
  const grouped = integer.replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
  const negative = value < 0 && /[1-9]/.test(fixed);
  return `${negative ? MINUS : ""}${grouped}${fraction ? `,${fraction}` : ""}`;
}

/** A share in per cent (the value is already in %): `23,4 %`. */
export function formatPercent(value: number | null | undefined, decimals = 1): string {
  const number = formatNumber(value, decimals);
  return number === NOT_AVAILABLE ? number : `${number}${NBSP}%`;
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
  { unit = "antal", decimals }: { unit?: string; decimals?: number } = {},
): string {
  if (status === SUPPRESSED) return SUPPRESSED;
  if (status === NOT_AVAILABLE || varde == null) return NOT_AVAILABLE;
  if (unit === "procent" || unit === "%") return formatPercent(varde, decimals ?? 1);
  if (unit === "antal" || unit === "count") return formatNumber(varde, decimals ?? 0);
  return formatNumber(varde, decimals ?? 1);
}

// toFixed rounds the binary value (1.005 → "1.00"); scale the decimal string instead so that the digit
// shown is the one a reader expects from the decimal value.
function roundHalfAway(abs: number, decimals: number): string {
  const [mantissa, exponent = "0"] = abs.toExponential().split("e");
  const shifted = Number(`${mantissa}e${Number(exponent) + decimals}`);
  const rounded = Math.round(shifted);
  return (rounded / 10 ** decimals).toFixed(decimals);
}
