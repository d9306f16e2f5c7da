import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openDatabase, sqlString } from "../../../data-loaders/db.ts";
import { diffPublications } from "../../../data-loaders/publish/diff.ts";
import { writeIndicatorFiles } from "../../../data-loaders/publish/write.ts";
import { siteReview } from "../../../scripts/site/review.ts";
import { makeTempDir } from "../../temp.ts";

type Cell = [indikator: string, ar: number, niva: string, region: string, varde: number | null];

/**
 * A small publication: indicator files from cells (every breakdown 'totalt'; null = suppressed '..'),
 * the catalogue, a manifest and regioner.parquet. Shares have a denominator of 1000 persons and
 * c_antal counts 100 and 130, so every move passes the population minimum of rdi diff (100).
 */
async function publication(
  cells: Cell[],
  catalogue: { id: string; unit: string }[],
  manifest: { years: number[]; build_key: string },
): Promise<string> {
  const dir = makeTempDir("rdi-site-review-");
  const con = await openDatabase();
  const values = cells
    .map(
      ([id, ar, niva, region, varde]) =>
        `('${id}', ${ar}, '${niva}', '${region}', ${varde ?? "NULL"}, ${varde === null ? "'..'" : "NULL"})`,
    )
    .join(", ");
  await con.run(`CREATE TABLE pub AS SELECT indikator, ar, niva, region, 'totalt' AS kon,
      'totalt' AS alder, 'totalt' AS fodelseregion, 'totalt' AS vistelsetid, 'totalt' AS grund,
      'totalt' AS utbildningsniva, 'totalt' AS bakgrund, 'totalt' AS omradestyp,
      varde AS taljare, CASE WHEN indikator = 'a_andel' THEN 1000 END::DOUBLE AS namnare, varde, status
    FROM (VALUES ${values}) t(indikator, ar, niva, region, varde, status)`);
  await writeIndicatorFiles(con, "pub", dir);
  await con.run(
    `COPY (SELECT * FROM (VALUES ('riket', '00', 'Riket'), ('kommun', '0114', 'Upplands Väsby'),
       ('kommun', '0180', 'Stockholm')) t(niva, region, namn)) TO ${sqlString(path.join(dir, "regioner.parquet"))} (FORMAT parquet)`,
  );
  con.closeSync();
  mkdirSync(path.join(dir, "indikatorer"), { recursive: true });
  writeFileSync(path.join(dir, "indikatorer", "katalog.json"), JSON.stringify({ indicators: catalogue }));
  writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest));
  return dir;
}

const CATALOGUE = [
  { id: "a_andel", unit: "procent" },
  { id: "b_antal", unit: "antal" },
  { id: "c_antal", unit: "antal" },
];

let previous: string;
let current: string;

beforeAll(async () => {
  previous = await publication(
    [
      ["a_andel", 2019, "riket", "00", 50],
      ["a_andel", 2020, "riket", "00", 58],
      ["a_andel", 2020, "kommun", "0180", null],
      ["a_andel", 2020, "kommun", "1280", null],
      ["a_andel", 2020, "kommun", "0114", 31],
      ["b_antal", 2020, "riket", "00", 7],
      ["c_antal", 2020, "riket", "00", 100],
    ],
    CATALOGUE,
    { years: [2019, 2020], build_key: "old-key" },
  );
  current = await publication(
    [
      ["a_andel", 2020, "riket", "00", 60],
      ["a_andel", 2021, "riket", "00", 85], // +25 percentage points: above 20
      ["a_andel", 2020, "kommun", "0180", 40],
      ["a_andel", 2021, "kommun", "0180", null], // suppressed in 2021 only
      ["a_andel", 2020, "kommun", "1280", null],
      ["a_andel", 2021, "kommun", "1280", 45], // published in 2021 only
      ["a_andel", 2020, "kommun", "1480", null],
      ["a_andel", 2021, "kommun", "1480", null], // suppressed both years: no change
      ["a_andel", 2020, "kommun", "0114", 30],
      ["a_andel", 2021, "kommun", "0114", 45], // +15 percentage points: below 20
      ["a_andel", 2020, "regso", "0180R001", 10],
      ["a_andel", 2021, "regso", "0180R001", null], // suppressed in 2021 only (every level counts)
      ["c_antal", 2020, "riket", "00", 100],
      ["c_antal", 2021, "riket", "00", 130], // +30 % of 100: above 20
    ],
    CATALOGUE.filter((entry) => entry.id !== "b_antal"),
    { years: [2020, 2021], build_key: "new-key" },
  );
});

