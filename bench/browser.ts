/**
 * The browser part of `npm run bench -- --browser` (docs/performance.md, "Browser"): the built site
 * (dist/, or RDI_SITE_OUTPUT) served on 127.0.0.1 by the browser tests' server and opened in Debian's
 * headless Chromium through playwright-core, with every request to another host blocked.
 *
 * - Start page, cold (a new browser context per load, so nothing is cached): the bytes transferred
 *   (HTTP headers and bodies of the document and every response completed) when the first chart (a
 *   Plot SVG) enters the DOM, and the time from navigation start to that moment. Median of `loads`.
 * - Explorer (Indikatorer): the time from a selection change (a `change` event on one of its
 *   controls) until its new charts are in the DOM and the next frame has been drawn, over a fixed
 *   sequence of changes (the browser test's, repeated): p50 and p95.
 *
 * Also runnable alone: `npx tsx bench/browser.ts [--loads 5]`.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { CHROMIUM_ARGS, isLocal, serveDirectory } from "../tests/e2e/server.ts";

export interface BrowserMetric {
  metric: string;
  value: number;
  unit: string;
}

export interface BrowserBenchOptions {
  /** The publication the bench built; compared with the one the site holds (the site is not rebuilt). */
  publication: string;
  /** The built site (default RDI_SITE_OUTPUT, else dist/). */
  site?: string;
  /** Cold loads of the start page (default 5). */
  loads?: number;
  /** Rounds of the explorer's change sequence (default 4: 1 + 4 × 6 + 1 = 26 changes). */
  rounds?: number;
  /** Chromium (default /usr/bin/chromium, Debian's package). */
  chromium?: string;
}

const ROOT = path.resolve(import.meta.dirname, "..");

/** The q-quantile of sorted values (nearest rank), as the browser test reports it. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error("quantile of no values");
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** A fresh context (empty cache) that blocks and records every request to another host. */
async function coldContext(browser: Browser, foreign: string[]): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (isLocal(url)) return route.continue();
    foreign.push(url);
    return route.abort("blockedbyclient");
  });
  return context;
}

interface FirstChart {
  ms: number;
  bytes: number;
  requests: number;
}

/**
 * Loads the start page and reports when the first Plot SVG entered the DOM: a MutationObserver,
 * installed before any script of the page runs, sums the transfer sizes of the navigation and of every
 * resource completed at that moment (Resource Timing; the server is same-origin, so sizes are exposed).
 */
async function startPageLoad(page: Page, url: string): Promise<FirstChart> {
  await page.addInitScript(() => {
    const win = window as unknown as { __firstChart?: Promise<FirstChart> };
    win.__firstChart = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (!document.querySelector("#observablehq-main svg[class^='plot']")) return;
        observer.disconnect();
        const ms = performance.now();
        const navigation = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
        const resources = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
        const bytes = [...navigation, ...resources].reduce((sum, entry) => sum + entry.transferSize, 0);
        resolve({ ms, bytes, requests: navigation.length + resources.length });
      });
      observer.observe(document, { childList: true, subtree: true });
    });
  });
  await page.goto(url, { waitUntil: "commit" });
  return page.evaluate(() => (window as unknown as { __firstChart: Promise<FirstChart> }).__firstChart);
}

/** The explorer's change sequence: the browser test's (tests/e2e/explorer.test.ts), `rounds` times. */
function explorerChanges(years: number[], rounds: number): [string, string][] {
  const first = years[0];
  const last = years[years.length - 1];
  const from = years.length >= 3 ? years[1] : first;
  const to = years.length >= 3 ? years[years.length - 2] : last;
  const round: [string, string][] = [
    ["#explorer-fran", String(from)],
    ["#explorer-till", String(to)],
    ["#explorer-uppdelning", "ingen"],
    ["#explorer-fran", String(first)],
    ["#explorer-till", String(last)],
    ["#explorer-uppdelning", "kon"],
  ];
  return [
    ["#explorer-uppdelning", "kon"],
    ...Array.from({ length: rounds }, () => round).flat(),
    ["#explorer-niva", "lan"],
  ];
}

/**
 * One selection change, timed in the page: from dispatching `change` to the explorer's next completed
 * render (its `data-renders` attribute, set right after the new charts are inserted) plus one frame.
 */
