// Browser tests of the built site (dist/, from `npm run build`): every page renders offline, with no
// request to another host, no console error and no page error; the Start pages draw a Plot chart that
// an Inputs control changes and show the result of a DuckDB-WASM query over a published Parquet file.
// Uses Debian's Chromium through playwright-core (never a browser download).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StaticServer, serveDirectory } from "./server.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const DIST = path.join(ROOT, "dist");
const SCREENSHOTS = path.join(ROOT, "test-results", "screenshots");
const CHROMIUM = "/usr/bin/chromium";
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

interface Visit {
  page: Page;
  foreignRequests: string[];
  consoleErrors: string[];
  pageErrors: string[];
}

let browser: Browser;
let server: StaticServer;
const contexts: BrowserContext[] = [];

function isLocal(url: string): boolean {
  if (url.startsWith("blob:") || url.startsWith("data:")) return true;
  const { hostname } = new URL(url);
  return hostname === "127.0.0.1" || hostname === "localhost";
}

/** Opens a page with every non-local request aborted and recorded, and waits until Framework has rendered it. */
async function visit(urlPath: string): Promise<Visit> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: "sv-SE" });
  contexts.push(context);
  const result: Omit<Visit, "page"> = { foreignRequests: [], consoleErrors: [], pageErrors: [] };
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (isLocal(url)) return route.continue();
    result.foreignRequests.push(url);
    return route.abort("blockedbyclient");
  });
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
  await page.goto(new URL(urlPath, server.url).href, { waitUntil: "load" });
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
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  server = await serveDirectory(DIST);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // Belt and braces: even a request that escaped routing (e.g. from a worker) cannot resolve a host.
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ],
  });
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.close();
});

describe("the built site", () => {
  it("exists and has the Swedish and English start pages", () => {
    // dist/ comes from `npm run build`; the pages below are the ones every build must have.
    expect(pages, "dist/ has no pages: run `npm run build` first").toEqual(
      expect.arrayContaining(["index.html", "om-data.html", "en/index.html", "en/about-data.html"]),
    );
  });

  for (const htmlFile of pages) {
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
    });
  }
});

describe.each([
  { htmlFile: "index.html", option: "Kvinnor", born: "Född i Sverige" },
  { htmlFile: "en/index.html", option: "Women", born: "Born in Sweden" },
])("the start page $htmlFile", ({ htmlFile, option, born }) => {
  it("draws a Plot chart that the Inputs control changes", async () => {
    const { page } = await visit(urlPathOf(htmlFile));
    const chart = page.locator("#diagram-forvarvsarbetande svg[class^='plot']").last();
    // One line per födelseregion: the line mark draws at least two paths (e.g. sverige and utrikes).
    expect(await chart.locator("g[aria-label='line'] path").count()).toBeGreaterThanOrEqual(2);
    expect(await chart.locator("g[aria-label='dot'] circle").count()).toBeGreaterThan(0);
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

  it("shows the result of a DuckDB-WASM query over a published Parquet file", async () => {
    const { page, foreignRequests, consoleErrors } = await visit(urlPathOf(htmlFile));
    const table = page.locator("#sql-resultat table");
    await table.waitFor({ timeout: 60_000 });
    const rows = table.locator("tbody tr");
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    const text = (await table.textContent()) ?? "";
    expect(text).toContain(born);
    // Swedish number format from the query result: a share such as `81,0 %` (no-break space before %).
    expect(text).toMatch(/\d+,\d\u00a0%/);
    // The caption names the year the query found; publications start in the 1990s at the earliest.
    expect(await table.locator("caption").textContent()).toMatch(/(19|20)\d\d/);
    expect(foreignRequests).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});

describe("pages without SQL", () => {
  it("do not load DuckDB-WASM", async () => {
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
