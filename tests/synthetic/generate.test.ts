import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Connection } from "../../data-loaders/db.ts";
import { openDatabase, queryRows } from "../../data-loaders/db.ts";
import { PERSON_COLUMNS } from "../../data-loaders/extract/contract.ts";
import { validateExtract } from "../../data-loaders/extract/validate.ts";
import { createReferenceTables, kommunCodesValidIn } from "../../data-loaders/reference/geography.ts";
import { calibrationReport } from "../../data-loaders/synthetic/calibration.ts";
import { generateExtract } from "../../data-loaders/synthetic/generate.ts";
import { POPULATION } from "../../data-loaders/synthetic/parameters.ts";

// A tiny population: 0.3 % of Sweden, about 31,000 persons a year.
const SCALE = 0.003;
const SEED = 7;
const YEARS = [1998, 2006, 2021, 2022];

let dirA: string;
let dirB: string;
let con: Connection;

const sha256 = async (path: string) =>
  createHash("sha256")
    .update(await readFile(path))
    .digest("hex");
const quiet = () => {};
const file = (dir: string, name: string) => `read_parquet('${join(dir, name)}')`;

beforeAll(async () => {
  dirA = await mkdtemp(join(tmpdir(), "rdi-synthetic-a-"));
  dirB = await mkdtemp(join(tmpdir(), "rdi-synthetic-b-"));
  await generateExtract({ out: dirA, years: YEARS, scale: SCALE, seed: SEED, onProgress: quiet });
  // Second run: same seed and scale, only two of the years.
  await generateExtract({ out: dirB, years: [2021, 2022], scale: SCALE, seed: SEED, onProgress: quiet });
  con = await openDatabase({ threads: 1 });
  await createReferenceTables(con);
});

afterAll(async () => {
  con?.closeSync();
  await rm(dirA, { recursive: true, force: true });
  await rm(dirB, { recursive: true, force: true });
});

const one = async <T>(sql: string) => (await queryRows<T>(con, sql))[0];

