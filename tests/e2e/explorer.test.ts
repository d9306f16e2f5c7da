// Browser test of the indicator explorer (src/indikatorer.md, src/en/indicators.md) in dist/: the
// controls change the chart and the URL, a URL restores the selection, and the downloads (CSV in both
// variants, JSON-stat 2.0, Parquet) hold the numbers of the published tables, read here in Node with
// DuckDB. Also: no console error, no request to another host. Prints p50/p95 of the time from a
// control change to the redrawn chart (not asserted: speed belongs in `npm run bench`).
// RDI_E2E_DIST points the test at another build (default: dist/).
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSession, startBrowserSession } from "./server.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const DIST = process.env.RDI_E2E_DIST ?? path.join(ROOT, "dist");
const PUBLICATION = path.join(DIST, "data", "publikation");
const DOWNLOADS = path.join(ROOT, "test-results", "explorer-downloads");
const SCREENSHOTS = path.join(ROOT, "test-results", "screenshots");
const BUILT = existsSync(path.join(DIST, "indikatorer.html"));
// The years of the publication: the test chooses among them.
const YEARS: number[] = BUILT
  ? [...JSON.parse(readFileSync(path.join(PUBLICATION, "manifest.json"), "utf8")).years].sort((a, b) => a - b)
  : [];
const FIRST = YEARS[0];
const LAST = YEARS[YEARS.length - 1];
// A narrower range inside the publication's years when it has three or more.
const RANGE_FROM = YEARS.length >= 3 ? YEARS[1] : FIRST;
const RANGE_TO = YEARS.length >= 3 ? YEARS[YEARS.length - 2] : LAST;

let session: BrowserSession;

interface Visit {
  page: Page;
  foreign: string[];
  errors: string[];
}

async function visit(urlPath: string): Promise<Visit> {
  const { context, foreign } = await session.newGuardedContext({
    viewport: { width: 1200, height: 900 },
    acceptDownloads: true,
  });
  const errors: string[] = [];
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(new URL(urlPath, session.baseUrl).href, { waitUntil: "load" });
  await page.waitForFunction(
    () => (document.querySelector(".explorer") as HTMLElement | null)?.dataset.state,
    null,
    {
      timeout: 60_000,
    },
  );
  return { page, foreign, errors };
}

/** The explorer's rendered state (the query string it drew) and its render count. */
async function rendered(page: Page): Promise<{ state: string; renders: number }> {
  return page.$eval(".explorer", (element) => ({
    state: (element as HTMLElement).dataset.state ?? "",
    renders: Number((element as HTMLElement).dataset.renders ?? 0),
  }));
}

/** Changes a select and waits until the explorer has drawn the new selection; returns the milliseconds. */
async function choose(page: Page, selector: string, value: string | string[]): Promise<number> {
  const before = (await rendered(page)).renders;
  const start = await page.evaluate(() => performance.now());
  await page.selectOption(selector, value);
  await page.waitForFunction(
    (count) => {
      const element = document.querySelector(".explorer") as HTMLElement | null;
      return Number(element?.dataset.renders ?? 0) > count && element?.dataset.state !== "";
    },
    before,
    { timeout: 30_000 },
  );
  return (await page.evaluate(() => performance.now())) - start;
}

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
  }
}

