import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { UserError } from "../../data-loaders/cli/command.ts";
import { openDatabase, queryRows, sqlString } from "../../data-loaders/db.ts";
import { buildPublication, listExtract, validationFailure } from "../../data-loaders/publish/build.ts";
import type { Manifest } from "../../data-loaders/publish/manifest.ts";
import { snapshot, tempDir, withoutBuildLog } from "./helpers.ts";
import { EXTRACT, standInSteps, writeExtract } from "./standins.ts";

async function rows(file: string, where = "true") {
  const con = await openDatabase();
  try {
    return await queryRows(
      con,
      `SELECT ar::INTEGER AS ar, region, kon, taljare, namnare, varde, status FROM read_parquet(${sqlString(file)}) WHERE ${where}`,
    );
  } finally {
    con.closeSync();
  }
}

let extract: string;

beforeAll(async () => {
  extract = join(await tempDir(), "extract");
  await writeExtract(extract, EXTRACT);
});

describe("buildPublication with stand-in steps", () => {
  it("writes the publication layout with the contract's column types and suppressed cells", async () => {
    const root = await tempDir();
    const out = join(root, "pub");
    await buildPublication({ input: extract, out, cacheDir: join(root, "cache") }, standInSteps());
    const files = Object.keys(await snapshot(out));
    expect(files).toEqual([
      "build-log.json",
      "indikatorer/andel_kvinnor/kommun.parquet",
      "indikatorer/andel_kvinnor/riket.parquet",
      "indikatorer/folkmangd/kommun.parquet",
      "indikatorer/folkmangd/riket.parquet",
      "indikatorer/katalog.json",
      "indikatorer/kvar/kommun.parquet",
      "indikatorer/kvar/riket.parquet",
      "manifest.json",
      "omraden/fordelning.parquet",
      "omraden/omraden.parquet",
      "omraden/overgangar.parquet",
      "omraden/overgangar_summa.parquet",
      "regioner.parquet",
      "segregation/riket.parquet",
    ]);
    // folkmangd per kommun, sorted by (ar, region, kon); kon '1' < '2' < 'totalt'.
    // 2019: 0180 = persons 1 (man), 2, 3 (women); 1280 = 4, 5 (men).
    // 2020: 0180 = 1 (man), 2, 3, 6 (women); 1280 = 4 (man). Cells of fewer than 2 persons are '..'.
    const cell = (ar: number, region: string, kon: string, n: number | null) => ({
      ar,
      region,
      kon,
      taljare: n,
      namnare: null,
      varde: n,
      status: n === null ? ".." : null,
    });
    expect(await rows(join(out, "indikatorer/folkmangd/kommun.parquet"))).toEqual([
      cell(2019, "0180", "1", null),
      cell(2019, "0180", "2", 2),
      cell(2019, "0180", "totalt", 3),
      cell(2019, "1280", "1", 2),
      cell(2019, "1280", "totalt", 2),
      cell(2020, "0180", "1", null),
      cell(2020, "0180", "2", 3),
      cell(2020, "0180", "totalt", 4),
      cell(2020, "1280", "1", null),
      cell(2020, "1280", "totalt", null),
    ]);
    // kvar needs Y-1: none for 2019; 2020 riket = 4 of the 5 persons of 2019 still there = 80 %.
    expect(await rows(join(out, "indikatorer/kvar/riket.parquet"), "kon = 'totalt'")).toEqual([
      { ar: 2020, region: "00", kon: "totalt", taljare: 4, namnare: 5, varde: 80, status: null },
    ]);
    const con = await openDatabase();
    const types = await queryRows<{ column_name: string; column_type: string }>(
      con,
      `DESCRIBE SELECT * FROM read_parquet(${sqlString(join(out, "indikatorer/andel_kvinnor/riket.parquet"))})`,
    );
    con.closeSync();
    expect(types.map((t) => `${t.column_name} ${t.column_type}`)).toEqual([
      "indikator VARCHAR",
      "ar SMALLINT",
      "niva VARCHAR",
      "region VARCHAR",
      "kon VARCHAR",
      "alder VARCHAR",
      "fodelseregion VARCHAR",
      "vistelsetid VARCHAR",
      "grund VARCHAR",
      "utbildningsniva VARCHAR",
      "bakgrund VARCHAR",
      "omradestyp VARCHAR",
      "taljare DOUBLE",
      "namnare DOUBLE",
      "varde DOUBLE",
      "status VARCHAR",
    ]);
  });

  it("records inputs, outputs and suppression in a manifest that matches the files", async () => {
    const root = await tempDir();
    const out = join(root, "pub");
    await buildPublication({ input: extract, out, cacheDir: join(root, "cache") }, standInSteps());
    const manifest = JSON.parse(await readFile(join(out, "manifest.json"), "utf8")) as Manifest;
    const sha = async (file: string) =>
      createHash("sha256")
        .update(await readFile(file))
        .digest("hex");
    expect(manifest.inputs).toEqual([
      {
        file: "personer_2019.csv",
        bytes: (await readFile(join(extract, "personer_2019.csv"))).length,
        sha256: await sha(join(extract, "personer_2019.csv")),
      },
      {
        file: "personer_2020.csv",
        bytes: (await readFile(join(extract, "personer_2020.csv"))).length,
        sha256: await sha(join(extract, "personer_2020.csv")),
      },
    ]);
    expect(manifest.years).toEqual([2019, 2020]);
    expect(manifest.sdc).toBe("on");
    expect(manifest.workbench.name).toBe("registerdata-integration");
    expect(manifest.dependencies["@duckdb/node-api"]).toMatch(/^1\.5\.6/);
    // Suppressed (antal < 2): folkmangd and andel_kvinnor 4 cells each (2019: 0180 men; 2020: 0180 men,
    // 1280 totalt, 1280 men); kvar 2020 one cell (2019's 0180 men: one person). 4 + 4 + 1 = 9.
    expect(manifest.disclosure.suppressed.find((s) => s.table === "indikatorer")?.cells).toBe(9);
    expect(manifest.disclosure.rules).toEqual({ minsta_antal: 2 });
    const files = Object.keys(withoutBuildLog(await snapshot(out))).filter((f) => f !== "manifest.json");
    expect(manifest.outputs.map((o) => o.path)).toEqual(files);
    for (const output of manifest.outputs) {
      expect(output.sha256).toBe(await sha(join(out, output.path)));
    }
    // folkmangd/kommun holds the 10 cells listed in the test above.
    expect(manifest.outputs.find((o) => o.path === "indikatorer/folkmangd/kommun.parquet")?.rows).toBe(10);
    // regioner: riket + 21 län + 290 kommuner + 3,363 RegSO + 5,984 DeSO = 9,659.
    expect(manifest.outputs.find((o) => o.path === "regioner.parquet")?.rows).toBe(9659);
    expect(manifest.build_log).toBe("build-log.json");
    const log = JSON.parse(await readFile(join(out, "build-log.json"), "utf8"));
    expect(log.steps.map((s: { step: string }) => s.step)).toContain("disclosure control");
  });

  it("publishes raw values without internal columns when disclosure control is off", async () => {
    const root = await tempDir();
    const out = join(root, "pub");
    await buildPublication(
      { input: extract, out, sdc: false, cacheDir: join(root, "cache") },
      standInSteps(),
    );
    const file = join(out, "indikatorer/folkmangd/kommun.parquet");
    // 2019, 0180, men: one person, published as such without disclosure control.
    expect(await rows(file, "ar = 2019 AND region = '0180' AND kon = '1'")).toEqual([
      { ar: 2019, region: "0180", kon: "1", taljare: 1, namnare: null, varde: 1, status: null },
    ]);
    const con = await openDatabase();
    const columns = await queryRows<{ column_name: string }>(
      con,
      `DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`,
    );
    const segregation = await queryRows<{ column_name: string }>(
      con,
      `DESCRIBE SELECT * FROM read_parquet(${sqlString(join(out, "segregation/riket.parquet"))})`,
    );
    con.closeSync();
    expect(columns.map((c) => c.column_name)).not.toContain("antal");
    expect(columns.map((c) => c.column_name)).not.toContain("antal_taljare");
    expect(segregation.map((c) => c.column_name)).not.toContain("grupp_antal");
    const manifest = JSON.parse(await readFile(join(out, "manifest.json"), "utf8")) as Manifest;
    expect(manifest.sdc).toBe("off");
  });

  it("gives byte-identical publications from a cold build and a cache-warm incremental one", async () => {
    const root = await tempDir();
    const cold = join(root, "cold");
    await buildPublication({ input: extract, out: cold, cacheDir: join(root, "cache-cold") }, standInSteps());
    const again = join(root, "again");
    await buildPublication(
      { input: extract, out: again, cacheDir: join(root, "cache-again") },
      standInSteps(),
    );
    expect(withoutBuildLog(await snapshot(again))).toEqual(withoutBuildLog(await snapshot(cold)));

    // One year at a time: 2020 opens 2019 again (its longitudinal indicators read it); same bytes.
    const batched = standInSteps();
    const oneByOne = join(root, "one-by-one");
    await buildPublication(
      { input: extract, out: oneByOne, cacheDir: join(root, "cache-batched"), batchYears: 1 },
      batched,
    );
    expect(batched.calls.filter((c) => c.step === "person frame").map((c) => c.years)).toEqual([
      [2019],
      [2019, 2020],
    ]);
    expect(batched.calls.filter((c) => c.step === "indicators").map((c) => c.years)).toEqual([
      [2019],
      [2020],
    ]);
    expect(withoutBuildLog(await snapshot(oneByOne))).toEqual(withoutBuildLog(await snapshot(cold)));

    // Incremental: 2019 first, then 2019–2020 on the same cache.
    const cache = join(root, "cache-inc");
    await buildPublication(
      { input: extract, out: join(root, "first"), years: [2019], cacheDir: cache },
      standInSteps(),
    );
    const steps = standInSteps();
    const incremental = join(root, "incremental");
    await buildPublication({ input: extract, out: incremental, years: [2019, 2020], cacheDir: cache }, steps);
    expect(withoutBuildLog(await snapshot(incremental))).toEqual(withoutBuildLog(await snapshot(cold)));
    // Only 2020 was computed; 2019 was opened because 2020's longitudinal indicators read it.
    const indicatorCalls = steps.calls.filter((c) => c.step === "indicators");
    expect(indicatorCalls.map((c) => c.years)).toEqual([[2020]]);
    expect(steps.calls.find((c) => c.step === "person frame")?.years).toEqual([2019, 2020]);
    expect(steps.calls.find((c) => c.step === "segregation")?.years).toEqual([2020]);
    // Disclosure control protects and audits only 2020; 2019's protected table comes from the cache.
    expect(steps.calls.filter((c) => c.step === "protect" || c.step === "audit")).toEqual([
      { step: "protect", partitions: ["2020"] },
      { step: "audit", partitions: ["2020"] },
    ]);

    // Families of shared denominators look at every year: when they change, every year is
    // protected again (and the result is still the cold build's).
    const changed = standInSteps();
    changed.families = "other families";
    const again2 = join(root, "families-changed");
    await buildPublication({ input: extract, out: again2, years: [2019, 2020], cacheDir: cache }, changed);
    expect(changed.calls.find((c) => c.step === "protect")).toEqual({
      step: "protect",
      partitions: ["2019", "2020"],
    });
    expect(withoutBuildLog(await snapshot(again2))).toEqual(withoutBuildLog(await snapshot(cold)));
  });

  it("recomputes nothing when nothing changed and only the edited indicator when a definition changes", async () => {
    const root = await tempDir();
    const cache = join(root, "cache");
    const out = join(root, "pub");
    await buildPublication({ input: extract, out, cacheDir: cache }, standInSteps());
    const before = await snapshot(out);

    const warm = standInSteps();
    await buildPublication({ input: extract, out, cacheDir: cache }, warm);
    expect(warm.calls.map((c) => c.step)).toEqual(["validate", "protect", "audit"]);
    expect(withoutBuildLog(await snapshot(out))).toEqual(withoutBuildLog(before));

    const edited = standInSteps();
    const andel = edited.defs.find((d) => d.id === "andel_kvinnor");
    if (!andel) throw new Error("stand-in lacks andel_kvinnor");
    andel.varde = "50.0 * count(*) FILTER (WHERE kon = 2) / count(*)"; // half the share
    await buildPublication({ input: extract, out, cacheDir: cache }, edited);
    const indicatorCalls = edited.calls.filter((c) => c.step === "indicators");
    expect(indicatorCalls).toEqual([
      { step: "indicators", years: [2019, 2020], indicators: ["andel_kvinnor"] },
    ]);
    expect(edited.calls.some((c) => c.step === "segregation")).toBe(false);
    const after = await snapshot(out);
    // 2020 riket: 3 women of 5 persons = 60 %, halved by the edit = 30.
    expect(
      await rows(join(out, "indikatorer/andel_kvinnor/riket.parquet"), "ar = 2020 AND kon = 'totalt'"),
    ).toEqual([{ ar: 2020, region: "00", kon: "totalt", taljare: 3, namnare: 5, varde: 30, status: null }]);
    expect(after["indikatorer/folkmangd/kommun.parquet"]).toBe(
      before["indikatorer/folkmangd/kommun.parquet"],
    );
    expect(after["indikatorer/andel_kvinnor/riket.parquet"]).not.toBe(
      before["indikatorer/andel_kvinnor/riket.parquet"],
    );
  });

  it("reports every step to onStep, then each indicator area alone when profiling", async () => {
    const root = await tempDir();
    const steps = standInSteps();
    const seen: [string, number | null][] = [];
    await buildPublication(
      {
        input: extract,
        out: join(root, "pub"),
        cacheDir: null,
        profileIndicatorAreas: true,
        onStep: (name, seconds, rows) => {
          expect(seconds).toBeGreaterThanOrEqual(0);
          seen.push([name, rows]);
        },
      },
      steps,
    );
    // Stand-in areas in catalogue order: arbetsmarknad (kvar) after demografi (folkmangd, andel_kvinnor).
    expect(seen.map(([name]) => name)).toEqual([
      "validate",
      "open extract",
      "person frame",
      "areas (områdestyper)",
      "indicators",
      "segregation",
      // After the batch's results went to the cache (and left memory).
      "cache: store parts",
      "profile: indicators demografi",
      "profile: indicators arbetsmarknad",
      "cache: load raw tables",
      "disclosure control",
      "disclosure audit",
      "write",
    ]);
    // person_ar holds the 5 persons of 2019 and the 5 of 2020.
    expect(seen.find(([name]) => name === "person frame")?.[1]).toBe(10);
    // kvar 2020 cells: riket totalt, riket män, riket kvinnor, 0180 totalt/män/kvinnor, 1280 totalt/män = 8.
    expect(seen.find(([name]) => name === "profile: indicators arbetsmarknad")?.[1]).toBe(8);
    expect(steps.calls.filter((c) => c.step === "indicators").map((c) => c.indicators)).toEqual([
      ["folkmangd", "andel_kvinnor", "kvar"],
      ["folkmangd", "andel_kvinnor"],
      ["kvar"],
    ]);
  });

  it("publishes nothing when validation fails and keeps the previous publication", async () => {
    const root = await tempDir();
    const out = join(root, "pub");
    await buildPublication({ input: extract, out, cacheDir: join(root, "cache") }, standInSteps());
    const before = await snapshot(out);
    const failing = standInSteps({ failValidation: true });
    const attempt = buildPublication({ input: extract, out, cacheDir: join(root, "cache") }, failing);
    await expect(attempt).rejects.toThrow(UserError);
    await expect(attempt).rejects.toThrow(
      'nothing was published: personer_2020.csv: column kon: rule "code list 1, 2": 3 row(s) (3 rows with a kon outside 1, 2)',
    );
    expect(failing.calls.map((c) => c.step)).toEqual(["validate"]);
    expect(await snapshot(out)).toEqual(before);
    expect((await readdir(root)).sort()).toEqual(["cache", "pub"]);
  });

  it("keeps the previous publication when a later step fails", async () => {
    const root = await tempDir();
    const out = join(root, "pub");
    await buildPublication({ input: extract, out, cacheDir: join(root, "cache") }, standInSteps());
    const before = await snapshot(out);
    const broken = standInSteps();
    broken.protectTables = async () => {
      throw new Error("stand-in failure in disclosure control");
    };
    await expect(
      buildPublication({ input: extract, out, cacheDir: join(root, "cache") }, broken),
    ).rejects.toThrow("stand-in failure");
    expect(await snapshot(out)).toEqual(before);
    expect((await readdir(root)).sort()).toEqual(["cache", "pub"]);
  });

  it("names the years an extract lacks", async () => {
    const root = await tempDir();
    await expect(
      buildPublication({ input: extract, out: join(root, "pub"), years: [2018, 2019, 2021] }, standInSteps()),
    ).rejects.toThrow("no personer_YYYY.parquet or .csv for year(s) 2018, 2021 (present: 2019, 2020)");
  });

  it("writes the review of the previous publication as granskning.json", async () => {
    const root = await tempDir();
    const cache = join(root, "cache");
    const previous = join(root, "previous");
    await buildPublication({ input: extract, out: previous, years: [2019], cacheDir: cache }, standInSteps());
    const out = join(root, "pub");
    await buildPublication({ input: extract, out, previous, cacheDir: cache }, standInSteps());
    const review = JSON.parse(await readFile(join(out, "granskning.json"), "utf8"));
    expect(review.years.added).toEqual([2020]);
    expect(review.revisions.cells).toBe(0);
    // rdi build --previous reviews with the default population minimum of rdi diff.
    expect(review.min_population).toBe(100);
    // kvar exists only from 2020, so the 2019-only publication did not have it.
    expect(review.indicators.added).toEqual(["kvar"]);
  });
});

