/**
 * Flyttmönster and kvarboende: indicators that link years by lopnr.
 *
 * DeSO A = 0114C1010, B = 0114C1030 (both RegSO 0114R002), C = 0114C1020 (0114R003) in kommun 0114
 * (län 01); D = 0331A0030 (0331R003), E = 0331A0010 (0331R001) in kommun 0331 (län 03).
 *
 * | q  | 2017 | 2018 | employed 2018, age | note |
 * |----|------|------|--------------------|------|
 * | 1  | A    | D    | yes, 30            | crosses län, kommun, RegSO, DeSO |
 * | 2  | A    | B    | no                 | crosses DeSO only |
 * | 3  | A    | C    | yes, 25            | crosses RegSO and DeSO within the kommun |
 * | 4  | E    | A    | yes, 40 (woman)    | crosses everything |
 * | 5  | D    | D    | no                 | stays |
 * | 6  | A    | –    |                    | emigrated 2018 (utvandrade: 0114, A) |
 * | 7  | D    | –    |                    | died |
 * | 8  | –    | C    | no                 | immigrated 2018-05-01 |
 * | 9  | –    | A    |                    | born 2018 |
 * | 10 | E    | D    | no                 | within 0331 |
 * | 11 | D    | B    | yes, 50            | crosses everything |
 * | 12 | –    | –    |                    | immigrated and emigrated 2018 (utvandrade: 0331, no DeSO) |
 *
 * Kvarboende 2018 (from 2013): k21 A → A, k22 A → B, k23 A → D, k24 A → gone (not in 2017).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, person } from "./fixture.ts";
import { type Cell, cell, type EngineRun, hasCell, runEngine, value } from "./helpers.ts";

const A = "0114C1010";
const B = "0114C1030";
const C = "0114C1020";
const D = "0331A0030";
const E = "0331A0010";
const kommunOf = (deso: string) => deso.slice(0, 4);

function at(lopnr: number, ar: number, deso: string, extra: Partial<Person> = {}): Person {
  return person({ lopnr, ar, kommun: kommunOf(deso), deso, ...extra });
}

function population(): Person[] {
  const moves: [number, string | null, string | null, Partial<Person>][] = [
    [1, A, D, { sysselsatt: true, fodelsear: 1988 }],
    [2, A, B, {}],
    [3, A, C, { sysselsatt: true, fodelsear: 1993 }],
    [4, E, A, { sysselsatt: true, fodelsear: 1978, kon: 2 }],
    [5, D, D, {}],
    [6, A, null, {}],
    [7, D, null, {}],
    [9, null, A, { fodelsear: 2018 }],
    [10, E, D, {}],
    [11, D, B, { sysselsatt: true, fodelsear: 1968 }],
  ];
  const rows: Person[] = [];
  for (const [lopnr, from, to, extra] of moves) {
    // Employment and age describe 2018; the 2017 row is the same person a year younger.
    if (from) rows.push(at(lopnr, 2017, from, { ...extra, sysselsatt: false }));
    if (to) rows.push(at(lopnr, 2018, to, extra));
  }
  rows.push(at(8, 2018, C, { fodelseland: "PL", senaste_invandring: "2018-05-01" }));
  for (const [lopnr, to] of [
    [21, A],
    [22, B],
    [23, D],
    [24, null],
  ] as const) {
    rows.push(at(lopnr, 2013, A));
    if (to) rows.push(at(lopnr, 2018, to));
  }
  return rows;
}

const UTVANDRADE = [
  { lopnr: 6, datum: "2018-06-01", kommun: "0114", deso: A },
  { lopnr: 12, datum: "2018-09-01", kommun: "0331", deso: null },
];

let run: EngineRun;
let cells: Cell[];
const Y = 2018;
beforeAll(async () => {
  run = await runEngine({
    persons: population(),
    frameYears: [2013, 2017, 2018],
    years: [2017, 2018],
    emigrationYears: [2017, 2018],
    utvandrade: UTVANDRADE,
    indicators: [
      "inrikes_flyttnetto",
      "utrikes_flyttnetto",
      "utflyttningsrisk",
      "kvot_forvarvsarbetande_flyttare",
      "kvarboende",
    ],
  });
  cells = run.cells;
});
afterAll(() => run.con.closeSync());

const v = (indikator: string, key: Partial<Cell> = {}) => value(cells, { indikator, ar: Y, ...key });

describe("inrikes flyttnetto 2018", () => {
  it("kommun 0114: in q4, q11, out q1 → +1 (3 movers); 0331: in q1, out q4, q11 → −1", () => {
    expect(
      cell(cells, { indikator: "inrikes_flyttnetto", ar: Y, niva: "kommun", region: "0114" }),
    ).toMatchObject({
      taljare: 1,
      namnare: null,
      varde: 1,
      antal: 3,
    });
    expect(v("inrikes_flyttnetto", { niva: "kommun", region: "0331" })).toBe(-1);
    expect(v("inrikes_flyttnetto", { niva: "lan", region: "01" })).toBe(1);
    expect(v("inrikes_flyttnetto", { niva: "lan", region: "03" })).toBe(-1);
  });
  it("RegSO counts moves within the kommun: 0114R002 +2 −2 = 0, 0114R003 +1 (q3), 0331R003 +2 −1 = +1, 0331R001 −2", () => {
    expect(v("inrikes_flyttnetto", { niva: "regso", region: "0114R002" })).toBe(0);
    expect(v("inrikes_flyttnetto", { niva: "regso", region: "0114R003" })).toBe(1);
    expect(v("inrikes_flyttnetto", { niva: "regso", region: "0331R003" })).toBe(1);
    expect(v("inrikes_flyttnetto", { niva: "regso", region: "0331R001" })).toBe(-2);
  });
  it("by kön: kommun 0114 women +1 (q4), men +1 −1 = 0", () => {
    expect(v("inrikes_flyttnetto", { niva: "kommun", region: "0114", kon: "2" })).toBe(1);
    expect(v("inrikes_flyttnetto", { niva: "kommun", region: "0114", kon: "1" })).toBe(0);
  });
  it("is not published for riket or DeSO, nor for the first year", () => {
    expect(
      cells.some((c) => c.indikator === "inrikes_flyttnetto" && ["riket", "deso"].includes(c.niva)),
    ).toBe(false);
    expect(cells.some((c) => c.indikator === "inrikes_flyttnetto" && c.ar === 2017)).toBe(false);
  });
});

describe("kvot förvärvsarbetande inflyttare/utflyttare 2018", () => {
  it("kommun 0114: employed in q4, q11 / out q1 = 2.00; 0331: q1 / q4, q11 = 0.50", () => {
    expect(
      cell(cells, { indikator: "kvot_forvarvsarbetande_flyttare", ar: Y, niva: "kommun", region: "0114" }),
    ).toMatchObject({
      taljare: 2,
      namnare: 1,
      varde: 2,
      antal: 1,
      antal_taljare: 2,
    });
    expect(v("kvot_forvarvsarbetande_flyttare", { niva: "kommun", region: "0331" })).toBe(0.5);
  });
  it("RegSO 0114R002: in q4, q11 / out q1, q3 = 1.00; 0331R001: 0 in / q4 out = 0; 0114R003: no out-mover → '.'", () => {
    expect(v("kvot_forvarvsarbetande_flyttare", { niva: "regso", region: "0114R002" })).toBe(1);
    expect(v("kvot_forvarvsarbetande_flyttare", { niva: "regso", region: "0331R001" })).toBe(0);
    expect(
      cell(cells, { indikator: "kvot_forvarvsarbetande_flyttare", ar: Y, niva: "regso", region: "0114R003" }),
    ).toMatchObject({
      taljare: 1,
      namnare: 0,
      varde: null,
      status: ".",
    });
  });
});

describe("utflyttningsrisk 2018", () => {
  // Base: persons of 2017 = q1, q2, q3, q4, q5, q6, q7, q10, q11 (9).
  it("riket: q6 emigrated of 9 = 11.1 % (q7 died: denominator only)", () => {
    expect(cell(cells, { indikator: "utflyttningsrisk", ar: Y })).toMatchObject({
      taljare: 1,
      namnare: 9,
      varde: 11.1,
    });
  });
  it("kommun 0114: q1 moved, q6 emigrated of q1, q2, q3, q6 = 50 %; 0331: q4, q11 of q4, q5, q7, q10, q11 = 40 %", () => {
    expect(v("utflyttningsrisk", { niva: "kommun", region: "0114" })).toBe(50);
    expect(v("utflyttningsrisk", { niva: "kommun", region: "0331" })).toBe(40);
  });
  it("RegSO 0114R002: q1, q3, q6 of 4 = 75 % (q2 stays in the RegSO); 0331R001 100 %; 0331R003 q11 of 3 = 33.3 %", () => {
    expect(v("utflyttningsrisk", { niva: "regso", region: "0114R002" })).toBe(75);
    expect(v("utflyttningsrisk", { niva: "regso", region: "0331R001" })).toBe(100);
    expect(v("utflyttningsrisk", { niva: "regso", region: "0331R003" })).toBe(33.3);
  });
});

describe("utrikes flyttnetto 2018", () => {
  it("riket: immigration q8 − emigrations q6, q12 = −1", () => {
    expect(cell(cells, { indikator: "utrikes_flyttnetto", ar: Y })).toMatchObject({
      taljare: -1,
      varde: -1,
      antal: 3,
    });
  });
  it("0114: +1 − 1 = 0; 0331 (q12 by its last kommun) −1; RegSO 0114R003 +1, 0114R002 −1", () => {
    expect(v("utrikes_flyttnetto", { niva: "kommun", region: "0114" })).toBe(0);
    expect(v("utrikes_flyttnetto", { niva: "lan", region: "03" })).toBe(-1);
    expect(v("utrikes_flyttnetto", { niva: "kommun", region: "0331" })).toBe(-1);
    expect(v("utrikes_flyttnetto", { niva: "regso", region: "0114R003" })).toBe(1);
    expect(v("utrikes_flyttnetto", { niva: "regso", region: "0114R002" })).toBe(-1);
    expect(
      hasCell(cells, { indikator: "utrikes_flyttnetto", ar: Y, niva: "regso", region: "0331R003" }),
    ).toBe(false);
  });
  it("has no breakdowns", () => {
    const rows = cells.filter((c) => c.indikator === "utrikes_flyttnetto");
    expect(rows.length).toBeGreaterThan(0);
    expect(
      rows.every((c) => c.kon === "totalt" && c.alder === "totalt" && c.fodelseregion === "totalt"),
    ).toBe(true);
  });
});

describe("kvarboende 2018 (needs 2013)", () => {
  it("kommun 0114: k21, k22 of k21–k24 = 50 %; DeSO A: only k21 = 25 %; RegSO 0114R002: 50 %", () => {
    expect(cell(cells, { indikator: "kvarboende", ar: Y, niva: "kommun", region: "0114" })).toMatchObject({
      taljare: 2,
      namnare: 4,
      varde: 50,
    });
    expect(v("kvarboende", { niva: "deso", region: A })).toBe(25);
    expect(v("kvarboende", { niva: "regso", region: "0114R002" })).toBe(50);
    expect(v("kvarboende", { niva: "lan", region: "01" })).toBe(50);
  });
  it("is produced only where Y-5 is in the frame", () => {
    expect(cells.some((c) => c.indikator === "kvarboende" && c.ar === 2017)).toBe(false);
    expect(hasCell(cells, { indikator: "kvarboende", ar: Y, niva: "kommun", region: "0331" })).toBe(false);
  });
});

describe("without an utvandrade file for the year", () => {
  let other: EngineRun;
  beforeAll(async () => {
    other = await runEngine({
      persons: population(),
      frameYears: [2017, 2018],
      years: [2018],
      emigrationYears: [],
      indicators: ["utrikes_flyttnetto", "utflyttningsrisk", "inrikes_flyttnetto"],
    });
  });
  afterAll(() => other.con.closeSync());
  it("utrikes flyttnetto and utflyttningsrisk are published as not available ('.')", () => {
    const na = other.cells.filter((c) => c.indikator !== "inrikes_flyttnetto");
    expect(na.length).toBeGreaterThan(0);
    expect(na.every((c) => c.status === "." && c.varde === null && c.taljare === null)).toBe(true);
    expect(cell(other.cells, { indikator: "utrikes_flyttnetto", ar: Y }).status).toBe(".");
  });
  it("inrikes flyttnetto does not need emigrations", () => {
    expect(
      value(other.cells, { indikator: "inrikes_flyttnetto", ar: Y, niva: "kommun", region: "0114" }),
    ).toBe(1);
  });
});
