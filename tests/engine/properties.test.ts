/**
 * Properties over generated small populations: counts and sums add up across levels, shares stay
 * within their denominators, and the same input gives the same table.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { INDICATORS } from "../../data-loaders/engine/registry/index.ts";
import { type Person, person } from "./fixture.ts";
import { type Cell, runEngine } from "./helpers.ts";

/** Two kommuner in län 01 (0114, 0180), one in län 03 (0331); a few DeSO each; null = no address. */
const PLACES: [string, string | null][] = [
  ["0114", "0114C1010"],
  ["0114", "0114C1030"],
  ["0114", "0114C1020"],
  ["0114", null],
  ["0180", "0180C1010"],
  ["0180", "0180C1020"],
  ["0331", "0331A0030"],
  ["0331", "0331A0010"],
];
const LANDS = ["SE", "SE", "SE", "NO", "PL", "GB", "IQ", "XX"];

const personArb = fc.record({
  kon: fc.constantFrom(1 as const, 2 as const),
  age: fc.integer({ min: 0, max: 90 }),
  land: fc.constantFrom(...LANDS),
  immigrated: fc.integer({ min: 1990, max: 2018 }),
  grund: fc.constantFrom(null, "skyddsbehov", "anhorig_skyddsbehov", "arbete"),
  place2017: fc.option(fc.integer({ min: 0, max: PLACES.length - 1 }), { nil: null }),
  place2018: fc.option(fc.integer({ min: 0, max: PLACES.length - 1 }), { nil: null }),
  sysselsatt: fc.boolean(),
  sysselsatt2017: fc.boolean(),
  utb: fc.constantFrom(null, 1, 2, 3, 4),
  hushall: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }),
  tenure: fc.constantFrom(null, "aganderatt", "bostadsratt", "hyresratt"),
  netto: fc.integer({ min: 0, max: 400_000 }),
  sjukpenning: fc.integer({ min: 0, max: 50_000 }),
  ohalsodagar: fc.constantFrom(0, 0, 12.5, 100, 365),
});

type Generated = typeof personArb extends fc.Arbitrary<infer T> ? T : never;

function toPersons(generated: Generated[]): Person[] {
  const rows: Person[] = [];
  generated.forEach((g, i) => {
    for (const [ar, place, syss] of [
      [2017, g.place2017, g.sysselsatt2017],
      [2018, g.place2018, g.sysselsatt],
    ] as const) {
      if (place === null) continue;
      const [kommun, deso] = PLACES[place];
      rows.push(
        person({
          lopnr: i + 1,
          ar,
          kon: g.kon,
          fodelsear: 2018 - g.age,
          fodelseland: g.land,
          senaste_invandring: g.land === "SE" ? null : `${Math.min(g.immigrated, ar)}-03-01`,
          grund_for_bosattning: g.land === "SE" ? null : g.grund,
          kommun,
          deso,
          sysselsatt: syss,
          utbildningsniva: g.utb,
          hushall_id: g.hushall === null ? null : g.hushall * 10 + place,
          antal_rum: g.hushall === null ? null : 2,
          upplatelseform: g.tenure,
          nettoinkomst: g.netto,
          disp_ink: g.netto,
          sjukpenning: g.sjukpenning,
          ohalsodagar: g.ohalsodagar,
        }),
      );
    }
  });
  return rows;
}

const INDICATORS_UNDER_TEST = [
  "folkmangd",
  "nyanlanda_skyddsbehov",
  "forvarvsarbetande",
  "kvar_i_sysselsattning",
  "inrikes_flyttnetto",
  "utflyttningsrisk",
  "boende_hyresratt",
  "trangbodda",
  "andel_sjukpenning",
  "ohalsotal",
  "disponibel_inkomst_median",
];

const BREAKDOWN = (c: Cell) =>
  [
    c.indikator,
    c.ar,
    c.kon,
    c.alder,
    c.fodelseregion,
    c.vistelsetid,
    c.grund,
    c.utbildningsniva,
    c.bakgrund,
    c.omradestyp,
  ].join("|");

