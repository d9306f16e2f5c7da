// Browser tests of the built site (dist/, from `npm run build`): every page renders offline, with no
// request to another host, no console error and no page error; the Start pages draw a Plot chart that
// an Inputs control changes and show the result of a DuckDB-WASM query over a published Parquet file.
// Uses Debian's Chromium through playwright-core (never a browser download).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogueEntries } from "../../src/components/catalogue.ts";
import { formatNumber } from "../../src/components/format.ts";
import { BREAKDOWNS } from "../../src/components/indicators.ts";
import { changeRows, comparisonText, type SiteReview } from "../../src/components/review.ts";
import { type BrowserSession, isLocal, startBrowserSession } from "./server.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
// The built site: dist/, or the folder RDI_SITE_OUTPUT names (as in observablehq.config.ts).
const DIST = path.resolve(ROOT, process.env.RDI_SITE_OUTPUT || "dist");
const SCREENSHOTS = path.join(ROOT, "test-results", "screenshots");
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** The part of axe-core's API the test uses (the script is injected into the page). */
interface AxeLike {
  run(
    context: Document,
    options: { runOnly: string[] },
  ): Promise<{ violations: { id: string; impact?: string | null; nodes: { target: string[] }[] }[] }>;
}

/** Every page of the build: its .html files outside Framework's asset folders and the data folder. */
function findPages(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  const pages: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith("_") || (prefix === "" && entry.name === "data")) continue;
    if (entry.isDirectory()) pages.push(...findPages(path.join(dir, entry.name), `${prefix}${entry.name}/`));
    else if (entry.name.endsWith(".html")) pages.push(`${prefix}${entry.name}`);
  }
  return pages.sort();
}

/** The clean URL path Framework links to: `index.html` → ``, `en/index.html` → `en/`, `om-data.html` → `om-data`. */
function urlPathOf(htmlFile: string): string {
  return htmlFile.replace(/(^|\/)index\.html$/, "$1").replace(/\.html$/, "");
}

const pages = findPages(DIST);

/**
 * The 580 kommun profiles share one template: a sample of them (a large and a small kommun, in
 * both languages) is visited, with every other page; tests/e2e/profiles.test.ts covers the
 * template's content.
 */
const SAMPLED_PROFILES = new Set(["kommuner/0180.html", "kommuner/2584.html", "en/municipalities/0180.html"]);
const visitedPages = pages.filter(
  (page) => !/^(kommuner|en\/municipalities)\/\d{4}\.html$/.test(page) || SAMPLED_PROFILES.has(page),
);

interface Visit {
  page: Page;
  foreignRequests: string[];
  consoleErrors: string[];
  pageErrors: string[];
}

let session: BrowserSession;

/** Opens a page with every non-local request aborted and recorded, and waits until Framework has rendered it. */
async function visit(urlPath: string, viewport = { width: 1200, height: 900 }): Promise<Visit> {
  const { context, foreign } = await session.newGuardedContext({ viewport, locale: "sv-SE" });
  const result: Omit<Visit, "page"> = { foreignRequests: foreign, consoleErrors: [], pageErrors: [] };
  // Also records a non-local request that did not pass through the route (the guard aborts the rest).
  context.on("request", (request) => {
    if (!isLocal(request.url()) && !result.foreignRequests.includes(request.url())) {
      result.foreignRequests.push(request.url());
    }
  });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") result.consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => result.pageErrors.push(error.message));
  await page.goto(new URL(urlPath, session.baseUrl).href, { waitUntil: "load" });
  await page.waitForFunction(() => document.querySelectorAll("observablehq-loading").length === 0, null, {
    timeout: 60_000,
  });
  await page.waitForLoadState("networkidle");
  return { page, ...result };
}

function screenshotName(htmlFile: string): string {
  return `${htmlFile.replace(/\.html$/, "").replaceAll("/", "__")}.png`;
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  session = await startBrowserSession(DIST);
});

afterAll(() => session?.close());

