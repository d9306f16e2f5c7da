import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  computeAreas,
  omradestypNamn,
  omradestypRegel,
  socioekonomisktIndex,
} from "../../data-loaders/areas/index.ts";
import { type Connection, exec, openDatabase, queryRows } from "../../data-loaders/db.ts";
import { createReferenceTables } from "../../data-loaders/reference/geography.ts";

/** One person-year with the columns the areas step reads; unspecified flags are "not set". */
interface Person {
  ar: number;
  regso: string | null;
  kommun?: string;
  alder?: number;
  lag?: boolean;
  utbildning?: string;
  ekbistand?: number;
  af?: string | null;
  arbetslos?: number;
  fodelseregion?: string;
  bakgrund?: string;
  vistelsetid?: string | null;
  grund?: string | null;
}

/** In-memory databases of this file, closed when it is done. */
const opened: Connection[] = [];
async function open(): Promise<Connection> {
  const con = await openDatabase({ threads: 1 });
  opened.push(con);
  return con;
}
afterAll(() => {
  for (const con of opened) con.closeSync();
});

const sql = (v: string | null | undefined) => (v == null ? "NULL" : `'${v}'`);

async function createPersonAr(con: Connection, persons: Person[]): Promise<void> {
  await createReferenceTables(con);
  await exec(
    con,
    `CREATE OR REPLACE TABLE person_ar(
       lopnr BIGINT, ar SMALLINT, alder INTEGER, regso VARCHAR, kommun_idag VARCHAR, lan_idag VARCHAR,
       lag_ekonomisk_standard BOOLEAN, utbildning VARCHAR, ekbistand_manader TINYINT, af_status VARCHAR,
       arbetslos_manader TINYINT, fodelseregion VARCHAR, bakgrund VARCHAR, vistelsetid VARCHAR, grund VARCHAR,
       omradestyp VARCHAR)`,
  );
  const rows = persons.map((p, i) => {
    const kommun = p.kommun ?? p.regso?.slice(0, 4) ?? "0114";
    return `(${i + 1}, ${p.ar}, ${p.alder ?? 40}, ${sql(p.regso)}, '${kommun}', '${kommun.slice(0, 2)}',
      ${p.lag ?? false}, '${p.utbildning ?? "gymnasial"}', ${p.ekbistand ?? 0}, ${sql(p.af)}, ${p.arbetslos ?? 0},
      '${p.fodelseregion ?? "sverige"}', '${p.bakgrund ?? "svensk"}', ${sql(p.vistelsetid)}, ${sql(p.grund)}, NULL)`;
  });
  await exec(con, `INSERT INTO person_ar VALUES ${rows.join(",\n")}`);
}

/**
 * Three adults (40 years) in `regso` with `t` of their nine flags V1–V3 set, so that
 * index = (100/3)·(t/3) = 100·t/9. Flags are filled V1 first: låg ekonomisk standard, then
 * förgymnasial, then ≥ 10 months of ekonomiskt bistånd.
 */
function threeAdults(ar: number, regso: string, t: number, first: Partial<Person> = {}): Person[] {
  return [0, 1, 2].map((k) => ({
    ar,
    regso,
    lag: t > k,
    utbildning: t > 3 + k ? "forgymnasial" : "gymnasial",
    ekbistand: t > 6 + k ? 12 : 0,
    ...(k === 0 ? first : {}),
  }));
}

const R = (n: number) => `0114R${String(n).padStart(3, "0")}`;