describe("generateExtract", () => {
  it("writes byte-identical files for the same seed and scale, whichever other years are written", async () => {
    for (const name of ["personer_2021.parquet", "personer_2022.parquet", "utvandrade_2022.parquet"]) {
      expect(await sha256(join(dirB, name)), name).toBe(await sha256(join(dirA, name)));
    }
  });

  it("changes when the seed changes", async () => {
    const dirC = await mkdtemp(join(tmpdir(), "rdi-synthetic-c-"));
    try {
      await generateExtract({ out: dirC, years: [2022], scale: SCALE, seed: SEED + 1, onProgress: quiet });
      expect(await sha256(join(dirC, "personer_2022.parquet"))).not.toBe(
        await sha256(join(dirA, "personer_2022.parquet")),
      );
    } finally {
      await rm(dirC, { recursive: true, force: true });
    }
  });

  it("passes the validator of the input contract", async () => {
    const report = await validateExtract(dirA);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.years).toEqual(YEARS);
  });

  it("writes the contract's column names and types in contract order", async () => {
    const columns = await queryRows<{ column_name: string; column_type: string }>(
      con,
      `DESCRIBE SELECT * FROM ${file(dirA, "personer_2022.parquet")}`,
    );
    // DuckDB reports REAL as FLOAT.
    const expected = PERSON_COLUMNS.map((c) => [c.name, c.type === "REAL" ? "FLOAT" : c.type]);
    expect(columns.map((c) => [c.column_name, c.column_type])).toEqual(expected);
  });

  it("matches the published 2022 kommun totals and RegSO utrikes-född shares within what rounding allows", async () => {
    const report = await calibrationReport(dirA, 2022, SCALE);
    expect(report.kommuner).toHaveLength(290);
    // Kommun counts are rounded systematically along the DeSO order: the rounded cumulative count
    // after each kommun differs from the exact scaled one by less than 1, so a kommun's total is
    // within 1 person of scale × published, i.e. its relative deviation is below 1 / (scale × N).
    for (const k of report.kommuner) {
      expect(Math.abs(k.generated - k.expected), k.kommun).toBeLessThan(1);
    }
    // The same holds per RegSO for persons (RegSO are contiguous in the DeSO order) and for
    // utrikes födda: n = sN + a, u = sU + b with |a|, |b| < 1, so
    // |u/n − U/N| = |b − p·a| / n < (1 + p) / n ≤ 2 / n.
    expect(report.regso.length).toBeGreaterThan(3000);
    for (const r of report.regso) {
      expect(Math.abs(r.difference), r.regso).toBeLessThan((1 + r.publishedShare) / r.generated);
    }
  });

  it("follows SCB's national population series in every year", async () => {
    for (const year of YEARS) {
      const { n } = await one<{ n: number }>(
        `SELECT count(*)::INTEGER AS n FROM ${file(dirA, `personer_${year}.parquet`)}`,
      );
      // Calibrated to round(scale × population); 2022 is the sum of 290 kommuner each within ±1.
      expect(Math.abs(n - SCALE * POPULATION[year]), String(year)).toBeLessThanOrEqual(
        year === 2022 ? 290 : 1,
      );
    }
  });

  it("uses the kommun division of each year", async () => {
    for (const year of YEARS) {
      const kommuner = await queryRows<{ kommun: string }>(
        con,
        `SELECT DISTINCT kommun FROM ${file(dirA, `personer_${year}.parquet`)}`,
      );
      const valid = kommunCodesValidIn(year);
      expect(kommuner.filter((k) => !valid.has(k.kommun))).toEqual([]);
    }
    // Nykvarn's DeSO lie in Södertälje in 1998; Heby is 1917 in 2006 and 0331 in 2022.
    const nykvarn = await one<{ kommun: string[] }>(
      `SELECT list(DISTINCT kommun) AS kommun FROM ${file(dirA, "personer_1998.parquet")} WHERE deso LIKE '0140%'`,
    );
    expect(nykvarn.kommun).toEqual(["0181"]);
    const heby2006 = await one<{ kommun: string[] }>(
      `SELECT list(DISTINCT kommun) AS kommun FROM ${file(dirA, "personer_2006.parquet")} WHERE deso LIKE '0331%'`,
    );
    expect(heby2006.kommun).toEqual(["1917"]);
    const heby2022 = await one<{ kommun: string[] }>(
      `SELECT list(DISTINCT kommun) AS kommun FROM ${file(dirA, "personer_2022.parquet")} WHERE deso LIKE '0331%'`,
    );
    expect(heby2022.kommun).toEqual(["0331"]);
  });

  it("keeps lopnr stable: kommun_fg_ar is last year's kommun, newcomers have none, emigrants leave", async () => {
    const row = await one<{
      both: number;
      wrong: number;
      newcomers: number;
      with_previous: number;
      moved: number;
    }>(
      `WITH a AS (SELECT * FROM ${file(dirA, "personer_2021.parquet")}),
            b AS (SELECT * FROM ${file(dirA, "personer_2022.parquet")})
       SELECT count(a.lopnr)::INTEGER AS both,
         count(*) FILTER (WHERE a.lopnr IS NOT NULL AND b.kommun_fg_ar IS DISTINCT FROM a.kommun)::INTEGER AS wrong,
         count(*) FILTER (WHERE a.lopnr IS NULL)::INTEGER AS newcomers,
         count(*) FILTER (WHERE a.lopnr IS NULL AND b.kommun_fg_ar IS NOT NULL)::INTEGER AS with_previous,
         count(*) FILTER (WHERE a.lopnr IS NOT NULL AND a.kommun <> b.kommun)::INTEGER AS moved
       FROM b LEFT JOIN a USING (lopnr)`,
    );
    expect(row.wrong).toBe(0);
    expect(row.with_previous).toBe(0);
    // Births and immigration add about 2 % a year; 2–6 % of those present move between kommuner.
    expect(row.newcomers / (row.both + row.newcomers)).toBeGreaterThan(0.01);
    expect(row.moved / row.both).toBeGreaterThan(0.02);
    expect(row.moved / row.both).toBeLessThan(0.06);
    const emigrants = await one<{ n: number; stayed: number; unknown: number }>(
      `SELECT count(*)::INTEGER AS n,
         count(*) FILTER (WHERE u.lopnr IN (SELECT lopnr FROM ${file(dirA, "personer_2022.parquet")}))::INTEGER AS stayed,
         count(*) FILTER (WHERE u.lopnr NOT IN (SELECT lopnr FROM ${file(dirA, "personer_2021.parquet")}))::INTEGER AS unknown
       FROM ${file(dirA, "utvandrade_2022.parquet")} u`,
    );
    // SCB: about 50,600 emigrations in 2022 → about 150 at this scale.
    expect(emigrants.n).toBeGreaterThan(100);
    expect(emigrants.stayed).toBe(0);
    expect(emigrants.unknown).toBe(0);
  });

  it("fills every column by its rules", async () => {
    for (const year of YEARS) {
      const election = year === 1998 || year === 2006 || year === 2022;
      const bad = await one<Record<string, number>>(
        `SELECT
           count(*) FILTER (WHERE foretagare AND NOT sysselsatt)::INTEGER AS foretagare_unemployed,
           count(*) FILTER (WHERE (chef IS NULL) = sysselsatt OR (ssyk_niva IS NULL) = sysselsatt)::INTEGER AS chef_ssyk,
           count(*) FILTER (WHERE (af_status IS NULL) <> (arbetslos_manader = 0))::INTEGER AS af_months,
           count(*) FILTER (WHERE af_status IS NOT NULL AND sysselsatt)::INTEGER AS af_employed,
           count(*) FILTER (WHERE least(loneinkomst, sjukpenning, sjuk_aktivitetsersattning, arbetsloshetsersattning,
             ekonomiskt_bistand, etableringsersattning) < 0)::INTEGER AS negative_amount,
           count(*) FILTER (WHERE ekbistand_manader NOT BETWEEN 0 AND 12
             OR (ekbistand_manader = 0 AND ekonomiskt_bistand > 0))::INTEGER AS bistand_months,
           count(*) FILTER (WHERE ohalsodagar NOT BETWEEN 0 AND 365)::INTEGER AS ohalsodagar,
           count(*) FILTER (WHERE utbildningsniva IS NOT NULL AND ar - fodelsear < 16)::INTEGER AS education_child,
           count(*) FILTER (WHERE utbildningsniva = 4 AND ar - fodelsear < 22)::INTEGER AS education_young,
           count(*) FILTER (WHERE behorig_gymnasiet IS NOT NULL AND ar - fodelsear NOT BETWEEN 15 AND 16)::INTEGER AS gymnasiet,
           count(*) FILTER (WHERE behorig_hogskola IS NOT NULL AND ar - fodelsear NOT BETWEEN 18 AND 19)::INTEGER AS hogskola,
           count(*) FILTER (WHERE sfi_godkand IS NOT NULL AND (fodelseland = 'SE'
             OR year(senaste_invandring) <> ar - 2))::INTEGER AS sfi,
           count(*) FILTER (WHERE ${election ? "rostberattigad IS NULL OR (rostade IS NOT NULL) <> rostberattigad OR (rostberattigad AND ar - fodelsear < 18)" : "rostberattigad IS NOT NULL OR rostade IS NOT NULL"})::INTEGER AS election,
           count(*) FILTER (WHERE (hushall_id IS NULL) <> (bor_med_foralder IS NULL)
             OR (hushall_id IS NULL AND (antal_rum IS NOT NULL OR bostadsarea IS NOT NULL)))::INTEGER AS household,
           count(*) FILTER (WHERE fodelseland <> 'SE' AND (senaste_invandring IS NULL
             OR year(senaste_invandring) < fodelsear))::INTEGER AS immigration,
           count(*) FILTER (WHERE sysselsatt AND ar - fodelsear < 16)::INTEGER AS child_employed,
           (count(*) - count(DISTINCT lopnr))::INTEGER AS duplicate_lopnr
         FROM ${file(dirA, `personer_${year}.parquet`)}`,
      );
      expect(
        Object.entries(bad).filter(([, n]) => n !== 0),
        String(year),
      ).toEqual([]);
    }
  });

  it("keeps households consistent: one DeSO and one dwelling per household, children with an adult", async () => {
    const row = await one<{ split: number; children_alone: number; households: number }>(
      `WITH p AS (SELECT * FROM ${file(dirA, "personer_2022.parquet")} WHERE hushall_id IS NOT NULL),
            h AS (SELECT hushall_id, count(DISTINCT deso) AS desos, count(DISTINCT (antal_rum, bostadsarea, upplatelseform)) AS dwellings,
                    bool_or(bor_med_foralder) AS has_child, max(ar - fodelsear) FILTER (WHERE NOT bor_med_foralder) AS oldest_adult
                  FROM p GROUP BY hushall_id)
       SELECT count(*) FILTER (WHERE desos > 1 OR dwellings > 1)::INTEGER AS split,
         count(*) FILTER (WHERE has_child AND oldest_adult IS NULL)::INTEGER AS children_alone,
         count(*)::INTEGER AS households FROM h`,
    );
    expect(row.split).toBe(0);
    expect(row.children_alone).toBe(0);
    // Sweden has about 2.1 persons per household: 31,000 persons → 12,000–20,000 households.
    expect(row.households).toBeGreaterThan(12000);
    expect(row.households).toBeLessThan(20000);
  });

  it("shows the relations the indicators are meant to reveal", async () => {
    const rate = async (where: string) =>
      (
        await one<{ r: number }>(
          `SELECT avg(sysselsatt::INTEGER)::DOUBLE AS r FROM ${file(dirA, "personer_2022.parquet")}
           WHERE ar - fodelsear BETWEEN 20 AND 64 AND ${where}`,
        )
      ).r;
    const days = "DATE '2022-12-31' - senaste_invandring";
    const vistelse = [
      await rate(`fodelseland <> 'SE' AND ${days} < 730`),
      await rate(`fodelseland <> 'SE' AND ${days} BETWEEN 730 AND 1459`),
      await rate(`fodelseland <> 'SE' AND ${days} BETWEEN 1460 AND 3649`),
      await rate(`fodelseland <> 'SE' AND ${days} >= 3650`),
      await rate("fodelseland = 'SE'"),
    ];
    // Employment rises with vistelsetid and is highest for inrikes födda (designed gaps ≥ 8 points;
    // with ≥ 400 persons per group the sampling error is at most about 2.5 points).
    for (let i = 1; i < vistelse.length; i++) expect(vistelse[i]).toBeGreaterThan(vistelse[i - 1]);
    expect(await rate("utbildningsniva = 4")).toBeGreaterThan((await rate("utbildningsniva = 1")) + 0.2);
    expect(await rate("grund_for_bosattning = 'arbete'")).toBeGreaterThan(
      await rate("grund_for_bosattning = 'skyddsbehov'"),
    );
    // Disadvantaged areas: the RegSO with the highest published utrikes-född share have more
    // long-term social assistance than the rest.
    const areas = await one<{ top: number; rest: number }>(
      `WITH p AS (SELECT p.*, d.regso FROM ${file(dirA, "personer_2022.parquet")} p JOIN ref_deso d USING (deso)
                  WHERE ar - fodelsear BETWEEN 20 AND 64),
            r AS (SELECT regso, avg((fodelseland <> 'SE')::INTEGER) AS share FROM p GROUP BY regso),
            ranked AS (SELECT regso, share >= quantile_cont(share, 0.9) OVER () AS top FROM r)
       SELECT avg((ekbistand_manader >= 10)::INTEGER) FILTER (WHERE top)::DOUBLE AS top,
              avg((ekbistand_manader >= 10)::INTEGER) FILTER (WHERE NOT top)::DOUBLE AS rest
       FROM p JOIN ranked USING (regso)`,
    );
    expect(areas.top).toBeGreaterThan(2 * areas.rest);
  });

  it("has many skyddsbehov arrivals in 2015-2016 and election data only in election years", async () => {
    const arrivals = await queryRows<{ y: number; skydd: number; n: number }>(
      con,
      `SELECT year(senaste_invandring)::INTEGER AS y,
         avg((grund_for_bosattning IN ('skyddsbehov', 'anhorig_skyddsbehov'))::INTEGER)::DOUBLE AS skydd, count(*)::INTEGER AS n
       FROM ${file(dirA, "personer_2022.parquet")} WHERE year(senaste_invandring) IN (2008, 2016, 2021) GROUP BY ALL ORDER BY y`,
    );
    const byYear = Object.fromEntries(arrivals.map((a) => [a.y, a]));
    expect(byYear[2016].skydd).toBeGreaterThan(byYear[2021].skydd + 0.25);
    expect(byYear[2016].n).toBeGreaterThan(byYear[2008].n);
    const turnout = await one<{ t: number }>(
      `SELECT avg(rostade::INTEGER)::DOUBLE AS t FROM ${file(dirA, "personer_2022.parquet")} WHERE rostberattigad`,
    );
    // Riksdag election 2022: 84.2 % turnout; the model lands within a few points.
    expect(turnout.t).toBeGreaterThan(0.78);
    expect(turnout.t).toBeLessThan(0.92);
  });
});
