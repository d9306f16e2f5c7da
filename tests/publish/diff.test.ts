import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { UserError } from "../../data-loaders/cli/command.ts";
import { openDatabase } from "../../data-loaders/db.ts";
import { diffCommand } from "../../data-loaders/publish/cli.ts";
import { diffPublications, renderDiffText } from "../../data-loaders/publish/diff.ts";
import { writeIndicatorFiles } from "../../data-loaders/publish/write.ts";
import { tempDir } from "./helpers.ts";

type Cell = [
  indikator: string,
  ar: number,
  niva: string,
  region: string,
  kon: string,
  varde: number | null,
  /** The published denominator; left out for counts (published with namnare NULL, taljare = varde). */
  namnare?: number,
];

/**
 * Writes a publication's indicator files and catalogue from cells (other breakdowns 'totalt').
 * `taljare` is the value, which for counts is what the population minimum reads.
 */
async function publication(
  dir: string,
  cells: Cell[],
  catalogue: { id: string; unit: string }[],
): Promise<void> {
  const con = await openDatabase();
  const values = cells
    .map(
      ([id, ar, niva, region, kon, varde, namnare]) =>
        `('${id}', ${ar}, '${niva}', '${region}', '${kon}', ${varde ?? "NULL"}, ${
          varde === null || namnare === undefined ? "NULL" : namnare
        }::DOUBLE, ${varde === null ? "'..'" : "NULL"})`,
    )
    .join(", ");
  await con.run(`CREATE TABLE pub AS SELECT indikator, ar, niva, region, kon,
      'totalt' AS alder, 'totalt' AS fodelseregion, 'totalt' AS vistelsetid, 'totalt' AS grund,
      'totalt' AS utbildningsniva, 'totalt' AS bakgrund, 'totalt' AS omradestyp,
      varde AS taljare, namnare, varde, status
    FROM (VALUES ${values}) t(indikator, ar, niva, region, kon, varde, namnare, status)`);
  await writeIndicatorFiles(con, "pub", dir);
  con.closeSync();
  await mkdir(join(dir, "indikatorer"), { recursive: true });
  await writeFile(join(dir, "indikatorer", "katalog.json"), JSON.stringify(catalogue));
}

let oldDir: string;
let newDir: string;

beforeAll(async () => {
  const root = await tempDir();
  oldDir = join(root, "old");
  newDir = join(root, "new");
  // Shares have 1000 persons in every cell and c_antal counts 100 and 130 at riket, so every move
  // here passes the population minimum of 100; the minimum itself is tested further down.
  await publication(
    oldDir,
    [
      ["a_andel", 2019, "riket", "00", "totalt", 50, 1000],
      ["a_andel", 2019, "riket", "00", "2", 55, 1000],
      ["a_andel", 2020, "riket", "00", "totalt", 60, 1000],
      ["a_andel", 2020, "kommun", "0180", "totalt", 40, 1000],
      ["a_andel", 2020, "kommun", "1280", "totalt", null],
      ["b_antal", 2020, "riket", "00", "totalt", 7],
    ],
    [
      { id: "a_andel", unit: "%" },
      { id: "b_antal", unit: "antal" },
    ],
  );
  await publication(
    newDir,
    [
      ["a_andel", 2019, "riket", "00", "totalt", 50, 1000],
      ["a_andel", 2019, "riket", "00", "2", 54, 1000], // revised −1
      ["a_andel", 2020, "riket", "00", "totalt", 62, 1000], // revised +2
      ["a_andel", 2021, "riket", "00", "totalt", 85, 1000], // +23 pp from 2020: above 20
      ["a_andel", 2020, "kommun", "0180", "totalt", null], // newly suppressed
      ["a_andel", 2021, "kommun", "0180", "totalt", 45, 1000], // 2020 suppressed: not compared
      ["a_andel", 2020, "kommun", "1280", "totalt", 30, 1000], // newly published
      ["a_andel", 2021, "kommun", "1280", "totalt", 45, 1000], // +15 pp: below 20
      ["a_andel", 2020, "regso", "0180R001", "totalt", 10, 1000],
      ["a_andel", 2021, "regso", "0180R001", "totalt", 90, 1000], // +80 pp, but RegSO is not checked by default
      ["c_antal", 2020, "riket", "00", "totalt", 100],
      ["c_antal", 2021, "riket", "00", "totalt", 130], // +30 % from 2020: above 20
      ["c_antal", 2020, "kommun", "0180", "totalt", 10],
      ["c_antal", 2021, "kommun", "0180", "totalt", 11], // +10 %: below 20
    ],
    [
      { id: "a_andel", unit: "%" },
      { id: "c_antal", unit: "antal" },
    ],
  );
});