async function timeChange(page: Page, selector: string, value: string): Promise<number> {
  return page.evaluate(
    ({ selector, value }) =>
      new Promise<number>((resolve, reject) => {
        const root = document.querySelector(".explorer") as HTMLElement;
        const select = document.querySelector(selector) as HTMLSelectElement | null;
        if (!select || ![...select.options].some((option) => option.value === value)) {
          reject(new Error(`explorer: no option '${value}' in ${selector}`));
          return;
        }
        const before = Number(root.dataset.renders ?? 0);
        const start = performance.now();
        const observer = new MutationObserver(() => {
          if (Number(root.dataset.renders ?? 0) <= before || !root.dataset.state) return;
          observer.disconnect();
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
        });
        observer.observe(root, { attributes: true, attributeFilter: ["data-renders", "data-state"] });
        select.value = value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }),
    { selector, value },
  );
}

function median(values: number[]): number {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

export async function runBrowserBench(options: BrowserBenchOptions): Promise<BrowserMetric[]> {
  const site = path.resolve(ROOT, options.site ?? (process.env.RDI_SITE_OUTPUT || "dist"));
  const loads = options.loads ?? 5;
  const rounds = options.rounds ?? 4;
  const executablePath = options.chromium ?? "/usr/bin/chromium";
  if (!existsSync(path.join(site, "index.html")) || !existsSync(path.join(site, "indikatorer.html"))) {
    throw new Error(`${site} holds no built site: run \`npm run build\` first`);
  }
  if (!existsSync(executablePath))
    throw new Error(`${executablePath} is missing: apt-get install -y chromium`);
  const siteManifest = path.join(site, "data", "publikation", "manifest.json");
  const benchManifest = path.join(options.publication, "manifest.json");
  const manifest = JSON.parse(readFileSync(siteManifest, "utf-8")) as { years: number[]; build_key?: string };
  // The site is measured as it was built; say so when it holds another publication than the bench's.
  if (
    !existsSync(benchManifest) ||
    JSON.parse(readFileSync(benchManifest, "utf-8")).build_key !== manifest.build_key
  ) {
    console.log(
      `browser: the site in ${site} was built from another publication than ${options.publication}; measuring it as it is`,
    );
  }
  const years = [...manifest.years].sort((a, b) => a - b);

  const server = await serveDirectory(site);
  const browser = await chromium.launch({
    executablePath,
    args: CHROMIUM_ARGS,
  });
  const foreign: string[] = [];
  try {
    const first: FirstChart[] = [];
    for (let i = 0; i < loads; i++) {
      const context = await coldContext(browser, foreign);
      try {
        first.push(await startPageLoad(await context.newPage(), server.url));
      } finally {
        await context.close();
      }
    }

    const context = await coldContext(browser, foreign);
    const times: number[] = [];
    try {
      const page = await context.newPage();
      await page.goto(new URL("indikatorer?indikator=forvarvsarbetande&niva=riket", server.url).href);
      await page.waitForFunction(
        () => (document.querySelector(".explorer") as HTMLElement | null)?.dataset.state,
        null,
        { timeout: 120_000 },
      );
      for (const [selector, value] of explorerChanges(years, rounds)) {
        times.push(await timeChange(page, selector, value));
      }
    } finally {
      await context.close();
    }
    if (foreign.length > 0) throw new Error(`requests to other hosts: ${foreign.join(", ")}`);

    const sorted = [...times].sort((a, b) => a - b);
    const round = (value: number) => Math.round(value);
    return [
      {
        metric: `start page: bytes transferred before the first chart (median of ${loads} cold loads)`,
        value: median(first.map((f) => f.bytes)),
        unit: "bytes",
      },
      {
        metric: "start page: requests completed before the first chart",
        value: median(first.map((f) => f.requests)),
        unit: "requests",
      },
      {
        metric: `start page: time to first chart (median of ${loads} cold loads)`,
        value: round(median(first.map((f) => f.ms))),
        unit: "ms",
      },
      {
        metric: `explorer: redraw after a selection change, p50 of ${times.length} changes`,
        value: round(quantile(sorted, 0.5)),
        unit: "ms",
      },
      {
        metric: `explorer: redraw after a selection change, p95 of ${times.length} changes`,
        value: round(quantile(sorted, 0.95)),
        unit: "ms",
      },
    ];
  } finally {
    await browser.close();
    await server.close();
  }
}

// `npx tsx bench/browser.ts`: the browser part alone, on the site as built.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { values } = parseArgs({
    options: {
      loads: { type: "string", default: "5" },
      rounds: { type: "string", default: "4" },
      publication: { type: "string", default: path.join(ROOT, ".rdi", "publication") },
    },
  });
  const metrics = await runBrowserBench({
    publication: values.publication as string,
    loads: Number(values.loads),
    rounds: Number(values.rounds),
  });
  for (const m of metrics) console.log(`browser: ${m.metric}: ${m.value} ${m.unit}`);
}
