import { describe, expect, it } from "vitest";
import type { CatalogueEntry } from "../../../src/components/catalogue.ts";
import {
  changeRows,
  changeText,
  comparisonText,
  describeCell,
  indicatorRows,
  type SiteReview,
  summaryRows,
  thresholdText,
} from "../../../src/components/review.ts";

const S = "\u00a0";
const M = "\u2212";

/** The catalogue fields the page reads. */
function entry(id: string, unit: string, decimals: number, sv: string, en: string): CatalogueEntry {
  return { id, unit, decimals, label: { sv, en } } as CatalogueEntry;
}

const CATALOGUE = new Map([
  ["forvarvsarbetande", entry("forvarvsarbetande", "procent", 1, "Förvärvsarbetande", "Gainfully employed")],
  ["folkmangd", entry("folkmangd", "antal", 0, "Folkmängd", "Population")],
  ["inkomst", entry("inkomst", "kr", 0, "Inkomst", "Income")],
]);

const EMPTY = { years: [], cells: 0, by_indicator: [], largest: [] };

/** A review within one publication (mode 'ar'), latest year 2023. */
const WITHIN: SiteReview = {
  mode: "ar",
  threshold: 20,
  levels: ["riket", "lan", "kommun"],
  min_population: 1000,
  current: { years: [2022, 2023], build_key: "k" },
  previous: null,
  previous_source: null,
  years_compared: { from: 2022, to: 2023 },
  indicators: { added: [], removed: [] },
  years: { added: [], removed: [] },
  revisions: null,
  suppression: {
    newly_suppressed: 1234,
    newly_published: 5,
    by_indicator: [
      { indikator: "folkmangd", newly_suppressed: 1200, newly_published: 0 },
      { indikator: "forvarvsarbetande", newly_suppressed: 34, newly_published: 5 },
    ],
  },
  year_on_year: {
    years: [2023],
    cells: 2,
    by_indicator: [
      { indikator: "folkmangd", cells: 1 },
      { indikator: "forvarvsarbetande", cells: 1 },
    ],
    largest: [
      {
        indikator: "folkmangd",
        ar: 2023,
        niva: "kommun",
        region: "0180",
        namn: "Stockholm",
        cell: "kon=2, alder=20-24",
        fore: 12000,
        efter: 8400,
        change: -30,
        unit: "procent",
      },
      {
        indikator: "forvarvsarbetande",
        ar: 2023,
        niva: "riket",
        region: "00",
        namn: "Riket",
        cell: "",
        fore: 60.25,
        efter: 85.5,
        change: 25.25,
        unit: "procentenheter",
      },
    ],
  },
};

/** A review against an earlier publication (mode 'publikationer'). */
const AGAINST: SiteReview = {
  ...WITHIN,
  mode: "publikationer",
  previous: { years: [2021, 2022], build_key: "old" },
  previous_source: "RDI_PREVIOUS_PUBLICATION",
  years_compared: null,
  indicators: { added: ["inkomst"], removed: [] },
  years: { added: [2023], removed: [2021] },
  revisions: {
    cells: 1,
    by_indicator: [{ indikator: "inkomst", cells: 1 }],
    largest: [
      {
        indikator: "inkomst",
        ar: 2022,
        niva: "lan",
        region: "01",
        namn: "Stockholms län",
        cell: "fodelseregion=utrikes",
        fore: 250000,
        efter: 248500,
        change: -1500,
        unit: "enhet",
      },
    ],
  },
  suppression: { newly_suppressed: 0, newly_published: 0, by_indicator: [] },
  year_on_year: EMPTY,
};

describe("comparisonText and thresholdText", () => {
  it("say which comparison the page shows", () => {
    expect(comparisonText(WITHIN, "sv")).toBe(
      "Ingen tidigare publicering är angiven, så sidan jämför det senaste året, 2023, med året före, 2022, inom publiceringen.",
    );
    expect(comparisonText(AGAINST, "en")).toBe(
      "The publication (years 2022–2023) is compared with an earlier publication (years 2021–2022).",
    );
    // A review that rdi build --previous stored in the publication says so.
    expect(comparisonText({ ...AGAINST, previous_source: "granskning.json" }, "sv")).toBe(
      "Publiceringen (år 2022–2023) jämförs med en tidigare publicering (år 2021–2022). Jämförelsen skrevs när publiceringen byggdes (rdi build --previous, filen granskning.json).",
    );
    const single = { ...WITHIN, current: { years: [2023], build_key: "k" }, years_compared: null };
    expect(comparisonText(single, "sv")).toMatch(/har inget år före 2023/);
  });

  it("name the threshold and the levels in the page's language", () => {
    expect(thresholdText(WITHIN, "sv")).toBe(
      "Tröskeln för förändringar från året före är 20 procentenheter för andelar och 20 procent av det tidigare värdet för övriga enheter; nivåer: riket, län och kommun. En förändring listas bara när cellen har minst 1\u00a0000 personer båda åren: små populationer förändras av en slump.",
    );
    expect(thresholdText({ ...WITHIN, levels: ["kommun", "regso"] }, "sv")).toMatch(
      /nivåer: kommun och RegSO\. En förändring/,
    );
    expect(thresholdText(WITHIN, "en")).toMatch(
      /; levels: Sweden, county and municipality\. A change is listed only when the cell has at least 1,000 persons/,
    );
  });
});

