/**
 * `npm run bench [-- --scale 1 --years 2022-2023 --threads N --memory 6GB --lp-limit N --browser]`
 *
 * 1. Generates the synthetic population at the given scale for the given years into
 *    `.rdi/bench/extract-<scale>-<years>` (reused when present with the same parameters).
 * 2. Times a reference pass: DuckDB reads every column of every file of the extract once.
 * 3. Runs a cold build (no cache) and times every step through `buildPublication`'s `onStep`
 *    hook, with persons per second and the peak RSS sampled every 50 ms during the step.
 * 4. Prints a table, a summary line with the build time as a multiple of the reference pass, and
 *    writes the results to `.rdi/bench/results.json`.
 * 5. With `--browser`, runs the browser part from `bench/browser.ts` (bytes before first chart,
 *    time to first chart, explorer redraw p50/p95), when the site has added it: that module
 *    exports `runBrowserBench({ publication }): Promise<{ metric: string; value: number; unit: string }[]>`.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { setQuiet } from "../data-loaders/cli/progress.ts";
import { parseYears } from "../data-loaders/cli/years.ts";
import { openDatabase, queryRows, sqlString } from "../data-loaders/db.ts";
import { buildPublication, PROFILE_STEP_PREFIX } from "../data-loaders/publish/build.ts";
import { REPOSITORY_ROOT } from "../data-loaders/publish/manifest.ts";

const BENCH_DIR = resolve(REPOSITORY_ROOT, ".rdi/bench");
const SEED = 20231231;

interface StageResult {
  stage: string;
  seconds: number;
  rows: number | null;
  personsPerSecond: number;
  peakRssMb: number;
}

class RssSampler {
  private samples: { t: number; rss: number }[] = [];
  private timer: NodeJS.Timeout;

  constructor(intervalMs = 50) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample(): number {
    const rss = process.memoryUsage().rss;
    this.samples.push({ t: performance.now(), rss });
    return rss;
  }

  /** Peak RSS over the last `seconds` (the sample taken now included). */
  peakSince(seconds: number): number {
    const now = performance.now();
    this.sample();
    const from = now - seconds * 1000 - 60;
    let peak = 0;
    for (const s of this.samples) if (s.t >= from && s.rss > peak) peak = s.rss;
    this.samples = this.samples.filter((s) => s.t >= now - 1000);
    return peak;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

async function ensureExtract(scale: number, years: number[], threads?: number): Promise<string> {
  const dir = join(BENCH_DIR, `extract-${scale}-${years[0]}-${years.at(-1)}`);
  const marker = join(dir, "generated.json");
  const wanted = JSON.stringify({ scale, years, seed: SEED });
  if (existsSync(marker) && (await readFile(marker, "utf8")).trim() === wanted) {
    console.log(`extract: reusing ${dir}`);
    return dir;
  }
  const { generateExtract } = await import("../data-loaders/synthetic/generate.ts");
  console.log(`extract: generating scale ${scale}, years ${years.join(", ")} into ${dir} …`);
  const t0 = performance.now();
  await generateExtract({ out: dir, years, scale, seed: SEED, threads });
  await writeFile(marker, `${wanted}\n`);
  console.log(`extract: generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return dir;
}

/** Reads every column of every extract file once; returns seconds and the number of persons. */
async function referencePass(dir: string, threads?: number): Promise<{ seconds: number; persons: number }> {
  const files = (await readdir(dir)).filter((f) => /^(personer|utvandrade)_\d{4}\.parquet$/.test(f)).sort();
  const con = await openDatabase({ threads });
  try {
    const t0 = performance.now();
    let persons = 0;
    for (const file of files) {
      const path = sqlString(join(dir, file));
      // max() of every column forces DuckDB to read and decode every column chunk.
      await queryRows(con, `SELECT max(COLUMNS(*))::VARCHAR FROM read_parquet(${path})`);
      if (file.startsWith("personer_")) {
        const [{ n }] = await queryRows<{ n: number }>(
          con,
          `SELECT count(*)::DOUBLE AS n FROM read_parquet(${path})`,
        );
        persons += n;
      }
    }
    return { seconds: (performance.now() - t0) / 1000, persons };
  } finally {
    con.closeSync();
  }
}

function table(rows: StageResult[]): string {
  const header = "| stage | seconds | rows | persons/s | peak RSS (MB) |\n|---|---:|---:|---:|---:|";
  const line = (r: StageResult) =>
    `| ${r.stage} | ${r.seconds.toFixed(2)} | ${r.rows === null ? "" : r.rows.toLocaleString("en")} | ${Math.round(r.personsPerSecond).toLocaleString("en")} | ${r.peakRssMb} |`;
  const build = rows.filter((r) => !r.stage.startsWith(PROFILE_STEP_PREFIX));
  const profile = rows.filter((r) => r.stage.startsWith(PROFILE_STEP_PREFIX));
  const parts = [[header, ...build.map(line)].join("\n")];
  if (profile.length > 0) {
    parts.push(
      "Each indicator area computed again on its own (not part of the build: the build computes all in one pass):",
      [header, ...profile.map(line)].join("\n"),
    );
  }
  return parts.join("\n\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: "string", default: "1" },
      years: { type: "string", default: "2022-2023" },
      threads: { type: "string" },
      browser: { type: "boolean", default: false },
      verbose: { type: "boolean", default: false },
      "lp-limit": { type: "string" },
      // The target is at most 8 GB: DuckDB otherwise takes up to 80 % of the machine's memory.
      memory: { type: "string", default: "6GB" },
    },
  });
  const lpLimit = values["lp-limit"] === undefined ? undefined : Number(values["lp-limit"]);
  if (lpLimit !== undefined && !(Number.isInteger(lpLimit) && lpLimit >= 0))
    throw new Error(`--lp-limit: '${values["lp-limit"]}' is not a non-negative integer`);
  const scale = Number(values.scale);
  if (!(scale > 0)) throw new Error(`--scale: '${values.scale}' is not a positive number`);
  const years = parseYears(values.years ?? "2022-2023");
  const threads = values.threads ? Number(values.threads) : undefined;
  setQuiet(!values.verbose);
  await mkdir(BENCH_DIR, { recursive: true });

  const extract = await ensureExtract(scale, years, threads);
  const reference = await referencePass(extract, threads);
  console.log(
    `reference pass (read every column once): ${reference.seconds.toFixed(2)} s for ${reference.persons.toLocaleString("en")} person rows`,
  );

  const sampler = new RssSampler();
  const stages: StageResult[] = [];
  const t0 = performance.now();
  await buildPublication({
    input: extract,
    out: join(BENCH_DIR, "publication"),
    cacheDir: null, // cold: every stage computes
    // Then each indicator area once more on its own (steps "profile: …", not part of the build).
    profileIndicatorAreas: true,
    threads,
    sdcRules: lpLimit === undefined ? undefined : { lpMaxVariables: lpLimit },
    memoryLimit: values.memory,
    onStep: (stage, seconds, rows) => {
      stages.push({
        stage,
        seconds,
        rows,
        personsPerSecond: seconds > 0 ? reference.persons / seconds : 0,
        peakRssMb: Math.round(sampler.peakSince(seconds) / 2 ** 20),
      });
    },
  });
  // The build as `rdi build` runs it: the profiling steps are measured, then left out.
  const profiled = stages.filter((s) => s.stage.startsWith(PROFILE_STEP_PREFIX));
  const total = (performance.now() - t0) / 1000 - profiled.reduce((sum, s) => sum + s.seconds, 0);
  sampler.stop();
  const peak = Math.max(...stages.map((s) => s.peakRssMb));

  console.log(`\n${table(stages)}\n`);
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`;
  const lp = lpLimit === undefined ? "" : `, LP limit ${lpLimit}`;
  const summary = `bench: scale ${scale}, years ${years.join(",")}${lp}, ${reference.persons.toLocaleString("en")} person rows: build ${total.toFixed(1)} s = ${(total / reference.seconds).toFixed(1)} × reference pass (${reference.seconds.toFixed(2)} s), ${Math.round(reference.persons / total).toLocaleString("en")} persons/s, peak RSS ${peak} MB; ${machine}`;

  let browser: { metric: string; value: number; unit: string }[] | null = null;
  if (values.browser) {
    const path = "./browser.ts";
    if (!existsSync(new URL(path, import.meta.url))) {
      console.log("browser: bench/browser.ts does not exist yet (the site adds it); skipped");
    } else {
      const module = (await import(path)) as {
        runBrowserBench: (o: {
          publication: string;
        }) => Promise<{ metric: string; value: number; unit: string }[]>;
      };
      browser = await module.runBrowserBench({ publication: join(BENCH_DIR, "publication") });
      for (const m of browser) console.log(`browser: ${m.metric}: ${m.value} ${m.unit}`);
    }
  }
  await writeFile(
    join(BENCH_DIR, "results.json"),
    `${JSON.stringify({ scale, years, lpLimit: lpLimit ?? null, machine, reference, totalSeconds: total, stages, browser }, null, 2)}\n`,
  );
  console.log(summary);
}

main().catch((error) => {
  console.error(`bench: error: ${error instanceof Error ? error.message : String(error)}`);
  if (process.env.RDI_DEBUG) console.error(error);
  process.exitCode = 1;
});