describe("the built site", () => {
  it("exists and has the Swedish and English start pages", () => {
    // dist/ comes from `npm run build`; the pages below are the ones every build must have.
    expect(pages, "dist/ has no pages: run `npm run build` first").toEqual(
      expect.arrayContaining([
        "index.html",
        "redovisning.html",
        "metod.html",
        "sql.html",
        "om-data.html",
        "en/index.html",
        "en/report.html",
        "en/methods.html",
        "en/sql.html",
        "en/about-data.html",
        "granskning.html",
        "en/review.html",
      ]),
    );
  });

  for (const htmlFile of visitedPages) {
    it(`renders ${htmlFile} offline without errors`, async () => {
      const { page, foreignRequests, consoleErrors, pageErrors } = await visit(urlPathOf(htmlFile));
      await page.screenshot({ path: path.join(SCREENSHOTS, screenshotName(htmlFile)), fullPage: true });
      expect(foreignRequests, "requests to hosts other than the site").toEqual([]);
      expect(consoleErrors, "console errors").toEqual([]);
      expect(pageErrors, "page errors").toEqual([]);
      expect(await page.locator(".observablehq--error").count(), "cells that failed").toBe(0);
      // Every page states that the numbers are synthetic, in its language.
      const notice = (await page.locator("#observablehq-footer .synthetic-notice").textContent()) ?? "";
      expect(notice).toMatch(htmlFile.startsWith("en/") ? /synthetic population/ : /syntetisk befolkning/);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(
        htmlFile.startsWith("en/") ? "en" : "sv",
      );
      // Accessibility (WCAG 2 A and AA rules of axe-core): no serious or critical violation.
      await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: AxeLike }).axe;
        const result = await axe.run(document, { runOnly: ["wcag2a", "wcag2aa"] });
        // Two known violations of the libraries' own markup, not of the site's: Framework puts the
        // sidebar's close <label> inside an <ol>, and Plot labels each mark's <g> with aria-label.
        const upstream = (rule: string, element: Element | null): boolean =>
          (rule === "list" && element?.querySelector(":scope > #observablehq-sidebar-close") != null) ||
          (rule === "aria-prohibited-attr" &&
            element?.tagName === "g" &&
            element.closest("svg[class^='plot']") != null);
        return result.violations
          .filter((v) => v.impact === "serious" || v.impact === "critical")
          .flatMap((v) =>
            v.nodes
              .filter((n) => !upstream(v.id, document.querySelector(n.target.join(" "))))
              .map((n) => `${v.id}: ${n.target.join(" ")}`),
          );
      });
      expect(violations, "accessibility violations").toEqual([]);
      if (htmlFile.startsWith("en/")) {
        // English pages write English numbers: no Swedish grouping (no-break space between digits or
        // before %) and no decimal comma (a comma followed by one or two digits, or after a lone 0).
        // biome-ignore lint/performance/useDomNodeTextContent: the rendered text, as a reader sees it (cells apart, no <style>).
        const text = await page.locator("#observablehq-main").innerText();
        const swedish = text.match(/\d\u00a0\d|\d\u00a0%|\b0,\d|\d,\d(?!\d\d)/g) ?? [];
        expect(swedish, "Swedish number formats on an English page").toEqual([]);
      }
    });
  }
});

describe.each([
  { htmlFile: "segregation.html", label: "År" },
  { htmlFile: "en/segregation.html", label: "Year" },
])("the year control of $htmlFile", ({ htmlFile, label }) => {
  it("shows years as years, not as amounts with a thousands separator", async () => {
    const { page } = await visit(urlPathOf(htmlFile));
    const options = await page
      .getByLabel(label, { exact: true })
      .locator("option")
      .evaluateAll((nodes) => nodes.map((node) => node.textContent));
    expect(options.length).toBeGreaterThan(0);
    for (const option of options) expect(option).toMatch(/^\d{4}$/);
  });
});

/** A phone in portrait (an iPhone 12–15 is 390 CSS px wide). */
const PHONE = { width: 390, height: 844 };