describe("extract listing and arguments", () => {
  it("prefers Parquet over CSV and pairs emigration files with their year", async () => {
    const dir = await tempDir();
    const { writeFile } = await import("node:fs/promises");
    for (const name of [
      "personer_2020.csv",
      "personer_2020.parquet",
      "personer_2021.csv",
      "utvandrade_2021.parquet",
      "notes.txt",
    ]) {
      await writeFile(join(dir, name), "");
    }
    expect([...(await listExtract(dir)).entries()]).toEqual([
      [2020, { personer: "personer_2020.parquet" }],
      [2021, { personer: "personer_2021.csv", utvandrade: "utvandrade_2021.parquet" }],
    ]);
  });

  it("turns a failed validation report into one message naming file, column, rule and rows", () => {
    expect(validationFailure({ ok: true, problems: [] })).toBeNull();
    expect(
      validationFailure({
        ok: false,
        problems: [
          { file: "personer_2020.parquet", column: "kon", rule: "code list 1, 2", rows: 7, message: "" },
          {
            file: "personer_2021.parquet",
            column: null,
            rule: "personer file present",
            rows: 0,
            message: "missing",
          },
        ],
      }),
    ).toBe(
      'the extract failed validation, nothing was published: personer_2020.parquet: column kon: rule "code list 1, 2": 7 row(s); ' +
        'personer_2021.parquet: rule "personer file present": 0 row(s) (missing)',
    );
  });
});
