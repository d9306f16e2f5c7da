import { describe, expect, it } from "vitest";
import {
  cellValue,
  difference,
  figure,
  findCell,
  latestYear,
  yearsOf,
} from "../../../src/components/cells.ts";

const TOTALT = {
  kon: "totalt",
  alder: "totalt",
  fodelseregion: "totalt",
  vistelsetid: "totalt",
  grund: "totalt",
  utbildningsniva: "totalt",
  bakgrund: "totalt",
  omradestyp: "totalt",
};

const rows = [
  { ...TOTALT, ar: 2022, region: "00", varde: 70.5, status: null },
  { ...TOTALT, ar: 2023, region: "00", varde: 71.25, status: null },
  { ...TOTALT, ar: 2023, region: "00", fodelseregion: "utrikes", varde: 64.0, status: null },
  { ...TOTALT, ar: 2023, region: "00", fodelseregion: "sverige", varde: 80.5, status: null },
  { ...TOTALT, ar: 2023, region: "00", vistelsetid: "0-1", varde: null, status: ".." },
];

describe("latestYear and yearsOf", () => {
  it("find the years of a table", () => {
    expect(latestYear(rows)).toBe(2023);
    expect(yearsOf(rows)).toEqual([2022, 2023]);
    expect(latestYear([])).toBeUndefined();
  });
});

describe("findCell", () => {
  it("takes the cell with the given codes and totalt elsewhere", () => {
    expect(findCell(rows, { ar: 2023, fixed: { fodelseregion: "utrikes" } })?.varde).toBe(64.0);
    // No fixed codes: the all-totalt cell of 2023, not the 2022 one and not a split cell.
    expect(findCell(rows, { ar: 2023 })?.varde).toBe(71.25);
    expect(findCell(rows, { ar: 2021 })).toBeUndefined();
  });

  it("refuses a name that is not a breakdown and an ambiguous match", () => {
    expect(() => findCell(rows, { ar: 2023, fixed: { lan: "01" } })).toThrow(/'lan' is not a breakdown/);
    const twoRegions = [rows[1], { ...rows[1], region: "01" }];
    expect(() => findCell(twoRegions, { ar: 2023 })).toThrow(/2 cells/);
    expect(findCell(twoRegions, { ar: 2023, region: "01" })?.region).toBe("01");
  });
});

describe("cellValue and difference", () => {
  it("never compute with a suppressed value", () => {
    const suppressed = findCell(rows, { ar: 2023, fixed: { vistelsetid: "0-1" } });
    expect(cellValue(suppressed)).toBeNull();
    expect(difference(suppressed, rows[1])).toBeNull();
    // 80.5 − 64.0 = 16.5 percentage points.
    expect(difference(rows[3], rows[2])).toBe(16.5);
    expect(cellValue(undefined)).toBeNull();
  });
});

describe("figure", () => {
  it("formats a cell for running text and records where it came from", () => {
    const fil = "indikatorer/x/riket.parquet";
    const share = figure(rows, { fil, ar: 2023, fixed: { fodelseregion: "utrikes" }, decimals: 1 }, "sv");
    expect(share.text).toBe("64,0");
    // The English page writes the same cell with a decimal point; the source is the same.
    const english = figure(rows, { fil, ar: 2023, fixed: { fodelseregion: "utrikes" }, decimals: 1 }, "en");
    expect(english.text).toBe("64.0");
    expect(english.source).toBe(share.source);
    expect(JSON.parse(share.source)).toEqual({
      fil,
      ar: 2023,
      fixed: { fodelseregion: "utrikes" },
      decimals: 1,
    });
    // 71.25 − 70.5 = 0.75, shown with one decimal, rounded half away from zero: 0,8.
    const change = figure(rows, { fil, ar: 2023, decimals: 1, minus: { ar: 2022 } }, "sv");
    expect(change.text).toBe("0,8");
    expect(figure(rows, { fil, ar: 2023, decimals: 1, minus: { ar: 2022 } }, "en").text).toBe("0.8");
    // 70.5 − 71.25 = −0.75 → −0.8 with the minus sign U+2212.
    expect(figure(rows, { fil, ar: 2022, decimals: 1, minus: { ar: 2023 } }, "en").text).toBe("\u22120.8");
  });

  it("shows .. for a suppressed cell and . for a missing one, also in a difference", () => {
    const fil = "f";
    for (const lang of ["sv", "en"] as const) {
      expect(figure(rows, { fil, ar: 2023, fixed: { vistelsetid: "0-1" }, decimals: 1 }, lang).text).toBe(
        "..",
      );
      expect(
        figure(rows, { fil, ar: 2023, decimals: 1, minus: { ar: 2023, fixed: { vistelsetid: "0-1" } } }, lang)
          .text,
      ).toBe("..");
      expect(figure(rows, { fil, ar: 2019, decimals: 1 }, lang).text).toBe(".");
    }
  });
});
