/**
 * Arbetsmarknad and demografi on a hand-made population, and the mechanics every indicator shares:
 * levels, breakdowns, margins, områdestyp, zero denominators, sort order.
 *
 * Population (ages on 31 Dec 2018; DeSO A = 0114C1010 and B = 0114C1030 form RegSO 0114R002,
 * C = 0114C1020 is 0114R003 — Upplands Väsby, län 01; D = 0331A0030 and D2 = 0331A0040 form 0331R003,
 * E = 0331A0010 is 0331R001 — Heby, län 03):
 *
 * | p  | kön | age | born | imm.       | grund       | DeSO | 2018: syss/föret/chef/ssyk/utb | af (months) | 2017 |
 * |----|-----|-----|------|------------|-------------|------|--------------------------------|-------------|------|
 * | 1  | 1   | 30  | SE   |            |             | A    | yes / –   / yes / 4 / 4          |             | syss |
 * | 2  | 2   | 22  | SE   |            |             | A    | yes / yes / no  / 2 / 3          |             | syss, föret |
 * | 3  | 1   | 45  | IQ   | 2016-06-01 | skyddsbehov | C    | no                / 1            | öppet (7)   | syss, föret |
 * | 4  | 2   | 60  | PL   | 2005-01-01 | arbete      | D    | no                / null         | program (3) | – |
 * | 5  | 1   | 19  | SE   |            |             | D    | yes               / 2            |             | – |
 * | 6  | 2   | 65  | SE   |            |             | D2   | yes               / 2            |             | syss (64) |
 * | 7  | 1   | 40  | SE   |            |             | E    | yes / yes / yes / 3 / 2          |             | syss, föret |
 * | 8  | 2   | 50  | SE, parents IQ |  |             | E    | no                / 2            |             | – |
 * | 9  | 1   | 35  | NO   | 2000-01-01 | (none)      | B    | yes / –  / null / null / 4       |             | syss |
 * | 10 | 1   | 40 in 2017 | SE |      |             | A    | only in 2017: syss                              |
 * | 11 | 2   | 8   | SY   | 2018-02-01 | anhorig_skyddsbehov | C | no / null                |             | – |
 *
 * Områdestyp (set as the areas step would): 0114R002 → 1, 0114R003 → 5, 0331R003 → 5, 0331R001 → 3.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../data-loaders/db.ts";
import { computeIndicators, SORT_KEY } from "../../data-loaders/engine/compute.ts";
import { person } from "./fixture.ts";
import { type Cell, cell, type EngineRun, hasCell, runEngine, value } from "./helpers.ts";

const A = "0114C1010";
const B = "0114C1030";
const C = "0114C1020";
const D = "0331A0030";
const D2 = "0331A0040";
const E = "0331A0010";

function population() {
  const rows = [];
  for (const ar of [2017, 2018]) {
    const born = (a2018: number) => 2018 - a2018; // the same person in both years
    const y18 = ar === 2018;
    rows.push(
      person({
        lopnr: 1,
        ar,
        fodelsear: born(30),
        deso: A,
        sysselsatt: true,
        chef: true,
        ssyk_niva: 4,
        utbildningsniva: 4,
      }),
      person({
        lopnr: 2,
        ar,
        kon: 2,
        fodelsear: born(22),
        deso: A,
        sysselsatt: true,
        foretagare: true,
        chef: false,
        ssyk_niva: 2,
        utbildningsniva: 3,
      }),
      person({
        lopnr: 3,
        ar,
        fodelsear: born(45),
        fodelseland: "IQ",
        fodelseland_mor: "IQ",
        fodelseland_far: "IQ",
        senaste_invandring: "2016-06-01",
        grund_for_bosattning: "skyddsbehov",
        deso: C,
        sysselsatt: !y18,
        foretagare: !y18,
        af_status: y18 ? "oppet_arbetslos" : null,
        arbetslos_manader: y18 ? 7 : 0,
        utbildningsniva: 1,
      }),
      person({
        lopnr: 4,
        ar,
        kon: 2,
        fodelsear: born(60),
        fodelseland: "PL",
        senaste_invandring: "2005-01-01",
        grund_for_bosattning: "arbete",
        kommun: "0331",
        deso: D,
        af_status: y18 ? "program_aktivitetsstod" : null,
        arbetslos_manader: y18 ? 3 : 0,
        utbildningsniva: null,
      }),
      person({ lopnr: 5, ar, fodelsear: born(19), kommun: "0331", deso: D, sysselsatt: y18 }),
      person({ lopnr: 6, ar, kon: 2, fodelsear: born(65), kommun: "0331", deso: D2, sysselsatt: true }),
      person({
        lopnr: 7,
        ar,
        fodelsear: born(40),
        kommun: "0331",
        deso: E,
        sysselsatt: true,
        foretagare: true,
        chef: true,
        ssyk_niva: 3,
      }),
      person({
        lopnr: 8,
        ar,
        kon: 2,
        fodelsear: born(50),
        fodelseland_mor: "IQ",
        fodelseland_far: "IQ",
        kommun: "0331",
        deso: E,
      }),
      person({
        lopnr: 9,
        ar,
        fodelsear: born(35),
        fodelseland: "NO",
        senaste_invandring: "2000-01-01",
        deso: B,
        sysselsatt: true,
        utbildningsniva: 4,
      }),
    );
  }
  rows.push(person({ lopnr: 10, ar: 2017, fodelsear: 1977, deso: A, sysselsatt: true }));
  rows.push(
    person({
      lopnr: 11,
      ar: 2018,
      kon: 2,
      fodelsear: 2010,
      fodelseland: "SY",
      senaste_invandring: "2018-02-01",
      grund_for_bosattning: "anhorig_skyddsbehov",
      deso: C,
      utbildningsniva: null,
    }),
  );
  return rows;
}

let run: EngineRun;
let cells: Cell[];
const Y = 2018;
beforeAll(async () => {
  run = await runEngine({
    persons: population(),
    frameYears: [2017, 2018],
    years: [2017, 2018],
    indicators: [
      "forvarvsarbetande",
      "foretagare",
      "inskrivna_arbetslosa",
      "oppet_arbetslosa",
      "program_aktivitetsstod",
      "langtidsarbetslosa",
      "kvar_i_sysselsattning",
      "kvar_som_foretagare",
      "chefer",
      "kvalificerat_arbete_eftergymnasial",
      "folkmangd",
      "andel_utrikes_fodda",
      "andel_utlandsk_bakgrund",
      "nyanlanda_skyddsbehov",
    ],
    omradestyp: { "0114R002": "1", "0114R003": "5", "0331R003": "5", "0331R001": "3" },
  });
  cells = run.cells;
});
afterAll(() => run.con.closeSync());

const v = (indikator: string, key: Partial<Cell> = {}, ar = Y) => value(cells, { indikator, ar, ...key });

describe("arbetsmarknad, riket 2018", () => {
  // Universe 20–64: p1, p2, p3, p4, p7, p8, p9 = 7 (p5 is 19, p6 is 65, p11 is 8).
  it("forvarvsarbetande: p1, p2, p7, p9 of 7 = 57.1 %", () => {
    const c = cell(cells, { indikator: "forvarvsarbetande", ar: Y });
    expect(c).toMatchObject({
      taljare: 4,
      namnare: 7,
      varde: 57.1,
      status: null,
      antal: 7,
      antal_taljare: 4,
    });
    expect(c.bidragsgivare).toBeNull();
  });
  it("foretagare: p2, p7 of the 4 employed = 50 %", () => {
    expect(cell(cells, { indikator: "foretagare", ar: Y })).toMatchObject({
      taljare: 2,
      namnare: 4,
      varde: 50,
    });
  });
  it("inskrivna arbetslösa: p3, p4 of 7 = 28.6 %", () => {
    expect(v("inskrivna_arbetslosa")).toBe(28.6);
  });
  it("öppet arbetslösa p3 and program p4: 1 of 7 = 14.3 % each", () => {
    expect(v("oppet_arbetslosa")).toBe(14.3);
    expect(v("program_aktivitetsstod")).toBe(14.3);
  });
  it("långtidsarbetslösa: only p3 has more than 6 months = 14.3 %", () => {
    expect(cell(cells, { indikator: "langtidsarbetslosa", ar: Y })).toMatchObject({
      taljare: 1,
      varde: 14.3,
    });
  });
  it("chefer: p1, p7 of 4 employed = 50 % (p9 has no occupation: denominator only)", () => {
    expect(cell(cells, { indikator: "chefer", ar: Y })).toMatchObject({ taljare: 2, namnare: 4, varde: 50 });
  });
  it("kvalificerat arbete: employed with utb 3–4 are p1, p2, p9; ssyk 3–4 only p1 = 33.3 %", () => {
    expect(cell(cells, { indikator: "kvalificerat_arbete_eftergymnasial", ar: Y })).toMatchObject({
      taljare: 1,
      namnare: 3,
      varde: 33.3,
    });
  });
  it("2017: universe p1, p2, p3, p4, p6 (64), p7, p8, p9, p10 = 9; employed 7 → 77.8 %", () => {
    expect(cell(cells, { indikator: "forvarvsarbetande", ar: 2017 })).toMatchObject({
      taljare: 7,
      namnare: 9,
      varde: 77.8,
    });
  });
});

describe("longitudinal arbetsmarknad (needs Y-1)", () => {
  it("kvar i sysselsättning 2018: employed 20–64 in 2017 p1, p2, p3, p6, p7, p9, p10; still employed p1, p2, p6, p7, p9 → 5/7 = 71.4 %", () => {
    expect(cell(cells, { indikator: "kvar_i_sysselsattning", ar: Y })).toMatchObject({
      taljare: 5,
      namnare: 7,
      varde: 71.4,
    });
  });
  it("by kön of 2017: men p1, p3, p7, p9, p10 → 3/5 = 60 %; women p2, p6 → 100 %", () => {
    expect(v("kvar_i_sysselsattning", { kon: "1" })).toBe(60);
    expect(v("kvar_i_sysselsattning", { kon: "2" })).toBe(100);
  });
  it("kvar som företagare: företagare in 2017 p2, p3, p7; still p2, p7 → 66.7 %", () => {
    expect(cell(cells, { indikator: "kvar_som_foretagare", ar: Y })).toMatchObject({
      taljare: 2,
      namnare: 3,
      varde: 66.7,
    });
  });
  it("is not produced for the first year of the extract", () => {
    expect(cells.some((c) => c.indikator === "kvar_i_sysselsattning" && c.ar === 2017)).toBe(false);
  });
});

describe("breakdowns of forvarvsarbetande 2018", () => {
  it("kön: men p1, p3, p7, p9 → 3/4 = 75 %; women p2, p4, p8 → 1/3 = 33.3 %", () => {
    expect(v("forvarvsarbetande", { kon: "1" })).toBe(75);
    expect(v("forvarvsarbetande", { kon: "2" })).toBe(33.3);
  });
  it("age bands 20–24 (p2) 100, 25–34 (p1) 100, 35–44 (p7, p9) 100, 45–54 (p3, p8) 0, 55–64 (p4) 0", () => {
    expect(v("forvarvsarbetande", { alder: "20-24" })).toBe(100);
    expect(v("forvarvsarbetande", { alder: "25-34" })).toBe(100);
    expect(cell(cells, { indikator: "forvarvsarbetande", ar: Y, alder: "35-44" })).toMatchObject({
      namnare: 2,
    });
    expect(v("forvarvsarbetande", { alder: "45-54" })).toBe(0);
    expect(v("forvarvsarbetande", { alder: "55-64" })).toBe(0);
    // Only the indicator's own bands: no 0–19 or 65– band for a 20–64 indicator.
    expect(hasCell(cells, { indikator: "forvarvsarbetande", ar: Y, alder: "65-" })).toBe(false);
  });
  it("age band crossed with kön: 45–54 women is p8 alone, not employed", () => {
    expect(cell(cells, { indikator: "forvarvsarbetande", ar: Y, alder: "45-54", kon: "2" })).toMatchObject({
      taljare: 0,
      namnare: 1,
      varde: 0,
    });
  });
  it("utbildningsnivå, with null as saknas: förgymn p3 0 %, gymn p7, p8 50 %, eftergymn p1, p2, p9 100 %, saknas p4 0 %", () => {
    expect(v("forvarvsarbetande", { utbildningsniva: "forgymnasial" })).toBe(0);
    expect(v("forvarvsarbetande", { utbildningsniva: "gymnasial" })).toBe(50);
    expect(v("forvarvsarbetande", { utbildningsniva: "eftergymnasial" })).toBe(100);
    expect(cell(cells, { indikator: "forvarvsarbetande", ar: Y, utbildningsniva: "saknas" })).toMatchObject({
      namnare: 1,
      varde: 0,
    });
  });
  it("födelseregion (PL is EU in 2018) and utrikes = all non-Swedish classes", () => {
    expect(v("forvarvsarbetande", { fodelseregion: "sverige" })).toBe(75); // p1, p2, p7 of p1, p2, p7, p8
    expect(v("forvarvsarbetande", { fodelseregion: "norden" })).toBe(100); // p9
    expect(v("forvarvsarbetande", { fodelseregion: "eu_efta" })).toBe(0); // p4
    expect(v("forvarvsarbetande", { fodelseregion: "ovriga" })).toBe(0); // p3
    expect(cell(cells, { indikator: "forvarvsarbetande", ar: Y, fodelseregion: "utrikes" })).toMatchObject({
      taljare: 1,
      namnare: 3,
      varde: 33.3,
    });
    expect(v("forvarvsarbetande", { fodelseregion: "utrikes", kon: "1" })).toBe(50); // p3, p9
  });
  it("vistelsetid and grund cover utrikes födda only, with fodelseregion totalt", () => {
    // p3: 943 days → 2–3 år; p4, p9: 10– år. No cell for inrikes födda.
    expect(v("forvarvsarbetande", { vistelsetid: "2-3" })).toBe(0);
    expect(cell(cells, { indikator: "forvarvsarbetande", ar: Y, vistelsetid: "10-" })).toMatchObject({
      taljare: 1,
      namnare: 2,
    });
    expect(v("forvarvsarbetande", { grund: "skyddsbehov" })).toBe(0); // p3
    expect(v("forvarvsarbetande", { grund: "ovriga" })).toBe(50); // p4 (arbete), p9 (none recorded)
    const split = cells.filter(
      (c) => c.indikator === "forvarvsarbetande" && c.ar === Y && c.vistelsetid !== "totalt",
    );
    expect(split.every((c) => c.fodelseregion === "totalt")).toBe(true);
    // 0–1 år holds only p11 (8 years old): the cell exists with an empty universe.
    expect(cell(cells, { indikator: "forvarvsarbetande", ar: Y, vistelsetid: "0-1" })).toMatchObject({
      namnare: 0,
      varde: null,
      status: ".",
    });
  });
  it("bakgrund: utländsk p3, p4, p8, p9 → 1/4 = 25 %; svensk p1, p2, p7 → 100 %", () => {
    expect(v("forvarvsarbetande", { bakgrund: "utlandsk" })).toBe(25);
    expect(v("forvarvsarbetande", { bakgrund: "svensk" })).toBe(100);
  });
  it("områdestyp: 1 (p1, p2, p9) 100 %, 3 (p7, p8) 50 %, 5 (p3, p4) 0 %, and crossed with kön", () => {
    expect(v("forvarvsarbetande", { omradestyp: "1" })).toBe(100);
    expect(v("forvarvsarbetande", { omradestyp: "3" })).toBe(50);
    expect(v("forvarvsarbetande", { omradestyp: "5" })).toBe(0);
    expect(v("forvarvsarbetande", { omradestyp: "3", kon: "2" })).toBe(0);
    expect(v("forvarvsarbetande", { omradestyp: "3", niva: "kommun", region: "0331" })).toBe(50);
  });
  it("two background variables are never crossed with each other", () => {
    const crossed = cells.filter(
      (c) =>
        [c.alder, c.fodelseregion, c.utbildningsniva, c.bakgrund, c.omradestyp].filter((x) => x !== "totalt")
          .length > 1,
    );
    expect(crossed).toEqual([]);
  });
});

describe("levels of forvarvsarbetande 2018", () => {
  it("län and kommun: 01/0114 p1, p2, p3, p9 → 75 %; 03/0331 p4, p7, p8 → 33.3 %", () => {
    expect(v("forvarvsarbetande", { niva: "lan", region: "01" })).toBe(75);
    expect(v("forvarvsarbetande", { niva: "lan", region: "03" })).toBe(33.3);
    expect(v("forvarvsarbetande", { niva: "kommun", region: "0114" })).toBe(75);
    expect(v("forvarvsarbetande", { niva: "kommun", region: "0331" })).toBe(33.3);
    expect(v("forvarvsarbetande", { niva: "kommun", region: "0331", bakgrund: "utlandsk", kon: "2" })).toBe(
      0,
    );
  });
  it("RegSO: 0114R002 (A, B) 100 %, 0114R003 (C) 0 %, 0331R001 (E) 50 %", () => {
    expect(v("forvarvsarbetande", { niva: "regso", region: "0114R002" })).toBe(100);
    expect(v("forvarvsarbetande", { niva: "regso", region: "0114R003" })).toBe(0);
    expect(v("forvarvsarbetande", { niva: "regso", region: "0331R001" })).toBe(50);
  });
  it("RegSO and DeSO carry totalt, kön and inrikes/utrikes född only", () => {
    expect(v("forvarvsarbetande", { niva: "regso", region: "0331R001", fodelseregion: "sverige" })).toBe(50);
    expect(v("forvarvsarbetande", { niva: "regso", region: "0114R002", fodelseregion: "utrikes" })).toBe(100);
    expect(v("forvarvsarbetande", { niva: "deso", region: A, kon: "2" })).toBe(100);
    const fine = cells.filter((c) => c.niva === "regso" || c.niva === "deso");
    expect(
      fine.filter((c) =>
        [c.alder, c.utbildningsniva, c.bakgrund, c.vistelsetid, c.grund, c.omradestyp].some(
          (x) => x !== "totalt",
        ),
      ),
    ).toEqual([]);
    expect(new Set(fine.map((c) => c.fodelseregion))).toEqual(new Set(["totalt", "sverige", "utrikes"]));
  });
  it("a DeSO with persons but nobody aged 20–64 has a zero denominator: value NULL, status '.'", () => {
    // D2 = 0331A0040 holds only p6 (65).
    expect(cell(cells, { indikator: "forvarvsarbetande", ar: Y, niva: "deso", region: D2 })).toMatchObject({
      taljare: 0,
      namnare: 0,
      varde: null,
      status: ".",
    });
  });
});

describe("demografi 2018", () => {
  // Persons: p1–p9 and p11 = 10; utrikes födda p3, p4, p9, p11; utländsk bakgrund also p8.
  it("folkmängd: 10 in riket, 5 in 0114 (p1, p2, p3, p9, p11), 5 in 0331", () => {
    expect(cell(cells, { indikator: "folkmangd", ar: Y })).toMatchObject({
      taljare: 10,
      namnare: null,
      varde: 10,
      status: null,
      antal: 10,
    });
    expect(v("folkmangd", { niva: "kommun", region: "0114" })).toBe(5);
    expect(v("folkmangd", { niva: "lan", region: "03" })).toBe(5);
  });
  it("folkmängd by age band 0–19 (p5, p11), 20–64 (7), 65– (p6)", () => {
    expect(v("folkmangd", { alder: "0-19" })).toBe(2);
    expect(v("folkmangd", { alder: "20-64" })).toBe(7);
    expect(v("folkmangd", { alder: "65-" })).toBe(1);
  });
  it("folkmängd by vistelsetid 0–1 (p11), 2–3 (p3), 10– (p4, p9); grund skyddsbehov (p3, p11); utb saknas (p4, p11)", () => {
    expect(v("folkmangd", { vistelsetid: "0-1" })).toBe(1);
    expect(v("folkmangd", { vistelsetid: "2-3" })).toBe(1);
    expect(v("folkmangd", { vistelsetid: "10-" })).toBe(2);
    expect(v("folkmangd", { grund: "skyddsbehov" })).toBe(2);
    expect(v("folkmangd", { utbildningsniva: "saknas" })).toBe(2);
    expect(v("folkmangd", { fodelseregion: "utrikes" })).toBe(4);
  });
  it("andel utrikes födda: 4/10 = 40 %; women p2, p4, p6, p8, p11 → 2/5 = 40 %", () => {
    expect(cell(cells, { indikator: "andel_utrikes_fodda", ar: Y })).toMatchObject({
      taljare: 4,
      namnare: 10,
      varde: 40,
    });
    expect(v("andel_utrikes_fodda", { kon: "2" })).toBe(40);
  });
  it("andel utländsk bakgrund: 5/10 = 50 %; among inrikes födda p8 of 6 = 16.7 %", () => {
    expect(v("andel_utlandsk_bakgrund")).toBe(50);
    expect(v("andel_utlandsk_bakgrund", { fodelseregion: "sverige" })).toBe(16.7);
  });
  it("nyanlända skyddsbehövande: p11 (0–1 år, anhörig) counts, p3 (2–3 år) does not", () => {
    expect(v("nyanlanda_skyddsbehov")).toBe(1);
    expect(v("nyanlanda_skyddsbehov", { kon: "1" })).toBe(0);
    expect(v("nyanlanda_skyddsbehov", { niva: "regso", region: "0114R003" })).toBe(1);
    expect(v("nyanlanda_skyddsbehov", { niva: "kommun", region: "0331" })).toBe(0);
  });
});

describe("the table", () => {
  it("has the publicering.md columns plus the disclosure-control columns, and no lopnr", async () => {
    const columns = await queryRows<{ column_name: string; data_type: string }>(
      run.con,
      "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'indikatorer_raw' ORDER BY column_index",
    );
    expect(columns.map((c) => `${c.column_name}:${c.data_type}`)).toEqual([
      "indikator:VARCHAR",
      "ar:SMALLINT",
      "niva:VARCHAR",
      "region:VARCHAR",
      "kon:VARCHAR",
      "alder:VARCHAR",
      "fodelseregion:VARCHAR",
      "vistelsetid:VARCHAR",
      "grund:VARCHAR",
      "utbildningsniva:VARCHAR",
      "bakgrund:VARCHAR",
      "omradestyp:VARCHAR",
      "taljare:DOUBLE",
      "namnare:DOUBLE",
      "varde:DOUBLE",
      "status:VARCHAR",
      "antal:BIGINT",
      "antal_taljare:BIGINT",
      "bidragsgivare:BIGINT",
      "storsta_bidrag:DOUBLE",
    ]);
  });
  it("is sorted by the publication key and has no duplicate cells", () => {
    const key = (c: Cell) =>
      SORT_KEY.map((k) => String((c as unknown as Record<string, unknown>)[k])).join("\u0000");
    const keys = cells.map(key);
    const sorted = [...keys].sort((a, b) => {
      const pa = a.split("\u0000");
      const pb = b.split("\u0000");
      for (let i = 0; i < pa.length; i++) {
        const x = i === 1 ? Number(pa[i]) : pa[i];
        const y = i === 1 ? Number(pb[i]) : pb[i];
        if (x < y) return -1;
        if (x > y) return 1;
      }
      return 0;
    });
    expect(keys).toEqual(sorted);
    expect(new Set(keys).size).toBe(keys.length);
  });
  it("uses only publication codes in the breakdown columns", () => {
    expect(new Set(cells.map((c) => c.niva))).toEqual(new Set(["riket", "lan", "kommun", "regso", "deso"]));
    expect(new Set(cells.map((c) => c.kon))).toEqual(new Set(["totalt", "1", "2"]));
    expect(new Set(cells.map((c) => c.bakgrund))).toEqual(new Set(["totalt", "svensk", "utlandsk"]));
    expect(cells.every((c) => c.ar === 2017 || c.ar === 2018)).toBe(true);
  });
});

describe("bad requests", () => {
  it("rejects an unknown indicator id", async () => {
    await expect(
      computeIndicators(run.con, {
        years: [Y],
        emigrationYears: [],
        indicators: ["forvarvsarbetande", "nope"],
      }),
    ).rejects.toThrow(/unknown indicator id\(s\) nope/);
  });
  it("rejects a year that is not in person_ar", async () => {
    await expect(
      computeIndicators(run.con, { years: [2030], emigrationYears: [], indicators: ["folkmangd"] }),
    ).rejects.toThrow(/person_ar has no rows for year\(s\) 2030/);
  });
});
