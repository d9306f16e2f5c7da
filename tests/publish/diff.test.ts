import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { openDatabase } from "../../data-loaders/db.ts";
import { diffCommand } from "../../data-loaders/publish/cli.ts";
import { diffPublications, renderDiffText } from "../../data-loaders/publish/diff.ts";
import { writeIndicatorFiles } from "../../data-loaders/publish/write.ts";
import { tempDir } from "./helpers.ts";

type Cell = [indikator: string, ar: number, niva: string, region: string, kon: string, varde: number | null];

/** Writes a publication's indicator files and catalogue from cells (other breakdowns 'totalt'). */
async function publication(
  dir: string,
  cells: Cell[],
  catalogue: { id: string; unit: string }[],
): Promise<void> {
  const con = await openDatabase();
  const values = cells
    .map(
      ([id, ar, niva, region, kon, varde]) =>
        `('${id}', ${ar}, '${niva}', '${region}', '${kon}', ${varde ?? "NULL"}, ${varde === null ? "'..'" : "NULL"})`,
    )
    .join(", ");
  await con.run(`CREATE TABLE pub AS SELECT indikator, ar, niva, region, kon,
      'totalt' AS alder, 'totalt' AS fodelseregion, 'totalt' AS vistelsetid, 'totalt' AS grund,
      'totalt' AS utbildningsniva, 'totalt' AS bakgrund, 'totalt' AS omradestyp,
      varde AS taljare, NULL AS namnare, varde, status
    FROM (VALUES ${values}) t(indikator, ar, niva, region, kon, varde, status)`);
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
  await publication(
    oldDir,
    [
      ["a_andel", 2019, "riket", "00", "totalt", 50],
      ["a_andel", 2019, "riket", "00", "2", 55],
      ["a_andel", 2020, "riket", "00", "totalt", 60],
      ["a_andel", 2020, "kommun", "0180", "totalt", 40],
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
      ["a_andel", 2019, "riket", "00", "totalt", 50],
      ["a_andel", 2019, "riket", "00", "2", 54], // revised −1
      ["a_andel", 2020, "riket", "00", "totalt", 62], // revised +2
      ["a_andel", 2021, "riket", "00", "totalt", 85], // +23 pp from 2020: above 20
      ["a_andel", 2020, "kommun", "0180", "totalt", null], // newly suppressed
      ["a_andel", 2021, "kommun", "0180", "totalt", 45], // 2020 suppressed: not compared
      ["a_andel", 2020, "kommun", "1280", "totalt", 30], // newly published
      ["a_andel", 2021, "kommun", "1280", "totalt", 45], // +15 pp: below 20
      ["a_andel", 2020, "regso", "0180R001", "totalt", 10],
      ["a_andel", 2021, "regso", "0180R001", "totalt", 90], // +80 pp, but RegSO is not checked by default
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