describe("computeAreas on a hand-built population (kommun 0114, two years)", () => {
  let con: Connection;
  let summaries: Awaited<ReturnType<typeof computeAreas>>;

  // 2021: R001–R010 have t = 8, 6, 4, 2, 0, 4, 4, 4, 4, 4: mean t 4, sd 2 (t units), so they lie at
  // exactly +2, +1, 0, −1, −2, 0 … sd → types 1, 2, 3, 4, 5, 3, 3, 3, 3, 3 (ties go to the lower code).
  // R011 has a child and a 70-year-old only: V1 defined, no index, no type. R012 is empty.
  // Two persons have no RegSO (no DeSO): no type.
  // 2022: R001 and R005 swap (t = 0 and 8) and R011 gets three adults with t = 4: eleven indices,
  // t mean 44/11 = 4, Σ squared deviations 16 + 4 + 4 + 16 = 40, variance 40/11, sd 1.907.
  // z: R001 −2.098 → 5, R002 +1.049 → 2, R003 0 → 3, R004 −1.049 → 5, R005 +2.098 → 1, R006–R011 0 → 3.
  const persons: Person[] = [
    // R001 (type 1): two utrikes födda from övriga världen, 0–1 år, skyddsbehov.
    ...threeAdults(2021, R(1), 8).map((p, k) =>
      k < 2
        ? { ...p, fodelseregion: "ovriga", bakgrund: "utlandsk", vistelsetid: "0-1", grund: "skyddsbehov" }
        : p,
    ),
    // R002 (type 2): an inrikes född with utländsk bakgrund.
    ...threeAdults(2021, R(2), 6, { bakgrund: "utlandsk" }),
    // R003 (type 3): one from EU/EFTA, 4–9 år, övriga grunder.
    ...threeAdults(2021, R(3), 4, {
      fodelseregion: "eu_efta",
      bakgrund: "utlandsk",
      vistelsetid: "4-9",
      grund: "ovriga",
    }),
    ...threeAdults(2021, R(4), 2),
    // R005 (type 5): one from Norden, 10– år, övriga grunder.
    ...threeAdults(2021, R(5), 0, {
      fodelseregion: "norden",
      bakgrund: "utlandsk",
      vistelsetid: "10-",
      grund: "ovriga",
    }),
    ...[6, 7, 8, 9, 10].flatMap((n) => threeAdults(2021, R(n), 4)),
    { ar: 2021, regso: R(11), alder: 10, lag: true },
    { ar: 2021, regso: R(11), alder: 70 },
    { ar: 2021, regso: null, kommun: "0114" },
    { ar: 2021, regso: null, kommun: "0114", lag: true },
    ...[0, 6, 4, 2, 8, 4, 4, 4, 4, 4, 4].flatMap((t, i) => threeAdults(2022, R(i + 1), t)),
  ];

  beforeAll(async () => {
    con = await open();
    await createPersonAr(con, persons);
    summaries = await computeAreas(con, { years: [2021, 2022] });
  });

  it("computes V1–V3 and the index per RegSO", async () => {
    const rows = await queryRows(
      con,
      `SELECT region, kommun, v1_lag_ekonomisk_standard AS v1, v2_forgymnasial AS v2, v3_bistand_arbetsloshet AS v3,
              index, antal, antal_20_64, antal_lag_ekonomisk_standard AS n1, antal_forgymnasial AS n2,
              antal_bistand_arbetsloshet AS n3, status
       FROM omraden_raw WHERE ar = 2021 AND region IN ('${R(1)}', '${R(11)}', '${R(12)}') ORDER BY region`,
    );
    // R001, t = 8: all three låg (100 %), all three förgymnasial (100 %), two of three bistånd (66.7 %).
    expect(rows[0]).toMatchObject({
      region: R(1),
      kommun: "0114",
      v1: 100,
      v2: 100,
      antal: 3,
      antal_20_64: 3,
    });
    expect(rows[0]).toMatchObject({ n1: 3, n2: 3, n3: 2, status: null });
    expect(rows[0].v3).toBeCloseTo(200 / 3, 10);
    expect(rows[0].index).toBeCloseTo(800 / 9, 10);
    // SQL computes the published index with the same operations as the classification in JS.
    const counts = { antal: 3, antal_20_64: 3, antal_lag_ekonomisk_standard: 3, antal_forgymnasial: 3 };
    expect(rows[0].index).toBe(socioekonomisktIndex({ ...counts, antal_bistand_arbetsloshet: 2 }));
    // R011: the 10-year-old has låg ekonomisk standard: V1 = 1/2 = 50 %, no one aged 20–64.
    expect(rows[1]).toMatchObject({ v1: 50, v2: null, v3: null, index: null, antal: 2, antal_20_64: 0 });
    expect(rows[1]).toMatchObject({ status: "." });
    // R012: nobody lives there.
    expect(rows[2]).toMatchObject({ v1: null, index: null, antal: 0, status: "." });
  });

  it("classifies each year against that year's mean and sd, ties to the more disadvantaged type", async () => {
    const rows = await queryRows<{ ar: number; region: string; omradestyp: string | null }>(
      con,
      `SELECT ar, region, omradestyp FROM omraden_raw WHERE region LIKE '0114R%' ORDER BY ar, region`,
    );
    const of = (ar: number) => rows.filter((r) => r.ar === ar).map((r) => r.omradestyp);
    expect(of(2021)).toEqual(["1", "2", "3", "4", "5", "3", "3", "3", "3", "3", null, null]);
    expect(of(2022)).toEqual(["5", "2", "3", "5", "1", "3", "3", "3", "3", "3", "3", null]);
    expect(summaries.map((s) => [s.ar, s.regsoMedIndex, s.antalPerTyp])).toEqual([
      [2021, 10, { 1: 1, 2: 1, 3: 6, 4: 1, 5: 1 }],
      [2022, 11, { 1: 1, 2: 1, 3: 7, 4: 0, 5: 2 }],
    ]);
    expect(summaries[1].medel).toBeCloseTo(400 / 9, 10); // t mean 4
    expect(summaries[1].standardavvikelse).toBeCloseTo((100 / 9) * Math.sqrt(40 / 11), 10);
  });

  it("writes one row per RegSO of the geography and year, none for other years", async () => {
    const [count] = await queryRows<{ n: number; years: number }>(
      con,
      "SELECT count(*)::INTEGER AS n, count(DISTINCT ar)::INTEGER AS years FROM omraden_raw",
    );
    expect(count).toEqual({ n: 2 * 3363, years: 2 });
    // Outside kommun 0114 nothing is known.
    const [other] = await queryRows<{ typed: number }>(
      con,
      "SELECT count(omradestyp)::INTEGER AS typed FROM omraden_raw WHERE kommun <> '0114'",
    );
    expect(other.typed).toBe(0);
  });

  it("sets person_ar.omradestyp by RegSO and year, NULL without RegSO or type", async () => {
    const rows = await queryRows<{ ar: number; regso: string | null; omradestyp: string | null; n: number }>(
      con,
      `SELECT ar, regso, omradestyp, count(*)::INTEGER AS n FROM person_ar
       WHERE regso IN ('${R(1)}', '${R(5)}', '${R(11)}') OR regso IS NULL
       GROUP BY ALL ORDER BY ar, regso NULLS LAST`,
    );
    expect(rows).toEqual([
      { ar: 2021, regso: R(1), omradestyp: "1", n: 3 },
      { ar: 2021, regso: R(5), omradestyp: "5", n: 3 },
      { ar: 2021, regso: R(11), omradestyp: null, n: 2 },
      { ar: 2021, regso: null, omradestyp: null, n: 2 },
      { ar: 2022, regso: R(1), omradestyp: "5", n: 3 },
      { ar: 2022, regso: R(5), omradestyp: "1", n: 3 },
      { ar: 2022, regso: R(11), omradestyp: "3", n: 3 },
    ]);
  });

  it("distributes each group over the områdestyper", async () => {
    const rows = await queryRows<{
      indelning: string;
      grupp: string;
      omradestyp: string;
      antal: number;
      andel: number | null;
      grupp_antal: number;
      status: string | null;
    }>(
      con,
      `SELECT indelning, grupp, omradestyp, antal, andel, grupp_antal, status FROM omraden_fordelning_raw
       WHERE ar = 2021 AND niva = 'kommun' AND region = '0114'`,
    );
    const cell = (indelning: string, grupp: string, omradestyp: string) =>
      rows.find((r) => r.indelning === indelning && r.grupp === grupp && r.omradestyp === omradestyp);
    // 14 groups × (totalt, 5 types, saknas)
    expect(rows).toHaveLength(14 * 7);
    // Everyone in 2021: 34 persons. Type 1: R001 (3); 2: R002 (3); 3: R003, R006–R010 (18);
    // 4: R004 (3); 5: R005 (3); saknas: R011 (2) and the two without RegSO.
    const alla = ["1", "2", "3", "4", "5", "saknas"].map((typ) => cell("totalt", "alla", typ));
    expect(alla.map((r) => r?.antal)).toEqual([3, 3, 18, 3, 3, 4]);
    expect(alla.every((r) => r?.grupp_antal === 34)).toBe(true);
    expect(alla[2]?.andel).toBeCloseTo((100 * 18) / 34, 10);
    expect(cell("totalt", "alla", "totalt")).toMatchObject({ antal: 34, andel: 100, grupp_antal: 34 });
    // Utrikes födda (4, everyone in a typed RegSO): 2 in type 1, 1 in type 3, 1 in type 5 →
    // 50, 0, 25, 0, 25 %, summing to 100 over the five types; saknas 0 %.
    const utrikes = ["1", "2", "3", "4", "5", "saknas"].map(
      (typ) => cell("fodelseregion", "utrikes", typ)?.andel,
    );
    expect(utrikes).toEqual([50, 0, 25, 0, 25, 0]);
    // Utländsk bakgrund (5): the four utrikes födda plus the inrikes född in R002 (type 2) → 40, 20, 20, 0, 20.
    const utlandsk = ["1", "2", "3", "4", "5"].map((typ) => cell("bakgrund", "utlandsk", typ)?.andel);
    expect(utlandsk).toEqual([40, 20, 20, 0, 20]);
    expect(cell("grund", "skyddsbehov", "1")).toMatchObject({ antal: 2, andel: 100, grupp_antal: 2 });
    expect(cell("fodelseregion", "norden", "5")).toMatchObject({ antal: 1, andel: 100 });
    // Nobody with vistelsetid 2–3 år: share undefined.
    expect(cell("vistelsetid", "2-3", "1")).toMatchObject({
      antal: 0,
      andel: null,
      grupp_antal: 0,
      status: ".",
    });
  });

  it("gives the same distribution at riket and län as in the only populated kommun", async () => {
    const rows = await queryRows<{ niva: string; region: string; n: number; total: number }>(
      con,
      `SELECT niva, region, count(*)::INTEGER AS n, sum(antal) FILTER (omradestyp <> 'totalt')::INTEGER AS total
       FROM omraden_fordelning_raw
       WHERE ar = 2022 AND indelning = 'totalt' AND region IN ('00', '01', '0114', '0115') GROUP BY ALL ORDER BY region`,
    );
    // 2022: 11 RegSO × 3 persons = 33.
    expect(rows).toEqual([
      { niva: "riket", region: "00", n: 7, total: 33 },
      { niva: "lan", region: "01", n: 7, total: 33 },
      { niva: "kommun", region: "0114", n: 7, total: 33 },
      { niva: "kommun", region: "0115", n: 7, total: 0 },
    ]);
    const [sums] = await queryRows<{ bad: number }>(
      con,
      `SELECT count(*)::INTEGER AS bad FROM (
         SELECT sum(andel) AS s FROM omraden_fordelning_raw WHERE grupp_antal > 0 AND omradestyp <> 'totalt'
         GROUP BY ar, niva, region, indelning, grupp HAVING abs(s - 100) > 1e-9)`,
    );
    expect(sums.bad).toBe(0);
  });

  it("lists the RegSO that changed type and counts the transitions", async () => {
    const changed = await queryRows(con, "SELECT * FROM omraden_overgangar_raw ORDER BY ar, regso");
    // 2021 → 2022: R001 1 → 5, R004 4 → 5, R005 5 → 1, R011 none → 3; all others unchanged.
    expect(changed).toEqual([
      { ar: 2022, kommun: "0114", regso: R(1), fran_typ: "1", till_typ: "5" },
      { ar: 2022, kommun: "0114", regso: R(4), fran_typ: "4", till_typ: "5" },
      { ar: 2022, kommun: "0114", regso: R(5), fran_typ: "5", till_typ: "1" },
      { ar: 2022, kommun: "0114", regso: R(11), fran_typ: "saknas", till_typ: "3" },
    ]);
    const summa = await queryRows<{ fran_typ: string; till_typ: string; antal_regso: number }>(
      con,
      `SELECT fran_typ, till_typ, antal_regso FROM omraden_overgangar_summa_raw
       WHERE ar = 2022 AND niva = 'kommun' AND region = '0114' AND antal_regso > 0`,
    );
    // Typed in both years: R001 1→5, R002 2→2, R003 and R006–R010 3→3 (6), R004 4→5, R005 5→1.
    expect(summa).toEqual([
      { fran_typ: "1", till_typ: "5", antal_regso: 1 },
      { fran_typ: "2", till_typ: "2", antal_regso: 1 },
      { fran_typ: "3", till_typ: "3", antal_regso: 6 },
      { fran_typ: "4", till_typ: "5", antal_regso: 1 },
      { fran_typ: "5", till_typ: "1", antal_regso: 1 },
    ]);
    const [grid] = await queryRows<{ n: number; years: string }>(
      con,
      `SELECT count(*)::INTEGER AS n, string_agg(DISTINCT ar::VARCHAR, ',') AS years FROM omraden_overgangar_summa_raw`,
    );
    // Only 2022 has a previous year; 1 + 21 + 290 regions × 25 pairs.
    expect(grid).toEqual({ n: 312 * 25, years: "2022" });
  });

  it("gives the same tables when run again", async () => {
    const snapshot = async () =>
      JSON.stringify(
        await queryRows(
          con,
          `SELECT (SELECT string_agg(concat_ws('|', ar, region, index, omradestyp), ';') FROM omraden_raw) AS a,
                  (SELECT string_agg(concat_ws('|', ar, niva, region, indelning, grupp, omradestyp, antal), ';')
                     FROM omraden_fordelning_raw) AS b,
                  (SELECT string_agg(concat_ws('|', ar, regso, omradestyp), ';' ORDER BY lopnr) FROM person_ar) AS c`,
        ),
      );
    const before = await snapshot();
    await computeAreas(con, { years: [2022, 2021] });
    expect(await snapshot()).toBe(before);
  });

  it("leaves the person-years of other years alone", async () => {
    await computeAreas(con, { years: [2022] });
    const rows = await queryRows<{ ar: number; typed: number; years: number }>(
      con,
      `SELECT p.ar, count(p.omradestyp)::INTEGER AS typed, (SELECT count(DISTINCT ar) FROM omraden_raw)::INTEGER AS years
       FROM person_ar AS p GROUP BY p.ar ORDER BY p.ar`,
    );
    // 2021: 30 persons in R001–R010 keep their types; 2022: all 33 typed. omraden_raw holds 2022 only,
    // and with no 2021 there are no transitions.
    expect(rows).toEqual([
      { ar: 2021, typed: 30, years: 1 },
      { ar: 2022, typed: 33, years: 1 },
    ]);
    const [transitions] = await queryRows<{ n: number }>(
      con,
      "SELECT (SELECT count(*) FROM omraden_overgangar_raw) + (SELECT count(*) FROM omraden_overgangar_summa_raw) AS n",
    );
    expect(Number(transitions.n)).toBe(0);
  });

  it("names the types in Swedish and English", () => {
    expect(omradestypNamn("1").namn).toBe("Områden med stora socioekonomiska utmaningar");
    expect(omradestypNamn("5").nameEn).toBe("Areas with very good socio-economic conditions");
    expect(["1", "2", "3", "4", "5"].map((kod) => omradestypRegel(kod as "1"))).toEqual([
      "index ≥ medel + 2 sd",
      "index ≥ medel + 1 sd",
      "index ≥ medel",
      "index ≥ medel − 1 sd",
      "index < medel − 1 sd",
    ]);
    const half = [
      { kod: "1" as const, namn: "", nameEn: "", minstSd: 1.5 },
      { kod: "2" as const, namn: "", nameEn: "", minstSd: null },
    ];
    expect(omradestypRegel("2", "en", half)).toBe("index < mean + 1.5 sd");
    expect(omradestypRegel("1", "sv", half)).toBe("index ≥ medel + 1,5 sd");
  });
});