/** Sums of taljare and namnare per breakdown at one level (län of a kommun: first two digits). */
function sums(cells: Cell[], niva: string, group: (region: string) => string) {
  const out = new Map<string, { t: number; n: number }>();
  for (const c of cells) {
    if (c.niva !== niva) continue;
    const key = `${BREAKDOWN(c)}|${group(c.region)}`;
    const s = out.get(key) ?? { t: 0, n: 0 };
    s.t += c.taljare ?? 0;
    s.n += c.namnare ?? 0;
    out.set(key, s);
  }
  return out;
}

const ADDITIVE = new Set(
  INDICATORS.filter((d) => d.kind !== "median" && INDICATORS_UNDER_TEST.includes(d.id)).map((d) => d.id),
);

describe("properties over generated populations", () => {
  it("kommun adds up to län and län to riket; shares lie within their denominators", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(personArb, { minLength: 5, maxLength: 30 }), async (generated) => {
        const run = await runEngine({
          persons: toPersons(generated),
          frameYears: [2017, 2018],
          years: [2018],
          emigrationYears: [2018],
          indicators: INDICATORS_UNDER_TEST,
        });
        try {
          const cells = run.cells.filter((c) => ADDITIVE.has(c.indikator));
          const kommunByLan = sums(cells, "kommun", (r) => r.slice(0, 2));
          const lan = sums(cells, "lan", (r) => r);
          // Moving out of a kommun is not moving out of its län: only the denominator of
          // utflyttningsrisk adds up. Net flows do add up (a move inside the län nets to zero).
          const levelDependent = (key: string) => key.startsWith("utflyttningsrisk|");
          for (const [key, s] of lan) {
            const k = kommunByLan.get(key) ?? { t: 0, n: 0 };
            if (!levelDependent(key)) expect(k.t).toBeCloseTo(s.t, 6);
            expect(k.n).toBeCloseTo(s.n, 6);
          }
          const lanTotal = sums(cells, "lan", () => "00");
          for (const [key, s] of sums(cells, "riket", () => "00")) {
            const l = lanTotal.get(key) ?? { t: 0, n: 0 };
            if (!levelDependent(key)) expect(l.t).toBeCloseTo(s.t, 6);
            expect(l.n).toBeCloseTo(s.n, 6);
          }
          for (const c of run.cells) {
            if (c.indikator === "folkmangd" || c.indikator === "nyanlanda_skyddsbehov") {
              expect(c.taljare).toBeGreaterThanOrEqual(0);
            }
            if (
              [
                "forvarvsarbetande",
                "kvar_i_sysselsattning",
                "boende_hyresratt",
                "trangbodda",
                "utflyttningsrisk",
              ].includes(c.indikator)
            ) {
              expect(c.taljare).toBeGreaterThanOrEqual(0);
              expect(c.taljare).toBeLessThanOrEqual(c.namnare as number);
              if (c.namnare === 0) expect(c.status).toBe(".");
              else expect(c.varde).toBeLessThanOrEqual(100);
            }
          }
          // Net domestic migration sums to zero over all län (every move has both ends in Sweden).
          const net = run.cells
            .filter(
              (c) =>
                c.indikator === "inrikes_flyttnetto" &&
                c.niva === "lan" &&
                BREAKDOWN(c).endsWith("totalt|totalt|totalt|totalt|totalt|totalt|totalt|totalt"),
            )
            .reduce((sum, c) => sum + (c.taljare ?? 0), 0);
          expect(net).toBe(0);
        } finally {
          run.con.closeSync();
        }
      }),
      { numRuns: 6, seed: 20_181_231, endOnFailure: true },
    );
  }, 300_000); // each run builds a database: generous room on a shared machine

  it("the same population gives the same table", async () => {
    const generated = fc.sample(fc.array(personArb, { minLength: 20, maxLength: 20 }), {
      numRuns: 1,
      seed: 7,
    })[0];
    const first = await runEngine({
      persons: toPersons(generated),
      frameYears: [2017, 2018],
      years: [2017, 2018],
    });
    const second = await runEngine({
      persons: toPersons(generated),
      frameYears: [2017, 2018],
      years: [2017, 2018],
    });
    try {
      expect(first.cells.length).toBeGreaterThan(1000);
      expect(second.cells).toEqual(first.cells);
    } finally {
      first.con.closeSync();
      second.con.closeSync();
    }
  });
});