describe("diffPublications", () => {
  it("finds added and removed indicators and years", async () => {
    const diff = await diffPublications(oldDir, newDir);
    expect(diff.indicators).toEqual({ added: ["c_antal"], removed: ["b_antal"] });
    expect(diff.years).toEqual({ old: [2019, 2020], new: [2019, 2020, 2021], added: [2021], removed: [] });
  });

  it("lists revised values of earlier years, largest first", async () => {
    const diff = await diffPublications(oldDir, newDir);
    expect(diff.revisions.cells).toBe(2);
    expect(diff.revisions.by_indicator).toEqual([{ indikator: "a_andel", cells: 2 }]);
    expect(diff.revisions.largest).toEqual([
      {
        indikator: "a_andel",
        ar: 2020,
        niva: "riket",
        region: "00",
        cell: "",
        fore: 60,
        efter: 62,
        change: 2,
        unit: "procentenheter",
      },
      {
        indikator: "a_andel",
        ar: 2019,
        niva: "riket",
        region: "00",
        cell: "kon=2",
        fore: 55,
        efter: 54,
        change: -1,
        unit: "procentenheter",
      },
    ]);
  });

  it("counts cells that became suppressed or were released", async () => {
    const diff = await diffPublications(oldDir, newDir);
    expect(diff.suppression).toEqual({
      newly_suppressed: 1,
      newly_published: 1,
      by_indicator: [{ indikator: "a_andel", newly_suppressed: 1, newly_published: 1 }],
    });
  });

  it("flags year-on-year moves above the threshold in percentage points or per cent", async () => {
    const diff = await diffPublications(oldDir, newDir);
    expect(diff.year_on_year.years).toEqual([2021]);
    expect(diff.year_on_year.by_indicator).toEqual([
      { indikator: "a_andel", cells: 1 },
      { indikator: "c_antal", cells: 1 },
    ]);
    // c_antal: (130 − 100) / 100 = +30 %; a_andel: 85 − 62 = +23 percentage points.
    const [first, second] = diff.year_on_year.largest;
    expect(first).toMatchObject({ indikator: "c_antal", fore: 100, efter: 130, unit: "procent" });
    expect(first.change).toBeCloseTo(30, 9);
    expect(second).toEqual({
      indikator: "a_andel",
      ar: 2021,
      niva: "riket",
      region: "00",
      cell: "",
      fore: 62,
      efter: 85,
      change: 23,
      unit: "procentenheter",
    });
    // Threshold 12 adds 1280 (+15 pp); RegSO joins only when asked for (+80 pp).
    expect((await diffPublications(oldDir, newDir, { threshold: 12 })).year_on_year.cells).toBe(3);
    expect(
      (await diffPublications(oldDir, newDir, { levels: ["riket", "lan", "kommun", "regso"] })).year_on_year
        .cells,
    ).toBe(3);
  });

  it("renders the review as text", async () => {
    const text = renderDiffText(await diffPublications(oldDir, newDir));
    expect(text).toContain(
      "Indicators added: c_antal\nIndicators removed: b_antal\nYears added: 2021; years removed: none\n",
    );
    expect(text).toContain("Revised values in earlier years: 2 cell(s)\n  a_andel: 2\n");
    expect(text).toContain("    a_andel 2020 riket 00: 60 → 62 (+2.00 pe)\n");
    expect(text).toContain("Suppression changes: 1 newly suppressed, 1 newly published\n");
    expect(text).toContain("    a_andel 2021 riket 00: 62 → 85 (+23.00 pe)\n");
  });
});