describe("computeAreas: the definitions of V1–V3", () => {
  it("counts ages, education, bistånd and unemployment as documented", async () => {
    const con = await open();
    const r1 = "0115R001";
    const r2 = "0115R002";
    await createPersonAr(con, [
      // V1 only (19 years, outside 20–64).
      { ar: 2020, regso: r1, alder: 19, lag: true, utbildning: "forgymnasial", ekbistand: 12 },
      // 20 years: förgymnasial (V2) and exactly 10 months of bistånd (V3).
      { ar: 2020, regso: r1, alder: 20, utbildning: "forgymnasial", ekbistand: 10 },
      // 64 years: V1; education saknas (in V2's denominator, not numerator); 9 months bistånd and
      // 6 months unemployed: not V3.
      {
        ar: 2020,
        regso: r1,
        alder: 64,
        lag: true,
        utbildning: "saknas",
        ekbistand: 9,
        af: "oppet_arbetslos",
        arbetslos: 6,
      },
      // 7 months registered unemployed in a programme: V3.
      { ar: 2020, regso: r1, alder: 40, af: "program_aktivitetsstod", arbetslos: 7 },
      // 12 months without being registered at Arbetsförmedlingen in November: not V3.
      { ar: 2020, regso: r1, alder: 50, utbildning: "eftergymnasial", arbetslos: 12 },
      // 65 years: V1 only.
      {
        ar: 2020,
        regso: r1,
        alder: 65,
        lag: true,
        utbildning: "forgymnasial",
        ekbistand: 12,
        af: "oppet_arbetslos",
        arbetslos: 24,
      },
      { ar: 2020, regso: r1, alder: 3 },
      { ar: 2020, regso: r2, alder: 30 },
      { ar: 2020, regso: r2, alder: 31 },
    ]);
    const summaries = await computeAreas(con, { years: [2020] });
    const rows = await queryRows(
      con,
      `SELECT region, antal, antal_20_64, antal_lag_ekonomisk_standard AS n1, antal_forgymnasial AS n2,
              antal_bistand_arbetsloshet AS n3, v1_lag_ekonomisk_standard AS v1, v2_forgymnasial AS v2,
              v3_bistand_arbetsloshet AS v3, index, omradestyp
       FROM omraden_raw WHERE region IN ('${r1}', '${r2}') ORDER BY region`,
    );
    // R001: 7 persons, 4 aged 20–64 (20, 64, 40, 50). V1 = 3/7 (19, 64, 65); V2 = 1/4 (the 20-year-old);
    // V3 = 2/4 (20: 10 months bistånd; 40: 7 months unemployed). Index = (300/7 + 25 + 50)/3 = 100/7 + 25.
    expect(rows[0]).toMatchObject({ antal: 7, antal_20_64: 4, n1: 3, n2: 1, n3: 2, v2: 25, v3: 50 });
    expect(rows[0].v1).toBeCloseTo(300 / 7, 10);
    expect(rows[0].index).toBeCloseTo(100 / 7 + 25, 10);
    // R002: index 0. Two indices lie exactly at mean ± 1 sd: the ties give types 2 and 4.
    expect(rows[1]).toMatchObject({ antal: 2, antal_20_64: 2, index: 0 });
    expect(rows.map((r) => r.omradestyp)).toEqual(["2", "4"]);
    expect(summaries[0].regsoMedIndex).toBe(2);
  });

  it("rejects a person_ar with missing columns or codes outside the geography", async () => {
    const con = await open();
    await createPersonAr(con, [
      { ar: 2020, regso: "0115R001" },
      { ar: 2020, regso: "0115R999" },
      { ar: 2020, regso: "0114R001", kommun: "0115" },
    ]);
    await expect(computeAreas(con, { years: [2020] })).rejects.toThrow(
      "column regso: must be a RegSO of ref_regso lying in kommun_idag (2 rows)",
    );
    await expect(computeAreas(con, { years: [2019, 2020] })).rejects.toThrow(
      "person_ar has no rows for year(s) 2019",
    );
    await exec(con, "ALTER TABLE person_ar DROP COLUMN af_status");
    await expect(computeAreas(con, { years: [2020] })).rejects.toThrow("person_ar lacks column(s) af_status");
    await exec(con, "ALTER TABLE person_ar ADD COLUMN af_status VARCHAR; DROP TABLE ref_regso");
    await expect(computeAreas(con, { years: [2020] })).rejects.toThrow("reference tables");
    await exec(con, "DROP TABLE person_ar");
    await expect(computeAreas(con, { years: [2020] })).rejects.toThrow("table person_ar does not exist");
  });
});