describe("summaryRows", () => {
  it("within one publication: suppression between the two years and the moves", () => {
    expect(summaryRows(WITHIN, "sv")).toEqual([
      {
        key: "suppression.newly_suppressed",
        label: "Celler som skyddas 2023 men publicerades 2022",
        value: `1${S}234`,
      },
      {
        key: "suppression.newly_published",
        label: "Celler som publiceras 2023 men skyddades 2022",
        value: "5",
      },
      {
        key: "year_on_year.cells",
        label: "Värden som ändrats mer än tröskeln från året före (celler)",
        value: "2",
      },
    ]);
    expect(summaryRows(WITHIN, "en")[0].value).toBe("1,234");
  });

  it("against an earlier publication: also indicators, years and revisions", () => {
    expect(summaryRows(AGAINST, "en").map((row) => [row.key, row.value])).toEqual([
      ["indicators.added", "inkomst"],
      ["indicators.removed", "none"],
      ["years.added", "2023"],
      ["years.removed", "2021"],
      ["revisions.cells", "1"],
      ["suppression.newly_suppressed", "0"],
      ["suppression.newly_published", "0"],
      ["year_on_year.cells", "0"],
    ]);
  });
});

describe("describeCell", () => {
  it("names the breakdown columns and codes, ages as they are", () => {
    expect(describeCell("", "sv")).toBe("Samtliga");
    expect(describeCell("kon=2, alder=20-24", "sv")).toBe("Kön: Kvinnor; Ålder: 20-24");
    expect(describeCell("fodelseregion=utrikes", "en")).toBe("Region of birth: Foreign-born");
  });
});

describe("changeText and changeRows", () => {
  it("write changes with their sign in percentage points, per cent or the indicator's unit", () => {
    const [relative, points] = WITHIN.year_on_year.largest;
    expect(changeText(relative, CATALOGUE.get("folkmangd"), "sv")).toBe(`${M}30,0${S}%`);
    expect(changeText(relative, CATALOGUE.get("folkmangd"), "en")).toBe(`${M}30.0%`);
    // 25.25 rounds half away from zero to 25.3.
    expect(changeText(points, CATALOGUE.get("forvarvsarbetande"), "sv")).toBe("+25,3 procentenheter");
    expect(changeText(points, CATALOGUE.get("forvarvsarbetande"), "en")).toBe("+25.3 percentage points");
    // A revision of kronor, 0 decimals from the catalogue: −1 500.
    const [revision] = AGAINST.revisions?.largest ?? [];
    expect(changeText(revision, CATALOGUE.get("inkomst"), "sv")).toBe(`${M}1${S}500`);
  });

  it("give every field of the table as text, values in the indicator's unit", () => {
    expect(changeRows(WITHIN.year_on_year.largest, CATALOGUE, "sv")).toEqual([
      {
        indikator: "Folkmängd",
        region: "Stockholm",
        niva: "Kommun",
        cell: "Kön: Kvinnor; Ålder: 20-24",
        ar: "2023",
        fore: `12${S}000`,
        efter: `8${S}400`,
        change: `${M}30,0${S}%`,
      },
      {
        indikator: "Förvärvsarbetande",
        region: "Riket",
        niva: "Riket",
        cell: "Samtliga",
        ar: "2023",
        // Per cent with one decimal: 60.25 → 60,3 (half away from zero).
        fore: `60,3${S}%`,
        efter: `85,5${S}%`,
        change: "+25,3 procentenheter",
      },
    ]);
    // Riket is "Sweden" on the English page, whatever regioner.parquet calls it.
    expect(changeRows(WITHIN.year_on_year.largest, CATALOGUE, "en")[1]).toMatchObject({
      region: "Sweden",
      niva: "Sweden",
      fore: "60.3%",
      change: "+25.3 percentage points",
    });
    const [english] = changeRows(AGAINST.revisions?.largest ?? [], CATALOGUE, "en");
    expect(english).toMatchObject({ indikator: "Income", niva: "County", fore: "250,000", efter: "248,500" });
  });
});

describe("indicatorRows", () => {
  it("lists each indicator with a change once, in catalogue order", () => {
    expect(indicatorRows(WITHIN, CATALOGUE, "sv")).toEqual([
      {
        indikator: "forvarvsarbetande",
        label: "Förvärvsarbetande",
        moves: "1",
        newlySuppressed: "34",
        newlyPublished: "5",
        // Nothing can be revised within one publication.
        revisions: ".",
      },
      {
        indikator: "folkmangd",
        label: "Folkmängd",
        moves: "1",
        newlySuppressed: `1${S}200`,
        newlyPublished: "0",
        revisions: ".",
      },
    ]);
    expect(indicatorRows(AGAINST, CATALOGUE, "en")).toEqual([
      {
        indikator: "inkomst",
        label: "Income",
        moves: "0",
        newlySuppressed: "0",
        newlyPublished: "0",
        revisions: "1",
      },
    ]);
  });
});