/**
 * One publication of 2020 and 2021 (compared with itself: only the year-on-year check has
 * anything to report). Moves of 2021 against 2020, threshold 20, minimum population 100:
 *
 * | indikator (unit)          | cell        | 2020 (pop.)  | 2021 (pop.)  | move                            | population ≥ 100 in both |
 * |---------------------------|-------------|--------------|--------------|---------------------------------|--------------------------|
 * | m_medel (dagar)           | kommun 0180 | 0.1 (40)     | 21.1 (45)    | 21 / 0.1 = +21 000 %            | no                       |
 * | m_medel                   | kommun 1280 | 0.1 (400)    | 21.1 (450)   | +21 000 %                       | yes                      |
 * | m_medel                   | kommun 0114 | 10 (99)      | 20 (500)     | +100 %                          | no (99 in 2020)          |
 * | m_medel                   | kommun 0115 | 10 (100)     | 15 (100)     | +50 %                           | yes (exactly 100)        |
 * | p_andel (procent)         | kommun 0180 | 10 (50)      | 40 (50)      | +30 pp                          | no                       |
 * | p_andel                   | kommun 1280 | 10 (5000)    | 40 (5000)    | +30 pp                          | yes                      |
 * | p_andel                   | riket 00    | 50 (10^6)    | 75 (10^6)    | +25 pp                          | yes                      |
 * | n_antal (antal, net flow) | kommun 0180 | −150 (150)   | −300 (300)   | −150 / 150 = −100 %             | yes (absolute count)     |
 * | n_antal                   | kommun 1280 | 50 (50)      | 90 (90)      | +80 %                           | no                       |
 * | n_antal                   | riket 00    | 1000 (1000)  | 1300 (1300)  | +30 %                           | yes                      |
 * | andel_sjukpenning (share  | riket 00    | 5 (80 kr)    | 30 (80 kr)   | +25 pp                          | not applied: namnare is  |
 * |   of money, summaandel)   |             |              |              |                                 | kronor, not persons      |
 * | p_andel                   | kommun 0120 | 20 (5000)    | 35 (5000)    | +15 pp: under the threshold     | —                        |
 *
 * Reported: 7 cells; above the threshold but too small: 4 (m_medel 0180 and 0114, p_andel 0180,
 * n_antal 1280). Ranked by |move|: 21 000, 100, 50, then 30 (n_antal before p_andel by key; the
 * relative 30 % may carry a float error of 1e-14 that only pushes it further ahead), then 25
 * (andel_sjukpenning before p_andel by key).
 */
