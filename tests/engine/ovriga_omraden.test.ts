/**
 * Försörjning, utbildning, hälsa and demokrati (2018, an election year; 2017 is not).
 *
 * | r  | kön | age | DeSO | born      | utb  | syss | stud | netto   | transfers                          | ohälsodagar | other |
 * |----|-----|-----|------|-----------|------|------|------|---------|------------------------------------|-------------|-------|
 * | 1  | 1   | 45  | A    | SE        | 4    | yes  | yes  | 200,000 | sjukpenning 50,000                 | 30          | röstberättigad, röstade |
 * | 2  | 2   | 35  | A    | SE        | 3    | yes  | no   | 300,000 | a-kassa 30,000, bistånd 10,000     | 0           | röstberättigad, röstade ej |
 * | 3  | 1   | 25  | C    | SE        | 1    | no   | no   | 100,000 | sjuk-/aktivitetsersättning 100,000 | 365         | röstberättigad, röstade |
 * | 4  | 2   | 70  | A    | SE        | 2    | no   | no   | 500,000 | sjukpenning 99,999                 | 0           | röstberättigad, röstade |
 * | 5  | 1   | 23  | E    | SE        | 2    | no   | yes  | 0       |                                    | 0           | |
 * | 6  | 1   | 17  | D    | SE        | 2    | no   | no   |         |                                    |             | |
 * | 7  | 2   | 16  | D    | SE        | 2    | no   | yes  |         |                                    |             | behörig gymnasiet |
 * | 8  | 1   | 16  | D    | SE        | 2    | no   | yes  |         |                                    |             | ej behörig gymnasiet |
 * | 9–11 | 1 | 19  | A    | SE        | 2    | no   | yes  |         |                                    |             | behörig högskola: yes, no, yes |
 * | 12 | 1   | 35  | C    | IQ 2015   | 2    | yes  | no   | 0       |                                    | 0           | skyddsbehov; sfi godkänd |
 * | 13 | 2   | 40  | C    | SY 2014   | null | no   | no   | 0       |                                    | 12.5        | sfi ej godkänd; ej röstberättigad |
 *
 * A = 0114C1010, C = 0114C1020 (kommun 0114); D = 0331A0030, E = 0331A0010 (kommun 0331).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, person } from "./fixture.ts";
import { type Cell, cell, type EngineRun, hasCell, runEngine, value } from "./helpers.ts";

const A = "0114C1010";
const C = "0114C1020";
const D = "0331A0030";
const E = "0331A0010";
const Y = 2018;

const p = (lopnr: number, age: number, deso: string, extra: Partial<Person>): Person =>
  person({ lopnr, ar: Y, fodelsear: Y - age, kommun: deso.slice(0, 4), deso, ...extra });

const population = (): Person[] => [
  p(1, 45, A, {
    utbildningsniva: 4,
    sysselsatt: true,
    studerande: true,
    nettoinkomst: 200_000,
    sjukpenning: 50_000,
    ohalsodagar: 30,
    rostberattigad: true,
    rostade: true,
  }),
  p(2, 35, A, {
    kon: 2,
    utbildningsniva: 3,
    sysselsatt: true,
    nettoinkomst: 300_000,
    arbetsloshetsersattning: 30_000,
    ekonomiskt_bistand: 10_000,
    rostberattigad: true,
    rostade: false,
  }),
  p(3, 25, C, {
    utbildningsniva: 1,
    nettoinkomst: 100_000,
    sjuk_aktivitetsersattning: 100_000,
    ohalsodagar: 365,
    rostberattigad: true,
    rostade: true,
  }),
  p(4, 70, A, { kon: 2, nettoinkomst: 500_000, sjukpenning: 99_999, rostberattigad: true, rostade: true }),
  p(5, 23, E, { studerande: true }),
  p(6, 17, D, {}),
  p(7, 16, D, { kon: 2, studerande: true, behorig_gymnasiet: true }),
  p(8, 16, D, { studerande: true, behorig_gymnasiet: false }),
  p(9, 19, A, { studerande: true, behorig_hogskola: true }),
  p(10, 19, A, { studerande: true, behorig_hogskola: false }),
  p(11, 19, A, { studerande: true, behorig_hogskola: true }),
  p(12, 35, C, {
    fodelseland: "IQ",
    senaste_invandring: "2015-01-01",
    grund_for_bosattning: "skyddsbehov",
    sysselsatt: true,
    sfi_godkand: true,
  }),
  p(13, 40, C, {
    kon: 2,
    fodelseland: "SY",
    senaste_invandring: "2014-01-01",
    grund_for_bosattning: "anhorig_ovrig",
    utbildningsniva: null,
    ohalsodagar: 12.5,
    sfi_godkand: false,
    rostberattigad: false,
  }),
  // 2017 is not an election year.
  person({ lopnr: 1, ar: 2017, fodelsear: 1973, deso: A, nettoinkomst: 100_000, sjukpenning: 1_000 }),
];

let run: EngineRun;
let cells: Cell[];
beforeAll(async () => {
  run = await runEngine({
    persons: population(),
    frameYears: [2017, Y],
    years: [2017, Y],
    indicators: [
      "andel_sjukpenning",
      "andel_sjuk_aktivitetsersattning",
      "andel_arbetsloshetsersattning",
      "andel_ekonomiskt_bistand",
      "andel_etableringsersattning",
      "studerande",
      "neet_16_19",
      "neet_20_25",
      "neet_20_64",
      "behoriga_gymnasiet",
      "behoriga_hogskola",
      "sfi_godkanda",
      "eftergymnasial_utbildning",
      "forgymnasial_utbildning",
      "ohalsotal",
      "andel_med_ohalsodagar",
      "valdeltagande_riksdag",
    ],
  });
  cells = run.cells;
});
afterAll(() => run.con.closeSync());

const v = (indikator: string, key: Partial<Cell> = {}) => value(cells, { indikator, ar: Y, ...key });

describe("försörjning (sums of money, persons 20–64: r1, r2, r3, r5, r12, r13; nettoinkomst 600,000)", () => {
  it("sjukpenning 50,000 / 600,000 = 8.3 %, one contributor, largest 50,000 (r4 is 70: outside)", () => {
    expect(cell(cells, { indikator: "andel_sjukpenning", ar: Y })).toMatchObject({
      taljare: 50_000,
      namnare: 600_000,
      varde: 8.3,
      antal: 6,
      antal_taljare: null,
      bidragsgivare: 1,
      storsta_bidrag: 50_000,
    });
  });
  it("sjuk-/aktivitetsersättning 16.7 %, a-kassa 5.0 %, bistånd 1.7 %, etablering 0.0 % with no contributor", () => {
    expect(v("andel_sjuk_aktivitetsersattning")).toBe(16.7);
    expect(v("andel_arbetsloshetsersattning")).toBe(5);
    expect(v("andel_ekonomiskt_bistand")).toBe(1.7);
    expect(cell(cells, { indikator: "andel_etableringsersattning", ar: Y })).toMatchObject({
      taljare: 0,
      varde: 0,
      bidragsgivare: 0,
    });
  });
  it("a group whose nettoinkomst sums to zero is not available: DeSO E holds r5 with 0 kr", () => {
    expect(cell(cells, { indikator: "andel_sjukpenning", ar: Y, niva: "deso", region: E })).toMatchObject({
      namnare: 0,
      varde: null,
      status: ".",
    });
  });
  it("2017: r1 alone, 1,000 / 100,000 = 1.0 %", () => {
    expect(value(cells, { indikator: "andel_sjukpenning", ar: 2017 })).toBe(1);
  });
});

describe("utbildning", () => {
  it("studerande 20–64: r1, r5 of 6 = 33.3 %", () => {
    expect(v("studerande")).toBe(33.3);
  });
  it("NEET 20–64: r3, r13 of 6 = 33.3 %; 20–25: r3 of r3, r5 = 50 %; 16–19: r6 of r6–r11 = 16.7 %", () => {
    expect(v("neet_20_64")).toBe(33.3);
    expect(cell(cells, { indikator: "neet_20_25", ar: Y })).toMatchObject({
      taljare: 1,
      namnare: 2,
      varde: 50,
    });
    expect(cell(cells, { indikator: "neet_16_19", ar: Y })).toMatchObject({
      taljare: 1,
      namnare: 6,
      varde: 16.7,
    });
    expect(cells.some((c) => c.indikator === "neet_16_19" && c.alder !== "totalt")).toBe(false);
  });
  it("behöriga gymnasiet: r7 of r7, r8 = 50 %; högskola: r9, r11 of r9–r11 = 66.7 %", () => {
    expect(v("behoriga_gymnasiet")).toBe(50);
    expect(v("behoriga_gymnasiet", { kon: "2" })).toBe(100);
    expect(cell(cells, { indikator: "behoriga_hogskola", ar: Y })).toMatchObject({
      taljare: 2,
      namnare: 3,
      varde: 66.7,
    });
  });
  it("sfi godkända: r12 of r12, r13 = 50 %; skyddsbehov (r12) 100 %, övriga (r13) 0 %", () => {
    expect(v("sfi_godkanda")).toBe(50);
    expect(v("sfi_godkanda", { grund: "skyddsbehov" })).toBe(100);
    expect(v("sfi_godkanda", { grund: "ovriga" })).toBe(0);
  });
  it("utbildningsnivå 25–64 (r1, r2, r3, r12, r13): eftergymnasial 2/5 = 40 %, förgymnasial 1/5 = 20 %", () => {
    expect(v("eftergymnasial_utbildning")).toBe(40);
    expect(v("forgymnasial_utbildning")).toBe(20);
  });
  it("25–64 bands: 25–34 r3 only; 35–44 r2, r12, r13 → eftergymnasial 33.3 %; no 20–24 band", () => {
    expect(v("forgymnasial_utbildning", { alder: "25-34" })).toBe(100);
    expect(v("eftergymnasial_utbildning", { alder: "35-44" })).toBe(33.3);
    expect(v("eftergymnasial_utbildning", { alder: "45-54" })).toBe(100);
    expect(hasCell(cells, { indikator: "eftergymnasial_utbildning", ar: Y, alder: "20-24" })).toBe(false);
    expect(
      cells.some((c) => c.indikator === "eftergymnasial_utbildning" && c.utbildningsniva !== "totalt"),
    ).toBe(false);
  });
});

describe("hälsa", () => {
  it("ohälsotal: (30 + 0 + 365 + 0 + 0 + 12.5) / 6 = 67.9 days", () => {
    expect(cell(cells, { indikator: "ohalsotal", ar: Y })).toMatchObject({
      taljare: 407.5,
      namnare: 6,
      varde: 67.9,
    });
  });
  it("andel med ohälsodagar: r1, r3, r13 of 6 = 50 %", () => {
    expect(v("andel_med_ohalsodagar")).toBe(50);
  });
});

describe("demokrati", () => {
  it("valdeltagande: röstberättigade r1–r4, röstade r1, r3, r4 → 75 %", () => {
    expect(cell(cells, { indikator: "valdeltagande_riksdag", ar: Y })).toMatchObject({
      taljare: 3,
      namnare: 4,
      varde: 75,
    });
  });
  it("by the valdeltagande bands: 18–29 r3 100 %, 30–49 r1, r2 50 %, 65– r4 100 %", () => {
    expect(v("valdeltagande_riksdag", { alder: "18-29" })).toBe(100);
    expect(v("valdeltagande_riksdag", { alder: "30-49" })).toBe(50);
    expect(v("valdeltagande_riksdag", { alder: "65-" })).toBe(100);
  });
  it("is produced for election years only", () => {
    expect(cells.some((c) => c.indikator === "valdeltagande_riksdag" && c.ar === 2017)).toBe(false);
  });
});
