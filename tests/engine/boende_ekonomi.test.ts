/**
 * Boende and ekonomi: household-based indicators (2018, prisbasbelopp 45,500 kr).
 *
 * | hh | DeSO | rooms | tenure      | members (age: disp_ink = loneinkomst)                   | units | standard |
 * |----|------|-------|-------------|---------------------------------------------------------|-------|----------|
 * | 1  | A    | 2     | hyresratt   | a1 40: 300,000; a2 (woman) 38: 190,000; c1 10, c2 5: 0  | 2.45  | 490,000 / 2.45 = 200,000 |
 * | 2  | A    | 1     | bostadsratt | b1 30: 150,000                                          | 1.00  | 150,000 |
 * | 3  | A    | 3     | aganderatt  | d1 50: 300,000; d2 24: 100,000*; d3 22: 22,000*          | 2.11  | 422,000 / 2.11 = 200,000 |
 * | 4  | D    | 1     | unknown     | e1 45: 150,000; e2 44: 53,000; e3 3: 0                  | 2.03  | 203,000 / 2.03 = 100,000 |
 * | –  | B    | –     | –           | f1 25: 40,000 (no household; bistånd 9 months)           | 1.00  | 40,000 |
 * | 5  | B    | –     | hyresratt   | g1 27: 60,000 (bistånd 10 months)                        | 1.00  | 60,000 |
 * (* lives with a parent)  A = 0114C1010, B = 0114C1030 (kommun 0114); D = 0331A0030 (kommun 0331).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, person } from "./fixture.ts";
import { type Cell, cell, type EngineRun, hasCell, runEngine, value } from "./helpers.ts";

const A = "0114C1010";
const B = "0114C1030";
const D = "0331A0030";
const Y = 2018;

function member(
  lopnr: number,
  age: number,
  disp: number,
  deso: string,
  hushall: number | null,
  rooms: number | null,
  tenure: string | null,
  extra: Partial<Person> = {},
): Person {
  return person({
    lopnr,
    ar: Y,
    fodelsear: Y - age,
    kommun: deso.slice(0, 4),
    deso,
    hushall_id: hushall,
    antal_rum: rooms,
    upplatelseform: tenure,
    bor_med_foralder: hushall === null ? null : false,
    disp_ink: disp,
    loneinkomst: disp,
    ...extra,
  });
}

const population = (): Person[] => [
  member(1, 40, 300_000, A, 1, 2, "hyresratt"),
  member(2, 38, 190_000, A, 1, 2, "hyresratt", { kon: 2 }),
  member(3, 10, 0, A, 1, 2, "hyresratt", { bor_med_foralder: true }),
  member(4, 5, 0, A, 1, 2, "hyresratt", { bor_med_foralder: true }),
  member(5, 30, 150_000, A, 2, 1, "bostadsratt"),
  member(6, 50, 300_000, A, 3, 3, "aganderatt"),
  member(7, 24, 100_000, A, 3, 3, "aganderatt", { bor_med_foralder: true }),
  member(8, 22, 22_000, A, 3, 3, "aganderatt", { bor_med_foralder: true }),
  member(9, 45, 150_000, D, 4, 1, null),
  member(10, 44, 53_000, D, 4, 1, null),
  member(11, 3, 0, D, 4, 1, null, { bor_med_foralder: true }),
  member(12, 25, 40_000, B, null, null, null, { ekbistand_manader: 9 }),
  member(13, 27, 60_000, B, 5, null, "hyresratt", { ekbistand_manader: 10 }),
];

let run: EngineRun;
let cells: Cell[];
beforeAll(async () => {
  run = await runEngine({
    persons: population(),
    frameYears: [Y],
    years: [Y],
    indicators: [
      "boende_aganderatt",
      "boende_bostadsratt",
      "boende_hyresratt",
      "hemmaboende_vuxna_barn",
      "trangbodda",
      "disponibel_inkomst_medel",
      "disponibel_inkomst_median",
      "lag_loneinkomst",
      "lag_ekonomisk_standard",
      "ekonomisk_standard_median",
      "langvarigt_ekonomiskt_bistand",
    ],
  });
  cells = run.cells;
});
afterAll(() => run.con.closeSync());

const v = (indikator: string, key: Partial<Cell> = {}) => value(cells, { indikator, ar: Y, ...key });

describe("boende", () => {
  // Known tenure: hh 1 (4), hh 2 (1), hh 3 (3), hh 5 (1) = 9 persons.
  it("upplåtelseform: hyresrätt 5/9 = 55.6 %, bostadsrätt 1/9 = 11.1 %, äganderätt 3/9 = 33.3 %", () => {
    expect(cell(cells, { indikator: "boende_hyresratt", ar: Y })).toMatchObject({
      taljare: 5,
      namnare: 9,
      varde: 55.6,
    });
    expect(v("boende_bostadsratt")).toBe(11.1);
    expect(v("boende_aganderatt")).toBe(33.3);
  });
  it("hyresrätt by age: 0–19 c1, c2 of 2 = 100 %; 20–64 a1, a2, g1 of 7 = 42.9 %", () => {
    expect(v("boende_hyresratt", { alder: "0-19" })).toBe(100);
    expect(v("boende_hyresratt", { alder: "20-64" })).toBe(42.9);
  });
  it("kommun 0331 has only unknown tenure: zero denominator, status '.'", () => {
    expect(
      cell(cells, { indikator: "boende_hyresratt", ar: Y, niva: "kommun", region: "0331" }),
    ).toMatchObject({
      namnare: 0,
      varde: null,
      status: ".",
    });
  });
  it("trångbodda: hh 1 (4 persons, 1 bedroom) and hh 4 (3 persons in 1 room) of 11 = 63.6 %", () => {
    // hh 2: 1 person in 1 room is not crowded; hh 3: 3 persons, 2 bedrooms is not; hh 5 has no room count.
    expect(cell(cells, { indikator: "trangbodda", ar: Y })).toMatchObject({
      taljare: 7,
      namnare: 11,
      varde: 63.6,
    });
    expect(v("trangbodda", { niva: "kommun", region: "0331" })).toBe(100);
    expect(v("trangbodda", { niva: "kommun", region: "0114" })).toBe(50);
  });
  it("hemmaboende vuxna barn: 20–29 in households d2, d3, g1 (f1 has no household, b1 is 30) → 2/3 = 66.7 %", () => {
    expect(cell(cells, { indikator: "hemmaboende_vuxna_barn", ar: Y })).toMatchObject({
      taljare: 2,
      namnare: 3,
      varde: 66.7,
    });
    expect(hasCell(cells, { indikator: "hemmaboende_vuxna_barn", ar: Y, alder: "20-64" })).toBe(false);
  });
});

describe("ekonomi", () => {
  // Persons 20–64: a1, a2, b1, d1, d2, d3, e1, e2, f1, g1 (10); disp_ink sum 1,365,000 kr.
  it("disponibel inkomst, medel: 1,365,000 / 10 / 45,500 = 3.00 prisbasbelopp; täljare 30 pbb", () => {
    expect(cell(cells, { indikator: "disponibel_inkomst_medel", ar: Y })).toMatchObject({
      taljare: 30,
      namnare: 10,
      varde: 3,
    });
    // kommun 0331: (150,000 + 53,000) / 2 / 45,500 = 2.2308
    expect(v("disponibel_inkomst_medel", { niva: "kommun", region: "0331" })).toBe(2.23);
  });
  it("disponibel inkomst, median: (100,000 + 150,000) / 2 / 45,500 = 2.75 pbb (even count: interpolated)", () => {
    expect(cell(cells, { indikator: "disponibel_inkomst_median", ar: Y })).toMatchObject({
      taljare: null,
      namnare: 10,
      varde: 2.75,
      antal: 10,
    });
    expect(v("disponibel_inkomst_median", { kon: "2" })).toBe(4.18); // a2 alone: 190,000 / 45,500 = 4.176
  });
  it("låg löneinkomst: below 1.5 × 45,500 = 68,250: d3, f1, e2, g1 → 4/10 = 40 %", () => {
    expect(v("lag_loneinkomst")).toBe(40);
  });
  it("långvarigt ekonomiskt bistånd: g1 (10 months), not f1 (9) → 1/10 = 10 %", () => {
    expect(v("langvarigt_ekonomiskt_bistand")).toBe(10);
  });
  it("ekonomisk standard median over all 13: the 7th of 40k, 60k, 100k ×3, 150k, 200k ×7 = 200,000 kr", () => {
    expect(cell(cells, { indikator: "ekonomisk_standard_median", ar: Y })).toMatchObject({
      varde: 200_000,
      namnare: 13,
    });
    expect(v("ekonomisk_standard_median", { niva: "kommun", region: "0331" })).toBe(100_000);
    expect(v("ekonomisk_standard_median", { niva: "deso", region: B })).toBe(50_000); // (40,000 + 60,000) / 2
    expect(v("ekonomisk_standard_median", { alder: "0-19" })).toBe(200_000); // 100k, 200k, 200k
  });
  it("låg ekonomisk standard: below 0.6 × 200,000 = 120,000: f1, g1 and hh 4 → 5/13 = 38.5 %", () => {
    expect(cell(cells, { indikator: "lag_ekonomisk_standard", ar: Y })).toMatchObject({
      taljare: 5,
      namnare: 13,
      varde: 38.5,
    });
    expect(v("lag_ekonomisk_standard", { niva: "kommun", region: "0331" })).toBe(100);
    expect(v("lag_ekonomisk_standard", { niva: "kommun", region: "0114" })).toBe(20);
  });
});

describe("without områdestyper (the areas step has not typed any RegSO)", () => {
  it("persons count in the totals but in no områdestyp cell", () => {
    expect(cells.filter((c) => c.omradestyp !== "totalt")).toEqual([]);
    // Every person with known tenure lives in 0114 (hh 4 in 0331 has none): 5 of 9 = 55.6 %.
    expect(v("boende_hyresratt", { niva: "kommun", region: "0114" })).toBe(55.6);
  });
});
