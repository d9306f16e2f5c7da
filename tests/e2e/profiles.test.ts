// Browser tests of the Kommunprofiler, Områdestyper and Segregation pages (Swedish and English) in the
// built site (dist/, from `npm run build`): each renders its charts and tables with data from the
// publication, with no request to another host and no console or page error.
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSession, startBrowserSession } from "./server.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const DIST = process.env.RDI_DIST ? path.resolve(process.env.RDI_DIST) : path.join(ROOT, "dist");
const SCREENSHOTS = path.join(ROOT, "test-results", "screenshots");

let session: BrowserSession;

interface Visit {
  page: Page;
  foreign: string[];
  errors: string[];
}

async function visit(urlPath: string): Promise<Visit> {
  const { context, foreign } = await session.newGuardedContext({ viewport: { width: 1200, height: 900 } });
  const errors: string[] = [];
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(new URL(urlPath, session.baseUrl).href, { waitUntil: "load" });
  await page.waitForFunction(() => document.querySelectorAll("observablehq-loading").length === 0, null, {
    timeout: 60_000,
  });
  await page.waitForLoadState("networkidle");
  await page.screenshot({
    path: path.join(SCREENSHOTS, `profiles-${urlPath.replaceAll("/", "_")}.png`),
    fullPage: true,
  });
  return { page, foreign, errors };
}

async function expectClean({ page, foreign, errors }: Visit): Promise<void> {
  expect(foreign, "requests to other hosts").toEqual([]);
  expect(errors, "console and page errors").toEqual([]);
  expect(await page.locator(".observablehq--error").count(), "cells that failed").toBe(0);
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  session = await startBrowserSession(DIST);
});

afterAll(() => session?.close());

describe.each([
  { lang: "sv", list: "kommuner/", profile: "kommuner/0180", name: "Stockholm" },
  { lang: "en", list: "en/municipalities/", profile: "en/municipalities/0180", name: "Stockholm" },
])("kommun profiles ($lang)", ({ list, profile, name }) => {
  it("lists all 290 kommuner with links to their pages", async () => {
    const v = await visit(list);
    await expectClean(v);
    expect(await v.page.locator("#alla-kommuner li a").count()).toBe(290);
    expect(
      await v.page.locator("#alla-kommuner a[href$='/0180'], #alla-kommuner a[href='./0180']").count(),
    ).toBe(1);
  });

  it("shows the kommun's map, key figures, time series, RegSO and segregation", async () => {
    const v = await visit(profile);
    await expectClean(v);
    expect(await v.page.locator("h1").first().textContent()).toContain(name);
    // The map draws all 290 kommuner, one of them highlighted.
    expect(await v.page.locator("#karta svg path").count()).toBe(290);
    expect(await v.page.locator("#karta svg path[fill='#d55e00']").count()).toBe(1);
    // Key figures: one row per key indicator, values in Swedish format or `..`/`.`.
    const keyRows = v.page.locator("#nyckeltal tbody tr");
    expect(await keyRows.count()).toBeGreaterThan(0);
    expect((await v.page.locator("#nyckeltal").textContent()) ?? "").toMatch(/\d|\.\./);
    // Time series: at least one Plot chart with lines.
    expect(
      await v.page.locator("#tidsserier svg[class^='plot'] g[aria-label='line'] path").count(),
    ).toBeGreaterThan(0);
    // RegSO table: Stockholm has many RegSO.
    expect(await v.page.locator("#regso-tabell tbody tr").count()).toBeGreaterThan(10);
    // Segregation table: every observed value with its random-allocation expectation.
    expect(await v.page.locator("#segregation-tabell tbody tr").count()).toBeGreaterThan(0);
  });
});

describe.each([
  { lang: "sv", page: "omradestyper" },
  { lang: "en", page: "en/area-types" },
])("Områdestyper ($lang)", ({ page }) => {
  it("shows the five types, the charts and the tables", async () => {
    const v = await visit(page);
    await expectClean(v);
    expect(await v.page.locator("#typlista tbody tr").count()).toBe(5);
    expect(
      await v.page.locator("#diagram-antal svg[class^='plot'] g[aria-label='bar'] rect").count(),
    ).toBeGreaterThan(0);
    expect(
      await v.page.locator("#diagram-grupper svg[class^='plot'] g[aria-label='bar'] rect").count(),
    ).toBeGreaterThan(0);
    expect(await v.page.locator("#indikatorer-per-typ tbody tr").count()).toBeGreaterThan(0);
  });
});

describe.each([
  { lang: "sv", page: "segregation" },
  { lang: "en", page: "en/segregation" },
])("Segregation ($lang)", ({ page }) => {
  it("shows the choropleth, the ranking beside the random expectation and the decomposition", async () => {
    const v = await visit(page);
    await expectClean(v);
    expect(await v.page.locator("#karta-d svg > g path").count()).toBe(290);
    expect(await v.page.locator("#rankning tbody tr").count()).toBeGreaterThan(0);
    expect(await v.page.locator("#riket-over-tid svg[class^='plot']").count()).toBeGreaterThan(0);
    expect(await v.page.locator("#uppdelning svg[class^='plot']").count()).toBeGreaterThan(0);
  });
});

describe("the built site", () => {
  it("has the pages", () => {
    for (const file of [
      "kommuner/index.html",
      "kommuner/0180.html",
      "en/municipalities/2584.html",
      "omradestyper.html",
    ]) {
      expect(existsSync(path.join(DIST, file)), file).toBe(true);
    }
  });
});