describe("population minimum of year-on-year moves", () => {
  let pub: string;
  beforeAll(async () => {
    pub = join(await tempDir(), "pub");
    await publication(
      pub,
      [
        ["m_medel", 2020, "kommun", "0180", "totalt", 0.1, 40],
        ["m_medel", 2021, "kommun", "0180", "totalt", 21.1, 45],
        ["m_medel", 2020, "kommun", "1280", "totalt", 0.1, 400],
        ["m_medel", 2021, "kommun", "1280", "totalt", 21.1, 450],
        ["m_medel", 2020, "kommun", "0114", "totalt", 10, 99],
        ["m_medel", 2021, "kommun", "0114", "totalt", 20, 500],
        ["m_medel", 2020, "kommun", "0115", "totalt", 10, 100],
        ["m_medel", 2021, "kommun", "0115", "totalt", 15, 100],
        ["p_andel", 2020, "kommun", "0180", "totalt", 10, 50],
        ["p_andel", 2021, "kommun", "0180", "totalt", 40, 50],
        ["p_andel", 2020, "kommun", "1280", "totalt", 10, 5000],
        ["p_andel", 2021, "kommun", "1280", "totalt", 40, 5000],
        ["p_andel", 2020, "riket", "00", "totalt", 50, 1e6],
        ["p_andel", 2021, "riket", "00", "totalt", 75, 1e6],
        ["p_andel", 2020, "kommun", "0120", "totalt", 20, 5000],
        ["p_andel", 2021, "kommun", "0120", "totalt", 35, 5000],
        ["n_antal", 2020, "kommun", "0180", "totalt", -150],
        ["n_antal", 2021, "kommun", "0180", "totalt", -300],
        ["n_antal", 2020, "kommun", "1280", "totalt", 50],
        ["n_antal", 2021, "kommun", "1280", "totalt", 90],
        ["n_antal", 2020, "riket", "00", "totalt", 1000],
        ["n_antal", 2021, "riket", "00", "totalt", 1300],
        ["andel_sjukpenning", 2020, "riket", "00", "totalt", 5, 80],
        ["andel_sjukpenning", 2021, "riket", "00", "totalt", 30, 80],
      ],
      [
        { id: "m_medel", unit: "dagar" },
        { id: "p_andel", unit: "procent" },
        { id: "n_antal", unit: "antal" },
        { id: "andel_sjukpenning", unit: "procent" },
      ],
    );
  });

  const where = (c: { indikator: string; niva: string; region: string }) =>
    `${c.indikator} ${c.niva} ${c.region}`;

  it("reports a large move only on a population of at least the minimum in both years", async () => {
    const diff = await diffPublications(pub, pub);
    expect(diff.min_population).toBe(100);
    expect(diff.year_on_year.years).toEqual([2021]);
    expect(diff.year_on_year.cells).toBe(7);
    expect(diff.year_on_year.below_min_population).toBe(4);
    expect(diff.year_on_year.by_indicator).toEqual([
      { indikator: "andel_sjukpenning", cells: 1 },
      { indikator: "m_medel", cells: 2 },
      { indikator: "n_antal", cells: 2 },
      { indikator: "p_andel", cells: 2 },
    ]);
    const listed = diff.year_on_year.largest.map(where);
    // The same +21 000 % on 40 persons is left out, on 400 it is reported.
    expect(listed).not.toContain("m_medel kommun 0180");
    expect(listed).toContain("m_medel kommun 1280");
    expect(listed).not.toContain("p_andel kommun 0180");
    expect(listed).not.toContain("m_medel kommun 0114");
  });

  it("ranks the moves that pass: percentage points and relative change by size", async () => {
    const diff = await diffPublications(pub, pub);
    expect(diff.year_on_year.largest.map(where)).toEqual([
      "m_medel kommun 1280",
      "n_antal kommun 0180",
      "m_medel kommun 0115",
      "n_antal riket 00",
      "p_andel kommun 1280",
      "andel_sjukpenning riket 00",
      "p_andel riket 00",
    ]);
    const [first, second] = diff.year_on_year.largest;
    expect(first).toMatchObject({ fore: 0.1, efter: 21.1, unit: "procent" });
    expect(first.change).toBeCloseTo(21000, 6);
    expect(second).toMatchObject({ fore: -150, efter: -300, unit: "procent" });
    expect(second.change).toBeCloseTo(-100, 9);
    expect(diff.year_on_year.largest[4]).toMatchObject({ change: 30, unit: "procentenheter" });
    // --top cuts the ranking after the population minimum: the left-out 0180 (also +21 000 %,
    // and first by key) does not take a place.
    const top2 = await diffPublications(pub, pub, { top: 2 });
    expect(top2.year_on_year.largest.map(where)).toEqual(["m_medel kommun 1280", "n_antal kommun 0180"]);
  });

  it("follows the minimum given", async () => {
    // 0: every move above the threshold counts (7 + 4).
    const all = await diffPublications(pub, pub, { minPopulation: 0 });
    expect(all.year_on_year.cells).toBe(11);
    expect(all.year_on_year.below_min_population).toBe(0);
    expect(all.year_on_year.largest.slice(0, 2).map(where)).toEqual([
      "m_medel kommun 0180",
      "m_medel kommun 1280",
    ]);
    // 500: p_andel 1280 and riket, n_antal riket (1000, 1300) and the money share remain.
    const large = await diffPublications(pub, pub, { minPopulation: 500 });
    expect(large.year_on_year.cells).toBe(4);
    expect(large.year_on_year.below_min_population).toBe(7);
    await expect(diffPublications(pub, pub, { minPopulation: -1 })).rejects.toThrow(
      "minPopulation must be a number ≥ 0",
    );
  });

  it("says in the text how many moves were too small to list", async () => {
    const text = renderDiffText(await diffPublications(pub, pub));
    expect(text).toContain("population at least 100 in both years: 7 cell(s)\n");
    expect(text).toContain("  not listed: 4 cell(s) above the threshold on a population under 100\n");
    expect(text).toContain("    m_medel 2021 kommun 1280: 0.10 → 21.10 (+21000.00 %)\n");
  });

  it("rdi diff --min-population sets the minimum and rejects what is not a whole number ≥ 0", async () => {
    const writes: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      expect(await diffCommand.run([pub, pub, "--format", "json", "--min-population", "500"])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const diff = JSON.parse(writes.join(""));
    expect(diff.min_population).toBe(500);
    expect(diff.year_on_year.cells).toBe(4);
    // `=` so that parseArgs takes "-1" as the value, not as an option.
    for (const bad of ["-1", "abc", "2.5", ""]) {
      const run = diffCommand.run([pub, pub, `--min-population=${bad}`]);
      await expect(run).rejects.toBeInstanceOf(UserError);
      await expect(run).rejects.toThrow(`--min-population: '${bad}' is not a whole number ≥ 0 (persons)`);
    }
  });
});

describe("rdi diff", () => {
  it("prints JSON with --format json and rejects a bad format", async () => {
    const writes: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      expect(await diffCommand.run([oldDir, newDir, "--format", "json", "--threshold", "25"])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const diff = JSON.parse(writes.join(""));
    expect(diff.threshold).toBe(25);
    // At 25, only c_antal's +30 % remains.
    expect(diff.year_on_year.cells).toBe(1);
    await expect(diffCommand.run([oldDir, newDir, "--format", "xml"])).rejects.toThrow(
      "--format must be text or json",
    );
    await expect(diffCommand.run([oldDir])).rejects.toThrow("give two publication directories");
  });
});
