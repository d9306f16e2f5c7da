import { describe, expect, it } from "vitest";
import { formatCell, formatNumber, formatPercent } from "../../../src/components/format.ts";

// SCB's style: no-break space (U+00A0) between groups of three digits and before %, comma as decimal
// mark, minus sign U+2212. Written out here with the escapes so that the expectations are unambiguous.
const S = "\u00a0";
const M = "\u2212";

describe("formatNumber", () => {
  it("groups thousands with a no-break space and uses a decimal comma", () => {
    expect(formatNumber(12345.6, 1)).toBe(`12${S}345,6`);
    expect(formatNumber(1234567)).toBe(`1${S}234${S}567`);
    expect(formatNumber(999)).toBe("999");
    expect(formatNumber(0.5, 2)).toBe("0,50");
  });

  it("rounds half away from zero on the decimal value", () => {
    // 1.005 is stored as 1.00499999999999989…, so toFixed(2) gives "1.00"; the reader expects 1,01.
    expect(formatNumber(1.005, 2)).toBe("1,01");
    expect(formatNumber(2.5)).toBe("3");
    expect(formatNumber(-2.5)).toBe(`${M}3`);
    // 999.95 rounds up to 1 000,0: the carry creates a new group.
    expect(formatNumber(999.95, 1)).toBe(`1${S}000,0`);
  });

  it("writes negative numbers with a minus sign, but never −0", () => {
    expect(formatNumber(-1.5, 1)).toBe(`${M}1,5`);
    expect(formatNumber(-1234.5, 1)).toBe(`${M}1${S}234,5`);
    // −0.04 rounds to 0.0 at one decimal: no sign.
    expect(formatNumber(-0.04, 1)).toBe("0,0");
  });

  it("shows a missing value as '.'", () => {
    expect(formatNumber(null)).toBe(".");
    expect(formatNumber(undefined)).toBe(".");
    expect(formatNumber(Number.NaN)).toBe(".");
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe(".");
  });
});

describe("formatPercent", () => {
  it("puts a no-break space before the per cent sign", () => {
    expect(formatPercent(23.4)).toBe(`23,4${S}%`);
    expect(formatPercent(23.45)).toBe(`23,5${S}%`);
    expect(formatPercent(100, 0)).toBe(`100${S}%`);
    expect(formatPercent(null)).toBe(".");
  });
});

describe("formatCell", () => {
  it("shows suppressed cells as '..' and cells not available as '.'", () => {
    expect(formatCell({ varde: null, status: ".." }, { unit: "procent" })).toBe("..");
    // status wins over a value: a suppressed cell never shows a number.
    expect(formatCell({ varde: 12, status: ".." })).toBe("..");
    expect(formatCell({ varde: null, status: "." })).toBe(".");
    expect(formatCell({ varde: null, status: null })).toBe(".");
  });

  it("formats published values in the indicator's unit", () => {
    expect(formatCell({ varde: 23.44, status: null }, { unit: "procent" })).toBe(`23,4${S}%`);
    expect(formatCell({ varde: 10345678, status: null }, { unit: "antal" })).toBe(`10${S}345${S}678`);
    // Other units (prisbasbelopp, days, ratios) get one decimal by default: 2.345 → 2,3.
    expect(formatCell({ varde: 2.345, status: null }, { unit: "prisbasbelopp" })).toBe("2,3");
    expect(formatCell({ varde: 2.345, status: null }, { unit: "prisbasbelopp", decimals: 2 })).toBe("2,35");
  });
});