describe("computeAreas: consistency on a random population", () => {
  it("adds up over regions and groups, and agrees with person_ar", async () => {
    const con = await open();
    await createReferenceTables(con);
    // 3,000 person-years over the RegSO of three kommuner in two län (0114, 0115 in län 01, 0380 in
    // län 03), a few without RegSO; groups drawn with DuckDB's hash, so the population is fixed.
    await exec(
      con,
      `CREATE TABLE person_ar AS
       WITH r AS (SELECT row_number() OVER (ORDER BY regso) - 1 AS k, regso, kommun, lan FROM ref_regso
                  WHERE kommun IN ('0114', '0115', '0380')),
            p AS (SELECT i, 2020 + i % 2 AS ar, (hash(i, 'f') % 4)::INTEGER AS f FROM range(3000) AS t(i))
       SELECT p.i AS lopnr, p.ar::SMALLINT AS ar, (hash(p.i, 'a') % 90)::INTEGER AS alder,
              CASE WHEN p.i % 50 = 0 THEN NULL ELSE r.regso END AS regso, r.kommun AS kommun_idag, r.lan AS lan_idag,
              hash(p.i, 'l') % 4 = 0 AS lag_ekonomisk_standard,
              CASE WHEN hash(p.i, 'u') % 5 = 0 THEN 'forgymnasial' ELSE 'gymnasial' END AS utbildning,
              (hash(p.i, 'e') % 13)::TINYINT AS ekbistand_manader, NULL::VARCHAR AS af_status,
              0::TINYINT AS arbetslos_manader,
              ['sverige', 'norden', 'eu_efta', 'ovriga'][p.f + 1] AS fodelseregion,
              CASE WHEN p.f > 0 OR hash(p.i, 'b') % 7 = 0 THEN 'utlandsk' ELSE 'svensk' END AS bakgrund,
              CASE WHEN p.f > 0 THEN ['0-1', '2-3', '4-9', '10-'][(hash(p.i, 'v') % 4)::INTEGER + 1] END AS vistelsetid,
              CASE WHEN p.f > 0 THEN ['skyddsbehov', 'ovriga'][(hash(p.i, 'g') % 2)::INTEGER + 1] END AS grund
       FROM p JOIN r ON r.k = hash(p.i, 'r') % (SELECT count(*) FROM r)`,
    );
    await computeAreas(con, { years: [2020, 2021] });
    const violations = await queryRows<{ regel: string; n: number }>(
      con,
      `WITH f AS (SELECT * FROM omraden_fordelning_raw),
       k AS (SELECT ar, indelning, grupp, omradestyp, sum(antal) AS s FROM f WHERE niva = 'kommun' GROUP BY ALL),
       l AS (SELECT ar, indelning, grupp, omradestyp, sum(antal) AS s FROM f WHERE niva = 'lan' GROUP BY ALL),
       checks AS (
         SELECT 'riket = Σ län = Σ kommun' AS regel, count(*) AS n
         FROM f JOIN k USING (ar, indelning, grupp, omradestyp) JOIN l USING (ar, indelning, grupp, omradestyp)
         WHERE f.niva = 'riket' AND NOT (f.antal = k.s AND f.antal = l.s)
         UNION ALL
         SELECT 'utrikes = norden + eu_efta + ovriga = Σ vistelsetid = Σ grund', count(*) FROM (
           SELECT ar, niva, region, omradestyp,
                  sum(antal) FILTER (grupp = 'utrikes') AS u,
                  sum(antal) FILTER (indelning = 'fodelseregion' AND grupp IN ('norden', 'eu_efta', 'ovriga')) AS r,
                  sum(antal) FILTER (indelning = 'vistelsetid') AS v,
                  sum(antal) FILTER (indelning = 'grund') AS g
           FROM f GROUP BY ALL) WHERE NOT (u = r AND u = v AND u = g)
         UNION ALL
         SELECT 'alla = sverige + utrikes = svensk + utlandsk = Σ types', count(*) FROM (
           SELECT ar, niva, region,
                  sum(antal) FILTER (grupp = 'alla' AND omradestyp = 'totalt') AS a,
                  sum(antal) FILTER (grupp IN ('sverige', 'utrikes') AND omradestyp = 'totalt') AS fr,
                  sum(antal) FILTER (indelning = 'bakgrund' AND omradestyp = 'totalt') AS b,
                  sum(antal) FILTER (grupp = 'alla' AND omradestyp <> 'totalt') AS t
           FROM f GROUP BY ALL) WHERE NOT (a = fr AND a = b AND a = t)
         UNION ALL
         SELECT 'person_ar per type = fordelning riket', count(*) FROM (
           SELECT ar, coalesce(omradestyp, 'saknas') AS omradestyp, count(*) AS n FROM person_ar GROUP BY ALL) AS p
           JOIN f USING (ar, omradestyp)
           WHERE f.niva = 'riket' AND f.grupp = 'alla' AND f.antal <> p.n
         UNION ALL
         SELECT 'omraden_raw antal = persons with RegSO', count(*) FROM (
           SELECT ar, region, antal FROM omraden_raw) AS o
           FULL JOIN (SELECT ar, regso AS region, count(*) AS n FROM person_ar WHERE regso IS NOT NULL GROUP BY ALL) AS p
           USING (ar, region)
           WHERE coalesce(o.antal, -1) <> coalesce(p.n, 0)
       )
       SELECT regel, n::INTEGER AS n FROM checks ORDER BY regel`,
    );
    expect(violations).toHaveLength(5);
    expect(violations.filter((v) => v.n > 0)).toEqual([]);
    // The population is spread as intended: every type occurs and some persons lack a RegSO.
    const [spread] = await queryRows<{ types: number; without: number }>(
      con,
      `SELECT count(DISTINCT omradestyp)::INTEGER AS types, count(*) FILTER (regso IS NULL)::INTEGER AS without
       FROM person_ar`,
    );
    expect(spread.types).toBe(5);
    expect(spread.without).toBe(60); // i % 50 = 0 for i < 3000
  });
});
