import { describe, expect, it } from "vitest";
import { selectCells } from "../../../src/components/indicators.ts";
import { FODELSEREGION, label } from "../../../src/components/labels.ts";

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

// Five cells of one year: the total, two födelseregioner, one of them by kön, and a vistelsetid cell.
const rows = [
  { id: 1, ...TOTALT },
  { id: 2, ...TOTALT, fodelseregion: "sverige" },
  { id: 3, ...TOTALT, fodelseregion: "utrikes" },
  { id: 4, ...TOTALT, fodelseregion: "utrikes", kon: "2" },
  { id: 5, ...TOTALT, vistelsetid: "0-1" },
];

describe("selectCells", () => {
  it("keeps the cells split by the named breakdowns only", () => {
    // split födelseregion, everything else totalt: the total (1) and the two regions (2, 3); not 4 (kön 2)
    // nor 5 (vistelsetid 0-1).
    expect(selectCells(rows, { split: ["fodelseregion"] }).map((r) => r.id)).toEqual([1, 2, 3]);
  });

  it("pins breakdowns to a code", () => {
    expect(selectCells(rows, { fixed: { kon: "2" }, split: ["fodelseregion"] }).map((r) => r.id)).toEqual([
      4,
    ]);
    expect(selectCells(rows).map((r) => r.id)).toEqual([1]);
  });

  it("rejects a column that is not a breakdown", () => {
    expect(() => selectCells(rows, { split: ["region"] })).toThrow("'region' is not a breakdown column");
  });
});

describe("label", () => {
  it("gives the label in the language asked for, and the code when there is none", () => {
    expect(label(FODELSEREGION, "sverige", "sv")).toBe("Född i Sverige");
    expect(label(FODELSEREGION, "sverige", "en")).toBe("Born in Sweden");
    expect(label(FODELSEREGION, "okand", "sv")).toBe("okand");
  });
});