describe("a phone's screen", () => {
  for (const htmlFile of visitedPages) {
    it(`${htmlFile} does not scroll sideways at ${PHONE.width} px`, async () => {
      const { page } = await visit(urlPathOf(htmlFile), PHONE);
      // Give resize observers a frame to redraw at the phone's width before measuring.
      await page.evaluate(
        () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50))),
      );
      const { scrollWidth, innerWidth, widest } = await page.evaluate(() => {
        // The elements that stick out on the right, to say what to fix when the test fails.
        const widest = [...document.querySelectorAll("#observablehq-main *")]
          .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5)
          .slice(0, 5)
          .map((element) => `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ""}`);
        return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, widest };
      });
      expect(scrollWidth, `wider than the screen: ${widest.join(", ")}`).toBeLessThanOrEqual(innerWidth);
    });
  }
});

describe("charts follow the width of the window", () => {
  it.each([
    { urlPath: "", chart: "#diagram-forvarvsarbetande svg[class^='plot']" },
    { urlPath: "en/area-types", chart: "#diagram-antal svg[class^='plot']" },
    { urlPath: "segregation", chart: "#riket-over-tid svg[class^='plot']" },
    { urlPath: "segregation", chart: "#karta-d svg" },
    { urlPath: "kommuner/0180", chart: "#karta svg" },
    {
      urlPath: "indikatorer?indikator=forvarvsarbetande&niva=lan",
      chart: ".explorer-timeseries svg[class^='plot']",
    },
    {
      urlPath: "en/indicators?indikator=forvarvsarbetande&niva=lan",
      chart: ".explorer-map svg[class^='plot']",
    },
  ])("$urlPath: $chart is redrawn narrow, then wide", async ({ urlPath, chart }) => {
    const { page, consoleErrors, pageErrors } = await visit(urlPath);
    // The width a chart was drawn for is its `width` attribute (CSS may scale a drawing down, which
    // is not a redraw); a redraw makes a new SVG, so the last one is read each time.
    const drawnWidth = () => page.locator(chart).last().getAttribute("width").then(Number);
    const waitForWidth = (test: string, width: number) =>
      page.waitForFunction(
        ({ selector, test, width }) => {
          const svgs = document.querySelectorAll(selector);
          const drawn = Number(svgs[svgs.length - 1]?.getAttribute("width"));
          return test === "below" ? drawn > 0 && drawn <= width : drawn === width;
        },
        { selector: chart, test, width },
        { timeout: 10_000 },
      );
    await page.locator(chart).last().waitFor();
    const wide = await drawnWidth();
    await page.setViewportSize(PHONE);
    // Redrawn narrower than before and than the phone's screen less the page's margins (a chart may
    // have been drawn narrower than that already, e.g. a map capped at 360 px): a redraw, not CSS.
    await waitForWidth("below", Math.min(wide - 1, PHONE.width - 20));
    const narrow = await drawnWidth();
    expect(narrow).toBeLessThan(wide);
    expect(narrow).toBeLessThanOrEqual(PHONE.width - 20);
    await page.setViewportSize({ width: 1200, height: 900 });
    await waitForWidth("equal", wide);
    expect(await drawnWidth()).toBe(wide);
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

describe.each([
  // A share such as `81,0 %` (no-break space before %) in Swedish, `81.0%` in English, or `..`.
  { htmlFile: "index.html", option: "Kvinnor", born: "Född i Sverige", share: /(\d+,\d\u00a0%|\.\.)/ },
  { htmlFile: "en/index.html", option: "Women", born: "Born in Sweden", share: /(\d+\.\d%|\.\.)/ },
])("the start page $htmlFile", ({ htmlFile, option, born, share }) => {
  it("draws a Plot chart that the Inputs control changes", async () => {
    const { page } = await visit(urlPathOf(htmlFile));
    const chart = page.locator("#diagram-forvarvsarbetande svg[class^='plot']").last();
    // One line per födelseregion: the line mark draws at least two paths (e.g. sverige and utrikes).
    expect(await chart.locator("g[aria-label='line'] path").count()).toBeGreaterThanOrEqual(2);
    // Dots carry a symbol per series (circle, square, …), drawn as paths.
    expect(await chart.locator("g[aria-label='dot'] > *").count()).toBeGreaterThan(0);
    const before = await chart.innerHTML();
    await page.getByLabel(option, { exact: true }).check();
    await page.waitForFunction(
      (previous) => {
        const svgs = document.querySelectorAll("#diagram-forvarvsarbetande svg[class^='plot']");
        const svg = svgs[svgs.length - 1];
        return svg !== undefined && svg.innerHTML !== previous;
      },
      before,
      { timeout: 10_000 },
    );
    const after = await page.locator("#diagram-forvarvsarbetande svg[class^='plot']").last().innerHTML();
    expect(after).not.toBe(before);
  });

  it("shows the key figures in the page's number format and a table alternative for every chart", async () => {
    const { page } = await visit(urlPathOf(htmlFile));
    const figures = (await page.locator("#nyckeltal").textContent()) ?? "";
    expect(figures).toMatch(share);
    // The other language's format never appears: no decimal comma on the English page, no point on
    // the Swedish one (years and codes have no decimals).
    expect(figures).not.toMatch(htmlFile.startsWith("en/") ? /\d,\d/ : /\d\.\d/);
    for (const id of [
      "diagram-forvarvsarbetande",
      "diagram-vistelsetid",
      "diagram-utrikes-fodda",
      "diagram-omradestyp",
    ]) {
      const card = page.locator(`#${id}`);
      expect(await card.locator("svg[class^='plot']").count(), id).toBeGreaterThan(0);
      expect(await card.locator("details.tabellalternativ table tbody tr").count(), id).toBeGreaterThan(0);
      expect((await card.locator(".diagramnot").textContent()) ?? "", id).toMatch(/\.\./);
    }
    expect(await page.getByText(born, { exact: true }).count()).toBeGreaterThan(0);
  });
});

describe.each([
  { htmlFile: "sql.html", lang: "sv" },
  { htmlFile: "en/sql.html", lang: "en" },
])("the SQL console $htmlFile", ({ htmlFile }) => {
  it("runs the first example query on load, another one on request, and reports a wrong query", async () => {
    const { page, foreignRequests, consoleErrors, pageErrors } = await visit(urlPathOf(htmlFile));
    const result = page.locator("#sql-resultat table");
    await result.waitFor({ timeout: 60_000 });
    // The first example: förvärvsarbetande by födelseregion and year; the codes appear in the result.
    const first = (await result.textContent()) ?? "";
    expect(first).toContain("sverige");
    expect(first).toContain("utrikes");
    expect(await result.locator("tbody tr").count()).toBeGreaterThanOrEqual(2);
    // Another example, chosen with the keyboard-accessible select: RegSO per områdestyp (column `regso`).
    await page.selectOption("#sql-exempel", "3");
    await page.waitForFunction(
      () =>
        document.querySelector("#sql-resultat th")?.textContent === "ar" &&
        [...document.querySelectorAll("#sql-resultat th")].some((th) => th.textContent === "regso"),
      null,
      { timeout: 60_000 },
    );
    // A query typed by hand and run with Ctrl+Enter.
    await page.fill("#sql-fraga", "SELECT count(*)::INTEGER AS n FROM regioner WHERE niva = 'kommun'");
    await page.press("#sql-fraga", "Control+Enter");
    await page.waitForFunction(() => document.querySelector("#sql-resultat th")?.textContent === "n", null, {
      timeout: 60_000,
    });
    expect(Number(await page.locator("#sql-resultat td").first().textContent())).toBeGreaterThan(0);
    // A wrong query is reported on the page, not as a console error.
    await page.fill("#sql-fraga", "SELECT no_such_column FROM regioner");
    await page.click("#sql-konsol button[type=submit]");
    await page.locator("#sql-resultat [role=alert]").waitFor({ timeout: 60_000 });
    expect(foreignRequests).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

/** Reads a published Parquet file of dist/ with DuckDB in Node. */
async function queryParquet(relativePath: string, sql: (table: string) => string, params: unknown[] = []) {
  const file = path.join(DIST, "data", "publikation", relativePath);
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(
      sql(`read_parquet('${file.replaceAll("'", "''")}')`),
      params as never,
    );
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

interface FigureSource {
  fil: string;
  ar: number;
  region?: string;
  fixed?: Record<string, string>;
  decimals: number;
  minus?: { ar: number; fixed?: Record<string, string> };
}

/** The text of a published cell as the report must show it, read with DuckDB in Node. */
async function expectedCell(source: FigureSource): Promise<{ varde: number | null; status: string | null }> {
  const cell = async (ar: number, fixed: Record<string, string> = {}) => {
    const conditions = BREAKDOWNS.map(
      (column) => `${column} = '${(fixed[column] ?? "totalt").replaceAll("'", "''")}'`,
    );
    const rows = await queryParquet(
      source.fil,
      (table) =>
        `SELECT varde::DOUBLE AS varde, status FROM ${table} WHERE ar = ${Number(ar)} AND ${conditions.join(" AND ")}` +
        (source.region ? ` AND region = '${source.region.replaceAll("'", "''")}'` : ""),
    );
    expect(rows.length, `${source.fil} ${ar} ${JSON.stringify(fixed)}`).toBe(1);
    return rows[0] as { varde: number | null; status: string | null };
  };
  const a = await cell(source.ar, source.fixed);
  if (!source.minus) return a;
  const b = await cell(source.minus.ar, source.minus.fixed);
  if (a.status === ".." || b.status === "..") return { varde: null, status: ".." };
  if (a.varde == null || b.varde == null) return { varde: null, status: "." };
  return { varde: a.varde - b.varde, status: null };
}

describe.each([
  { htmlFile: "redovisning.html", lang: "sv" as const },
  { htmlFile: "en/report.html", lang: "en" as const },
])("the report $htmlFile", ({ htmlFile, lang }) => {
  it("fills in numbers that match the published tables", async () => {
    const { page } = await visit(urlPathOf(htmlFile));
    const figures = await page
      .locator(".tal-ur-data")
      .evaluateAll((spans) =>
        spans.map((span) => ({ source: span.getAttribute("data-kalla") ?? "", text: span.textContent })),
      );
    expect(figures.length).toBeGreaterThanOrEqual(6);
    for (const { source, text } of figures) {
      const parsed = JSON.parse(source) as FigureSource;
      const cell = await expectedCell(parsed);
      const expected =
        cell.status === ".."
          ? ".."
          : cell.varde == null
            ? "."
            : formatNumber(cell.varde, parsed.decimals, lang);
      expect(text, source).toBe(expected);
    }
    const segregation = await page
      .locator(".tal-ur-segregation")
      .evaluateAll((spans) =>
        spans.map((span) => ({ source: span.getAttribute("data-kalla") ?? "", text: span.textContent })),
      );
    expect(segregation.length).toBe(3);
    for (const { source, text } of segregation) {
      const { ar, enhet, matt } = JSON.parse(source) as { ar: number; enhet: string; matt: string };
      const rows = await queryParquet(
        "segregation/riket.parquet",
        (table) =>
          `SELECT varde::DOUBLE AS varde, status FROM ${table} WHERE ar = ${Number(ar)} AND enhet = $1 AND matt = $2 AND indelning = 'utrikes_fodd' AND grupp = 'utrikes'`,
        [enhet, matt],
      );
      expect(rows.length, source).toBe(1);
      const { varde, status } = rows[0] as { varde: number | null; status: string | null };
      expect(text, source).toBe(status === ".." ? ".." : varde == null ? "." : formatNumber(varde, 3, lang));
    }
    const areas = await page
      .locator(".tal-ur-omraden")
      .evaluateAll((spans) =>
        spans.map((span) => ({ source: span.getAttribute("data-kalla") ?? "", text: span.textContent })),
      );
    expect(areas.length).toBe(3);
    for (const { source, text } of areas) {
      const { ar, omradestyp } = JSON.parse(source) as { ar: number; omradestyp?: string };
      const rows = await queryParquet(
        "omraden/omraden.parquet",
        (table) =>
          `SELECT count(*)::INTEGER AS n FROM ${table} WHERE niva = 'regso' AND ar = ${Number(ar)} AND ` +
          (omradestyp ? `omradestyp = $1` : "omradestyp IN ('1', '2', '3', '4', '5')"),
        omradestyp ? [omradestyp] : [],
      );
      expect(text, source).toBe(formatNumber(Number(rows[0].n), 0, lang));
    }
  });
});

describe.each([
  { htmlFile: "granskning.html", lang: "sv" as const },
  { htmlFile: "en/review.html", lang: "en" as const },
])("the review page $htmlFile", ({ htmlFile, lang }) => {
  it("says which comparison it shows and lists the counts and changes of the review's data", async () => {
    const { page } = await visit(urlPathOf(htmlFile));
    // The JSON the page read (src/data/granskning.json.ts), fetched again from the site.
    const url = await page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .map((entry) => entry.name)
        .find((name) => /\/_file\/data\/granskning\.[0-9a-f]+\.json$/.test(name)),
    );
    expect(url, "the page's data file").toBeDefined();
    const review = (await (await fetch(url as string)).json()) as SiteReview;
    expect(["ar", "publikationer"]).toContain(review.mode);
    expect(await page.locator("#jamforelse").getAttribute("data-lage")).toBe(review.mode);
    expect((await page.locator("#jamforelse").textContent()) ?? "").toBe(comparisonText(review, lang));
    if (review.mode === "ar" && review.years_compared) {
      // Without RDI_PREVIOUS_PUBLICATION the build compares the publication's last two years.
      const years = [...review.current.years].sort((a, b) => a - b);
      expect(review.years_compared).toEqual({ from: years.at(-2), to: years.at(-1) });
    }
    // Every count of the summary is the review's number in the page's format.
    const counted = await page
      .locator("#granskning-antal tbody tr")
      .evaluateAll((rows) =>
        rows.map((row) => [
          row.getAttribute("data-nyckel") ?? "",
          row.querySelector(".tal")?.textContent ?? "",
        ]),
      );
    expect(counted.map(([key]) => key)).toContain("year_on_year.cells");
    for (const [key, text] of counted) {
      const value = key
        .split(".")
        .reduce<unknown>((object, part) => (object as Record<string, unknown>)?.[part], review);
      if (typeof value === "number") expect(text, key).toBe(formatNumber(value, 0, lang));
    }
    // The table of the largest moves shows exactly the review's rows, formatted for the language.
    const catalogue = new Map(
      catalogueEntries(
        JSON.parse(
          readFileSync(path.join(DIST, "data", "publikation", "indikatorer", "katalog.json"), "utf-8"),
        ),
      ).map((entry) => [entry.id, entry]),
    );
    const shown = await page
      .locator("#storsta-forandringar tbody tr")
      .evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll("td")].map((td) => td.textContent)));
    expect(shown).toEqual(
      changeRows(review.year_on_year.largest, catalogue, lang).map((row) => [
        row.indikator,
        row.region,
        row.niva,
        row.cell,
        row.ar,
        row.fore,
        row.efter,
        row.change,
      ]),
    );
    expect(await page.locator("#tabell-per-indikator").count()).toBe(1);
  });
});

describe.each([{ htmlFile: "metod.html" }, { htmlFile: "en/methods.html" }])(
  "the methods page $htmlFile",
  ({ htmlFile }) => {
    it("describes every indicator of the catalogue and the disclosure rules of the manifest", async () => {
      const { page } = await visit(urlPathOf(htmlFile));
      const catalogue = JSON.parse(
        readFileSync(path.join(DIST, "data", "publikation", "indikatorer", "katalog.json"), "utf-8"),
      );
      const manifest = JSON.parse(
        readFileSync(path.join(DIST, "data", "publikation", "manifest.json"), "utf-8"),
      );
      const ids = await page
        .locator("#indikatorkatalog details")
        .evaluateAll((nodes) => nodes.map((node) => node.id));
      // Each indicator once, no other: the sets of ids are equal and the page has no duplicate.
      const expected = catalogue.indicators.map((entry: { id: string }) => `indikator-${entry.id}`).sort();
      expect([...ids].sort()).toEqual(expected);
      const rules = await page.locator("#rojanderegler li").count();
      expect(rules).toBe(Math.max(1, Object.keys(manifest.disclosure?.rules ?? {}).length));
    });
  },
);

describe("pages without SQL", () => {
  it.each(["", "redovisning", "metod", "en/", "en/report", "en/methods"])(
    "%s does not load DuckDB-WASM",
    async (urlPath) => {
      const { page } = await visit(urlPath);
      const loaded = await page.evaluate(() =>
        performance.getEntriesByType("resource").map((entry) => entry.name),
      );
      expect(
        loaded.some((url) => url.includes("duckdb")),
        urlPath,
      ).toBe(false);
    },
  );

  it("show the manifest of the publication on Om data", async () => {
    const { page } = await visit("om-data");
    const loaded = await page.evaluate(() =>
      performance.getEntriesByType("resource").map((entry) => entry.name),
    );
    expect(loaded.some((url) => url.includes("duckdb"))).toBe(false);
    // …but do show the manifest of the publication and its summary.
    const manifest = JSON.parse((await page.locator("#manifest").textContent()) ?? "");
    expect(Array.isArray(manifest.years)).toBe(true);
    const summary = (await page.locator("#sammanfattning").textContent()) ?? "";
    expect(summary).toContain(String(Math.max(...manifest.years)));
  });
});

describe("the site's own files", () => {
  it("reference no other host (third-party code under _npm/ is checked in the browser instead)", () => {
    // HTML, Framework's client and styles (_observablehq/), our modules and styles (_import/): the only
    // URLs allowed are XML namespace names such as http://www.w3.org/2000/svg, which are never fetched.
    const offenders: string[] = [];
    const visitDir = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!(dir === DIST && ["_npm", "_file", "data"].includes(entry.name))) visitDir(file);
        } else if (/\.(html|js|css)$/.test(entry.name)) {
          for (const [url] of readFileSync(file, "utf-8").matchAll(/https?:\/\/[^\s"'`)<>]+/g)) {
            if (!url.startsWith("http://www.w3.org/")) offenders.push(`${path.relative(DIST, file)}: ${url}`);
          }
        }
      }
    };
    visitDir(DIST);
    expect(offenders).toEqual([]);
  });
});

describe("downloads", () => {
  it("serve every output of the manifest with the bytes the manifest's SHA-256 names", async () => {
    const { page } = await visit("om-data");
    const manifest = JSON.parse((await page.locator("#manifest").textContent()) ?? "") as {
      outputs: { path: string; sha256: string }[];
    };
    const links = await page
      .locator("#nedladdning a[href]")
      .evaluateAll((anchors) =>
        anchors.map((a) => ({ text: a.textContent, href: (a as HTMLAnchorElement).href })),
      );
    expect(links.map((link) => link.text)).toEqual(manifest.outputs.map((output) => output.path));
    for (const [i, link] of links.entries()) {
      const response = await fetch(link.href);
      expect(response.status, link.href).toBe(200);
      const sha256 = createHash("sha256")
        .update(Buffer.from(await response.arrayBuffer()))
        .digest("hex");
      expect(sha256, link.href).toBe(manifest.outputs[i].sha256);
    }
  });
});

describe("the test harness", () => {
  it("records and blocks a request to another host", async () => {
    const { page, foreignRequests } = await visit("om-data");
    const status = await page.evaluate(() =>
      fetch("https://example.com/probe").then(
        () => "reached",
        () => "blocked",
      ),
    );
    expect(status).toBe("blocked");
    expect(foreignRequests).toContain("https://example.com/probe");
  });
});