beforeAll(async () => {
  if (!BUILT) return;
  mkdirSync(DOWNLOADS, { recursive: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  session = await startBrowserSession(DIST);
});

afterAll(() => session?.close());

describe.skipIf(!BUILT)("indicator explorer", () => {
  it("restores a selection from the URL and draws chart, map and table", async () => {
    const search = `?indikator=forvarvsarbetande&niva=lan&regioner=01,03&uppdelning=ingen&fran=${RANGE_FROM}&till=${RANGE_TO}`;
    const shownYears = YEARS.filter((year) => year >= RANGE_FROM && year <= RANGE_TO).length;
    const { page, foreign, errors } = await visit(`indikatorer${search}`);
    expect((await rendered(page)).state).toBe(search);
    expect(new URL(page.url()).search).toBe(search);
    // The controls show the restored selection.
    expect(await page.$eval("#explorer-niva", (s) => (s as HTMLSelectElement).value)).toBe("lan");
    expect(
      await page.$eval("#explorer-regioner", (s) =>
        [...(s as HTMLSelectElement).selectedOptions].map((o) => o.value),
      ),
    ).toEqual(["01", "03"]);
    expect(await page.$eval("#explorer-fran", (s) => (s as HTMLSelectElement).value)).toBe(
      String(RANGE_FROM),
    );
    // Time series: one dot per region (2) and year of the range; the map has the 21 län.
    expect(await page.locator(".explorer-timeseries svg circle").count()).toBe(2 * shownYears);
    expect(await page.locator(".explorer-map svg path").count()).toBeGreaterThanOrEqual(21);
    // The table: one row per region and year.
    expect(await page.locator(".explorer-table tbody tr").count()).toBe(2 * shownYears);
    await page.screenshot({ path: path.join(SCREENSHOTS, "explorer-lan.png"), fullPage: true });
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("changes chart and URL with the controls and reports the redraw time", async () => {
    const { page, foreign, errors } = await visit("indikatorer?indikator=forvarvsarbetande&niva=riket");
    const times: number[] = [];
    times.push(await choose(page, "#explorer-uppdelning", "kon"));
    expect(new URL(page.url()).searchParams.get("uppdelning")).toBe("kon");
    // Riket split by kön: series totalt, män, kvinnor → 3 lines.
    expect(await page.locator(".explorer-timeseries svg path[stroke]").count()).toBeGreaterThanOrEqual(3);
    const changes: [string, string][] = [
      ["#explorer-fran", String(RANGE_FROM)],
      ["#explorer-till", String(RANGE_TO)],
      ["#explorer-uppdelning", "ingen"],
      ["#explorer-fran", String(FIRST)],
      ["#explorer-till", String(LAST)],
      ["#explorer-uppdelning", "kon"],
    ];
    for (let round = 0; round < 3; round++)
      for (const [selector, value] of changes) times.push(await choose(page, selector, value));
    expect(new URL(page.url()).search).toBe(
      `?indikator=forvarvsarbetande&niva=riket&regioner=00&uppdelning=kon&fran=${FIRST}&till=${LAST}`,
    );
    // Changing the level to län changes the URL and shows the map.
    times.push(await choose(page, "#explorer-niva", "lan"));
    expect(new URL(page.url()).searchParams.get("niva")).toBe("lan");
    expect(await page.locator(".explorer-map").count()).toBe(1);
    const sorted = [...times].sort((a, b) => a - b);
    const quantile = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    console.log(
      `explorer redraw after a control change, ${times.length} changes: p50 ${quantile(0.5).toFixed(0)} ms, p95 ${quantile(0.95).toFixed(0)} ms`,
    );
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("downloads CSV, Swedish-Excel CSV, JSON-stat 2.0 and Parquet with the published numbers", async () => {
    const search = `?indikator=forvarvsarbetande&niva=riket&regioner=00&uppdelning=kon&fran=${FIRST}&till=${LAST}`;
    const { page, foreign, errors } = await visit(`indikatorer${search}`);
    const published = await query(`
      SELECT ar::INTEGER AS ar, kon, varde::DOUBLE AS varde, status
      FROM '${path.join(PUBLICATION, "indikatorer/forvarvsarbetande/riket.parquet")}'
      WHERE alder = 'totalt' AND fodelseregion = 'totalt' AND vistelsetid = 'totalt' AND grund = 'totalt'
        AND utbildningsniva = 'totalt' AND bakgrund = 'totalt' AND omradestyp = 'totalt'
        AND ar BETWEEN ${FIRST} AND ${LAST}
      ORDER BY ar, kon`);
    expect(published.length).toBeGreaterThan(0);
    const expected = new Map(published.map((row) => [`${row.ar}|${row.kon}`, row]));

    const download = async (name: string) => {
      const [file] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name, exact: true }).click(),
      ]);
      const target = path.join(DOWNLOADS, file.suggestedFilename());
      await file.saveAs(target);
      return target;
    };

    // CSV: BOM, comma-separated, decimal point.
    const csv = readFileSync(await download("CSV"), "utf8");
    expect(
      csv.startsWith("\ufeffindikator,ar,niva,region,regionnamn,kon,taljare,namnare,varde,status\r\n"),
    ).toBe(true);
    const csvLines = csv.slice(1).trim().split("\r\n").slice(1);
    expect(csvLines.length).toBe(published.length);
    for (const line of csvLines) {
      const fields = line.split(",");
      const row = expected.get(`${fields[1]}|${fields[5]}`);
      expect(row, line).toBeDefined();
      expect(fields[8] === "" ? null : Number(fields[8])).toBe(row?.varde ?? null);
      expect(fields[9] === "" ? null : fields[9]).toBe(row?.status ?? null);
    }

    // Swedish Excel: semicolons and decimal comma, same numbers.
    const excel = readFileSync(await download("CSV för svenskt Excel"), "utf8");
    const excelLines = excel.slice(1).trim().split("\r\n");
    expect(excelLines[0]).toBe("indikator;ar;niva;region;regionnamn;kon;taljare;namnare;varde;status");
    for (const line of excelLines.slice(1)) {
      const fields = line.split(";");
      const row = expected.get(`${fields[1]}|${fields[5]}`);
      expect(fields[8] === "" ? null : Number(fields[8].replace(",", "."))).toBe(row?.varde ?? null);
    }

    // JSON-stat 2.0: dimensions region × kon × ar × ContentsCode, values in row-major order.
    const dataset = JSON.parse(readFileSync(await download("JSON-stat 2.0"), "utf8"));
    expect(dataset.version).toBe("2.0");
    expect(dataset.class).toBe("dataset");
    expect(dataset.id).toEqual(["region", "kon", "ar", "ContentsCode"]);
    expect(dataset.role).toEqual({ time: ["ar"], geo: ["region"], metric: ["ContentsCode"] });
    const kon = dataset.dimension.kon.category.index as Record<string, number>;
    const ar = dataset.dimension.ar.category.index as Record<string, number>;
    const [, konSize, arSize] = dataset.size as number[];
    for (const row of published) {
      const index = (kon[String(row.kon)] * arSize + ar[String(row.ar)]) * 1;
      expect(index).toBeLessThan(konSize * arSize);
      expect(dataset.value[index]).toBe(row.status == null ? row.varde : null);
      if (row.status != null) expect(dataset.status[String(index)]).toBe(row.status);
    }

    // Parquet, read back with DuckDB.
    const parquet = await download("Parquet");
    const fromParquet = await query(
      `SELECT ar::INTEGER AS ar, kon, varde, status FROM '${parquet}' ORDER BY ar, kon`,
    );
    expect(fromParquet).toEqual(published);
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("has an English version with English controls", async () => {
    const { page, foreign, errors } = await visit("en/indicators?indikator=forvarvsarbetande&niva=riket");
    expect(await page.locator("label[for=explorer-niva]").textContent()).toBe("Level");
    expect(await page.locator(".explorer-timeseries svg").count()).toBeGreaterThan(0);
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
  });
});
