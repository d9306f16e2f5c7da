import { describe, expect, it } from "vitest";
import { formatCell, formatNumber, formatPercent, formatSigned } from "../../../src/components/format.ts";
import type { Lang } from "../../../src/components/labels.ts";

// Swedish (SCB's style): no-break space (U+00A0) between groups of three digits and before %, comma as
// decimal mark. English: comma between groups, point as decimal mark, no space before %. Both: minus
// sign U+2212, `..` suppressed, `.` not available. Written with escapes so the expectations are
// unambiguous.
const S = "\u00a0";
const M = "\u2212";

describe("formatNumber", () => {
  it("groups thousands and sets the decimal mark of the language", () => {
    expect(formatNumber(12345.6, 1, "sv")).toBe(`12${S}345,6`);
    expect(formatNumber(12345.6, 1, "en")).toBe("12,345.6");
    expect(formatNumber(1234567, 0, "sv")).toBe(`1${S}234${S}567`);
    expect(formatNumber(1234567, 0, "en")).toBe("1,234,567");
    expect(formatNumber(999, 0, "sv")).toBe("999");
    expect(formatNumber(999, 0, "en")).toBe("999");
    expect(formatNumber(0.5, 2, "sv")).toBe("0,50");
    expect(formatNumber(0.5, 2, "en")).toBe("0.50");
  });

  it("rounds half away from zero on the decimal value", () => {
    // 1.005 is stored as 1.00499999999999989…, so toFixed(2) gives "1.00"; the reader expects 1,01.
    expect(formatNumber(1.005, 2, "sv")).toBe("1,01");
    expect(formatNumber(1.005, 2, "en")).toBe("1.01");
    expect(formatNumber(2.5, 0, "sv")).toBe("3");
    expect(formatNumber(-2.5, 0, "en")).toBe(`${M}3`);
    // 999.95 rounds up to 1 000,0: the carry creates a new group.
    expect(formatNumber(999.95, 1, "sv")).toBe(`1${S}000,0`);
    expect(formatNumber(999.95, 1, "en")).toBe("1,000.0");
  });

  it("writes negative numbers with a minus sign, but never −0", () => {
    expect(formatNumber(-1.5, 1, "sv")).toBe(`${M}1,5`);
    expect(formatNumber(-1234.5, 1, "sv")).toBe(`${M}1${S}234,5`);
    expect(formatNumber(-1234.5, 1, "en")).toBe(`${M}1,234.5`);
    // −0.04 rounds to 0.0 at one decimal: no sign.
    expect(formatNumber(-0.04, 1, "sv")).toBe("0,0");
    expect(formatNumber(-0.04, 1, "en")).toBe("0.0");
  });

  it("writes zero with the decimals asked for", () => {
    expect(formatNumber(0, 0, "sv")).toBe("0");
    expect(formatNumber(0, 1, "sv")).toBe("0,0");
    expect(formatNumber(0, 1, "en")).toBe("0.0");
  });

  it("shows a missing value as '.' in both languages", () => {
    for (const lang of ["sv", "en"] as const) {
      expect(formatNumber(null, 0, lang)).toBe(".");
      expect(formatNumber(undefined, 1, lang)).toBe(".");
      expect(formatNumber(Number.NaN, 0, lang)).toBe(".");
      expect(formatNumber(Number.POSITIVE_INFINITY, 0, lang)).toBe(".");
    }
  });

  it("refuses a call without a known language", () => {
    expect(() => formatNumber(1, 0, undefined as unknown as Lang)).toThrow(/unknown language/);
    expect(() => formatNumber(1, 0, "de" as Lang)).toThrow(/unknown language 'de'/);
  });
});

describe("formatPercent", () => {
  it("writes the per cent sign after a no-break space in Swedish and directly in English", () => {
    expect(formatPercent(23.4, 1, "sv")).toBe(`23,4${S}%`);
    expect(formatPercent(23.4, 1, "en")).toBe("23.4%");
    expect(formatPercent(23.45, 1, "sv")).toBe(`23,5${S}%`);
    expect(formatPercent(100, 0, "en")).toBe("100%");
    expect(formatPercent(-2.25, 1, "en")).toBe(`${M}2.3%`);
    expect(formatPercent(0, 1, "sv")).toBe(`0,0${S}%`);
    expect(formatPercent(null, 1, "sv")).toBe(".");
    expect(formatPercent(null, 1, "en")).toBe(".");
  });
});

describe("formatSigned", () => {
  it("puts + before increases, − before decreases and no sign on zero", () => {
    expect(formatSigned(2, 1, "sv")).toBe("+2,0");
    expect(formatSigned(2, 1, "en")).toBe("+2.0");
    expect(formatSigned(-1234.5, 1, "sv")).toBe(`${M}1${S}234,5`);
    expect(formatSigned(-1234.5, 1, "en")).toBe(`${M}1,234.5`);
    expect(formatSigned(0, 1, "sv")).toBe("0,0");
    // 0.04 rounds to 0.0: no sign either way.
    expect(formatSigned(0.04, 1, "en")).toBe("0.0");
    expect(formatSigned(-0.04, 1, "en")).toBe("0.0");
    expect(formatSigned(null, 1, "sv")).toBe(".");
  });
});

describe("formatCell", () => {
  it("shows suppressed cells as '..' and cells not available as '.' in both languages", () => {
    for (const lang of ["sv", "en"] as const) {
      expect(formatCell({ varde: null, status: ".." }, { unit: "procent", lang })).toBe("..");
      // status wins over a value: a suppressed cell never shows a number.
      expect(formatCell({ varde: 12, status: ".." }, { lang })).toBe("..");
      expect(formatCell({ varde: null, status: "." }, { lang })).toBe(".");
      expect(formatCell({ varde: null, status: null }, { lang })).toBe(".");
    }
  });

  it("formats published values in the indicator's unit and the page's language", () => {
    expect(formatCell({ varde: 23.44, status: null }, { unit: "procent", lang: "sv" })).toBe(`23,4${S}%`);
    expect(formatCell({ varde: 23.44, status: null }, { unit: "procent", lang: "en" })).toBe("23.4%");
    expect(formatCell({ varde: 10345678, status: null }, { unit: "antal", lang: "sv" })).toBe(
      `10${S}345${S}678`,
    );
    expect(formatCell({ varde: 10345678, status: null }, { unit: "antal", lang: "en" })).toBe("10,345,678");
    // Other units (prisbasbelopp, days, ratios) get one decimal by default: 2.345 → 2,3.
    expect(formatCell({ varde: 2.345, status: null }, { unit: "prisbasbelopp", lang: "sv" })).toBe("2,3");
    expect(
      formatCell({ varde: 2.345, status: null }, { unit: "prisbasbelopp", decimals: 2, lang: "en" }),
    ).toBe("2.35");
    expect(formatCell({ varde: -3.25, status: null }, { unit: "kr", decimals: 1, lang: "sv" })).toBe(
      `${M}3,3`,
    );
    expect(formatCell({ varde: 0, status: null }, { unit: "procent", lang: "en" })).toBe("0.0%");
  });

  it("refuses a call without a known language, even for a suppressed cell", () => {
    expect(() => formatCell({ varde: null, status: ".." }, {} as { lang: Lang })).toThrow(/unknown language/);
  });
});