describe("siteReview without a previous publication (mode 'ar')", () => {
  it("compares the latest year with the year before within the publication", async () => {
    const review = await siteReview(current);
    expect(review.mode).toBe("ar");
    expect(review.previous_source).toBeNull();
    expect(review.current).toEqual({ years: [2020, 2021], build_key: "new-key" });
    expect(review.previous).toBeNull();
    expect(review.years_compared).toEqual({ from: 2020, to: 2021 });
    // Nothing to revise and nothing added within one publication.
    expect(review.revisions).toBeNull();
    expect(review.indicators).toEqual({ added: [], removed: [] });
    expect(review.years).toEqual({ added: [], removed: [] });
  });

  it("counts the cells whose suppression differs between the two years, at every level", async () => {
    const review = await siteReview(current);
    // a_andel: kommun 0180 and RegSO 0180R001 suppressed in 2021 only (2); kommun 1280 published in 2021
    // only (1); kommun 1480 suppressed in both years is no change. c_antal: no suppression.
    expect(review.suppression).toEqual({
      newly_suppressed: 2,
      newly_published: 1,
      by_indicator: [{ indikator: "a_andel", newly_suppressed: 2, newly_published: 1 }],
    });
  });

  it("lists the moves above the threshold in the latest year, largest first, with region names", async () => {
    const review = await siteReview(current);
    expect(review.threshold).toBe(20);
    expect(review.levels).toEqual(["riket", "lan", "kommun"]);
    // c_antal riket: (130 − 100) / 100 = +30 %; a_andel riket: 85 − 60 = +25 percentage points; a_andel
    // 0114: +15 is below 20; 1280 and 0180 have a suppressed year; RegSO is not checked.
    expect(review.year_on_year.years).toEqual([2021]);
    expect(review.year_on_year.cells).toBe(2);
    expect(review.year_on_year.by_indicator).toEqual([
      { indikator: "a_andel", cells: 1 },
      { indikator: "c_antal", cells: 1 },
    ]);
    const [first, second] = review.year_on_year.largest;
    expect(first).toMatchObject({ indikator: "c_antal", ar: 2021, namn: "Riket", fore: 100, efter: 130 });
    expect(first.unit).toBe("procent");
    expect(first.change).toBeCloseTo(30, 9);
    expect(second).toEqual({
      indikator: "a_andel",
      ar: 2021,
      niva: "riket",
      region: "00",
      namn: "Riket",
      cell: "",
      fore: 60,
      efter: 85,
      change: 25,
      unit: "procentenheter",
    });
    // With a threshold of 12, kommun 0114's +15 joins.
    expect((await siteReview(current, undefined, { threshold: 12 })).year_on_year.cells).toBe(3);
  });
});

describe("siteReview against a previous publication (mode 'publikationer')", () => {
  it("reports indicators and years added and removed, revisions and suppression changes", async () => {
    const review = await siteReview(current, previous);
    expect(review.mode).toBe("publikationer");
    expect(review.previous_source).toBe("RDI_PREVIOUS_PUBLICATION");
    expect(review.previous).toEqual({ years: [2019, 2020], build_key: "old-key" });
    expect(review.years_compared).toBeNull();
    expect(review.indicators).toEqual({ added: [], removed: ["b_antal"] });
    expect(review.years).toEqual({ added: [2021], removed: [2019] });
    // 2020 in both: a_andel riket 58 → 60 (+2), kommun 0114 31 → 30 (−1); c_antal unchanged.
    expect(review.revisions?.cells).toBe(2);
    expect(review.revisions?.by_indicator).toEqual([{ indikator: "a_andel", cells: 2 }]);
    expect(review.revisions?.largest.map((c) => [c.region, c.namn, c.fore, c.efter, c.change])).toEqual([
      ["00", "Riket", 58, 60, 2],
      ["0114", "Upplands Väsby", 31, 30, -1],
    ]);
    // 2020 kommun 0180: suppressed before, published now; 1280 suppressed in both.
    expect(review.suppression).toEqual({
      newly_suppressed: 0,
      newly_published: 1,
      by_indicator: [{ indikator: "a_andel", newly_suppressed: 0, newly_published: 1 }],
    });
    // The moves of the added year 2021, as in mode 'ar' here.
    expect(review.year_on_year.years).toEqual([2021]);
    expect(review.year_on_year.largest.map((c) => c.indikator)).toEqual(["c_antal", "a_andel"]);
  });

  it("takes the review that rdi build --previous stored in the publication when no variable is set", async () => {
    // The current publication as `rdi build --previous` writes it: with the diff against the previous
    // one as granskning.json (the JSON of `rdi diff --format json`).
    const stored = await publication(
      [
        ["a_andel", 2020, "riket", "00", 60],
        ["a_andel", 2021, "riket", "00", 85],
      ],
      CATALOGUE,
      { years: [2020, 2021], build_key: "stored-key" },
    );
    const diff = await diffPublications(previous, stored);
    writeFileSync(path.join(stored, "granskning.json"), JSON.stringify(diff));
    const review = await siteReview(stored);
    expect(review.mode).toBe("publikationer");
    expect(review.previous_source).toBe("granskning.json");
    // The stored review knows the previous years but not the previous build key.
    expect(review.previous).toEqual({ years: [2019, 2020], build_key: null });
    expect(review.years).toEqual({ added: [2021], removed: [2019] });
    // a_andel riket 2020: 58 → 60, named from regioner.parquet.
    expect(review.revisions?.largest.map((c) => [c.namn, c.change])).toEqual([["Riket", 2]]);
    // An explicit previous publication wins over the stored review.
    expect((await siteReview(stored, previous)).previous_source).toBe("RDI_PREVIOUS_PUBLICATION");
  });

  it("refuses a previous publication that is not one", async () => {
    const empty = makeTempDir("rdi-site-review-empty-");
    await expect(siteReview(current, empty)).rejects.toThrow(
      /RDI_PREVIOUS_PUBLICATION: .* has no manifest\.json/,
    );
    await expect(siteReview(current, path.join(empty, "missing"))).rejects.toThrow(/is not a directory/);
  });
});
