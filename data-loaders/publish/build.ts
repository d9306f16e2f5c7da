/**
 * `rdi build`: validate → open → person frame → areas → indicators → segregation → disclosure
 * control → write, with a per-year result cache and an atomic replacement of the publication.
 *
 * Flow of data through the cache (see cache.ts): everything computed goes into cache parts first,
 * and disclosure control always reads the raw tables back from the parts, so a cold build and a
 * cache-warm incremental build feed byte-identical tables to disclosure control and the writer.
 */
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { UserError } from "../cli/command.ts";
import { progress } from "../cli/progress.ts";
import type { Connection } from "../db.ts";
import { openDatabase, queryRows, sqlString, tableExists } from "../db.ts";
import { createReferenceTables } from "../reference/geography.ts";
import { createStaging, discardStaging, swapIntoPlace } from "./atomic.ts";
import {
  codeVersion,
  DATA_LOADERS_DIR,
  type FileFingerprint,
  fileExists,
  fingerprintFiles,
  hashParts,
  ResultCache,
  stableStringify,
  writeFileAtomic,
} from "./cache.ts";
import { diffPublications } from "./diff.ts";
import {
  BUILD_LOG_FILE,
  type BuildLog,
  type InputFile,
  MANIFEST_FILE,
  type Manifest,
  readManifest,
  renderManifest,
  type SuppressionCount,
  workbenchVersions,
} from "./manifest.ts";
import {
  type BuildSteps,
  type CatalogueEntry,
  catalogueEntries,
  entryArea,
  loadDefaultSteps,
  type ValidationReportLike,
} from "./steps.ts";
import {
  FREE_LAYOUT,
  INDICATOR_LAYOUT,
  INTERNAL_COLUMNS,
  OMRADEN_LAYOUT,
  quoteIdent,
  SEGREGATION_LAYOUT,
  sha256File,
  tableColumns,
  type WrittenFile,
  writeIndicatorFiles,
  writeParquet,
  writeRegions,
  writeSegregationFiles,
  writeTableFile,
} from "./write.ts";

export const DEFAULT_CACHE_DIR = ".rdi/cache";

export interface BuildOptions {
  /** Extract directory (registerutdrag.md). */
  input: string;
  /** Publication directory; replaced atomically. */
  out: string;
  /** Years to publish; default every year of the extract. */
  years?: number[];
  /** Disclosure control; default true. `false` publishes the raw tables for internal quality control. */
  sdc?: boolean;
  /** Cache directory; `null` computes everything in a throw-away cache. Default `.rdi/cache`. */
  cacheDir?: string | null;
  /** A previous publication: writes the review (`rdi diff`) into the publication as granskning.json. */
  previous?: string;
  /** Threshold of the review's year-on-year check (see diff.ts). */
  diffThreshold?: number;
  threads?: number;
  memoryLimit?: string;
  /** Years computed together (default BATCH_YEARS); fewer bound memory, more reopen shared years. */
  batchYears?: number;
  /** Overrides of the disclosure rules (data-loaders/sdc/rules.ts), e.g. `{ lpMaxVariables: 0 }`. */
  sdcRules?: Record<string, number>;
  /** The audit first checks the tables protection's LPs found (default true); false solves every
   * LP again (`rdi build --audit-resolve`). */
  auditCertificates?: boolean;
  /**
   * After computing the indicators (one pass for all, as always), compute each indicator area
   * again on its own, as steps named `profile: indicators <area>` whose results are discarded:
   * where the indicators' time goes (the bench). Not part of the build: subtract their time.
   */
  profileIndicatorAreas?: boolean;
  /** Return at once when `out` was built from the same inputs, code and definitions. */
  skipIfFresh?: boolean;
  /** Only compare `out` with the inputs, code and definitions (result `fresh`); never build. */
  checkOnly?: boolean;
  /** Called after every step with its duration and the rows it produced (null when not a table). */
  onStep?: (name: string, seconds: number, rows: number | null, cpuSeconds: number) => void;
}

/** Steps that only measure (`profileIndicatorAreas`): their time is not part of the build. */
export const PROFILE_STEP_PREFIX = "profile: ";

export interface BuildResult {
  out: string;
  /** The publication's manifest; null only with `checkOnly` when there is no publication yet. */
  manifest: Manifest | null;
  /** True when `out` was already built from the same inputs, code and definitions. */
  fresh: boolean;
  /** Null when the publication was up to date and nothing was built (`skipIfFresh`). */
  log: BuildLog | null;
  rebuilt: boolean;
}

/** Version of the publication format (publicering.md, "version 1"). */
export const PUBLICATION_FORMAT_VERSION = 1;

/**
 * The tables of the areas step, by their name in the cache and in the publication. The
 * overgangar tables list RegSO whose områdestyp changed (and how many per pair of types): they
 * hold no person counts and only the types that omraden.parquet publishes anyway, so disclosure
 * control has no `*_pub` form of them and they are published from the raw tables.
 */
const AREA_TABLES = [
  { name: "omraden", raw: "omraden_raw", file: "omraden/omraden.parquet", layout: OMRADEN_LAYOUT, sdc: true },
  {
    name: "fordelning",
    raw: "omraden_fordelning_raw",
    file: "omraden/fordelning.parquet",
    layout: FREE_LAYOUT,
    sdc: true,
  },
  {
    name: "overgangar",
    raw: "omraden_overgangar_raw",
    file: "omraden/overgangar.parquet",
    layout: FREE_LAYOUT,
    sdc: false,
  },
  {
    name: "overgangar_summa",
    raw: "omraden_overgangar_summa_raw",
    file: "omraden/overgangar_summa.parquet",
    layout: FREE_LAYOUT,
    sdc: false,
  },
] as const;

/** Columns never written from a `*_pub` table (what disclosure control needs but never publishes). */
const NEVER_PUBLISHED = new Set([...INTERNAL_COLUMNS].filter((c) => c !== "antal"));

const EXTRACT_FILE = /^(personer|utvandrade)_(\d{4})\.(parquet|csv)$/;

export interface ExtractYearFiles {
  personer: string;
  utvandrade?: string;
}

/** The files of an extract by year (Parquet wins over CSV, as registerutdrag.md says). */
export async function listExtract(dir: string): Promise<Map<number, ExtractYearFiles>> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    throw new UserError(`extract directory ${dir} does not exist or cannot be read`);
  }
  const personer = new Map<number, string>();
  const utvandrade = new Map<number, string>();
  for (const name of names.sort()) {
    const match = EXTRACT_FILE.exec(name);
    if (!match) continue;
    const year = Number(match[2]);
    if (match[1] === "personer") {
      if (!personer.has(year) || match[3] === "parquet") personer.set(year, name);
    } else if (match[3] === "parquet") {
      utvandrade.set(year, name);
    }
  }
  const result = new Map<number, ExtractYearFiles>();
  for (const year of [...personer.keys()].sort((a, b) => a - b)) {
    const entry: ExtractYearFiles = { personer: personer.get(year) as string };
    const emigration = utvandrade.get(year);
    if (emigration) entry.utvandrade = emigration;
    result.set(year, entry);
  }
  return result;
}

/** Formats a failed validation as the user's one-line error (plus the first issues). */
export function validationFailure(report: ValidationReportLike): string | null {
  const issues = [...(report.problems ?? []), ...(report.errors ?? [])];
  const failed = report.ok === false || report.valid === false || issues.length > 0;
  if (!failed) return null;
  const described = issues.slice(0, 5).map((e) => {
    const rows = e.rows === undefined ? "" : `: ${e.rows} row(s)`;
    const where = `${e.file ?? "?"}: ${e.column ? `column ${e.column}: ` : ""}rule "${e.rule ?? "?"}"${rows}`;
    return e.file && e.rule ? `${where}${e.message ? ` (${e.message})` : ""}` : (e.message ?? where);
  });
  const more = issues.length > 5 ? `; and ${issues.length - 5} more (run rdi validate for all)` : "";
  return `the extract failed validation, nothing was published: ${described.join("; ") || "see rdi validate"}${more}`;
}

class StepTimer {
  readonly steps: { step: string; seconds: number; cpu_seconds: number; rows: number | null }[] = [];
  peakRss = process.memoryUsage().rss;

  constructor(private readonly onStep?: BuildOptions["onStep"]) {}

  async run<T>(name: string, fn: () => Promise<T>, rows?: (result: T) => Promise<number | null>): Promise<T> {
    progress(`${name} …`);
    const t0 = performance.now();
    // CPU time of the whole process, DuckDB's worker threads included: on a busy machine it tells
    // the work done apart from the time spent waiting for a core.
    const cpu0 = process.cpuUsage();
    const result = await fn();
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const count = rows ? await rows(result) : null;
    this.peakRss = Math.max(this.peakRss, process.memoryUsage().rss);
    this.steps.push({
      step: name,
      seconds: round(seconds, 3),
      cpu_seconds: round(cpuSeconds, 3),
      rows: count,
    });
    progress(
      `${name}: ${seconds.toFixed(2)} s (cpu ${cpuSeconds.toFixed(2)} s)${count === null ? "" : `, ${count.toLocaleString("en")} rows`}`,
    );
    this.onStep?.(name, seconds, count, cpuSeconds);
    return result;
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

async function countRows(con: Connection, table: string): Promise<number | null> {
  if (!(await tableExists(con, table))) return null;
  const rows = await queryRows<{ n: number }>(con, `SELECT count(*)::BIGINT::DOUBLE AS n FROM ${table}`);
  return rows[0].n;
}

let partCounter = 0;

/** Writes the rows of `table` for one year (and indicator) to a cache part, atomically. */
async function writePart(
  con: Connection,
  table: string,
  where: string,
  file: string,
  orderBy: string,
): Promise<void> {
  const tmpName = `${basename(file)}.tmp-${process.pid}-${++partCounter}`;
  await writeParquet(
    con,
    `SELECT * FROM ${table} WHERE ${where} ORDER BY ${orderBy}`,
    dirname(file),
    tmpName,
  );
  await rename(join(dirname(file), tmpName), file);
}

/** A total order over a table: the given key columns first, then every other column. */
async function totalOrder(con: Connection, table: string, keys: readonly string[]): Promise<string> {
  const columns = await tableColumns(con, table);
  return [...keys.filter((k) => columns.includes(k)), ...columns.filter((c) => !keys.includes(c))]
    .map((c) => `${quoteIdent(c)} NULLS FIRST`)
    .join(", ");
}

async function loadParts(con: Connection, table: string, files: string[]): Promise<void> {
  await con.run(`DROP TABLE IF EXISTS ${table}`);
  if (files.length === 0) throw new Error(`no cached parts for ${table}`);
  const list = files.map(sqlString).join(", ");
  // Insertion order follows the file list, so the table's row order is the same in every build.
  await con.run(`CREATE TABLE ${table} AS SELECT * FROM read_parquet([${list}], union_by_name = true)`);
}

async function dropIfExists(con: Connection, name: string): Promise<void> {
  const rows = await queryRows<{ table_type: string }>(
    con,
    `SELECT table_type FROM information_schema.tables WHERE table_name = ${sqlString(name)}`,
  );
  if (rows.length === 0) return;
  await con.run(`DROP ${rows[0].table_type === "VIEW" ? "VIEW" : "TABLE"} ${quoteIdent(name)}`);
}

/** Suppression counts per table and rule, from what protectTables returned or from the tables. */
async function suppressionCounts(con: Connection, protectResult: unknown): Promise<SuppressionCount[]> {
  const reported = (protectResult as { suppressed?: unknown })?.suppressed;
  if (
    Array.isArray(reported) &&
    reported.every((r) => typeof r?.table === "string" && typeof r?.rule === "string")
  ) {
    return reported.map((r) => ({ table: r.table, rule: r.rule, cells: Number(r.cells ?? r.count ?? 0) }));
  }
  const counts: SuppressionCount[] = [];
  for (const table of [
    "indikatorer_pub",
    "segregation_pub",
    ...AREA_TABLES.filter((t) => t.sdc).map((t) => t.raw.replace(/_raw$/, "_pub")),
  ]) {
    if (!(await tableExists(con, table))) continue;
    const rows = await queryRows<{ n: number }>(
      con,
      `SELECT count(*)::INTEGER AS n FROM ${table} WHERE status = '..'`,
    );
    counts.push({ table: table.replace(/_pub$/, ""), rule: "alla", cells: rows[0].n });
  }
  return counts;
}

/**
 * Years computed together in step 4: their persons (and the earlier years their longitudinal
 * indicators read) are in memory at once. Four years at scale 0.01 or two at scale 1 stay within a
 * few GB; 26 years at once ran out of memory.
 */
const BATCH_YEARS = 4;

/** Builds the publication; see the module comment. Throws UserError for invalid input. */
export async function buildPublication(
  options: BuildOptions,
  steps?: BuildSteps | Promise<BuildSteps>,
): Promise<BuildResult> {
  const started = performance.now();
  const timer = new StepTimer(options.onStep);
  const input = resolve(options.input);
  const out = resolve(options.out);
  const sdc = options.sdc ?? true;
  const extract = await listExtract(input);
  if (extract.size === 0)
    throw new UserError(`extract directory ${input} holds no personer_YYYY.parquet or .csv`);
  const years = options.years ? [...new Set(options.years)].sort((a, b) => a - b) : [...extract.keys()];
  const absent = years.filter((y) => !extract.has(y));
  if (absent.length > 0) {
    throw new UserError(
      `extract ${input} has no personer_YYYY.parquet or .csv for year(s) ${absent.join(", ")} (present: ${[...extract.keys()].join(", ")})`,
    );
  }
  const yearSet = new Set(years);
  const bound = await (steps ?? loadDefaultSteps());

  const throwaway = options.cacheDir === null ? await mkdtemp(join(tmpdir(), "rdi-cache-")) : null;
  const cache = new ResultCache(resolve(throwaway ?? options.cacheDir ?? DEFAULT_CACHE_DIR));
  let con: Connection | null = null;
  let staging: string | null = null;
  try {
    // 1. Keys of every cache part (hashing the inputs reads them, but nothing is computed yet).
    const inputFiles = years.flatMap((y) => {
      const f = extract.get(y) as ExtractYearFiles;
      return f.utvandrade ? [f.personer, f.utvandrade] : [f.personer];
    });
    const fingerprints = await fingerprintFiles(
      inputFiles.map((f) => join(input, f)),
      throwaway ? undefined : cache.memoFile,
    );
    const print = (file: string): FileFingerprint => fingerprints.get(join(input, file)) as FileFingerprint;
    const yearHash = (y: number): string => {
      if (!yearSet.has(y)) return "absent";
      const f = extract.get(y) as ExtractYearFiles;
      return hashParts([
        "personer",
        print(f.personer).sha256,
        "utvandrade",
        f.utvandrade ? print(f.utvandrade).sha256 : "none",
      ]);
    };
    const code = bound.codeVersion
      ? await bound.codeVersion()
      : await codeVersion(DATA_LOADERS_DIR, bound.isDefinitionFile);
    const catalogue = bound.catalogue();
    const entries = catalogueEntries(catalogue);
    const definitions = bound.definitions?.() ?? Object.fromEntries(entries.map((e) => [e.id, e]));
    const definitionHash = new Map(
      entries.map((e) => [e.id, hashParts([stableStringify(definitions[e.id] ?? e)])]),
    );
    // An indicator's key includes the earlier year it reads (catalogue `previous_years`: 1 or 5);
    // when the catalogue does not say, both Y-1 and Y-5 are included, which is safe.
    const previousOf = new Map(entries.map((e) => [e.id, e.previous_years]));
    const dependencies = (id: string, y: number): number[] => {
      const previous = previousOf.get(id);
      return previous === 0 ? [] : typeof previous === "number" ? [y - previous] : [y - 1, y - 5];
    };
    const indicatorKey = (id: string, y: number) =>
      hashParts([
        "indikator",
        code,
        id,
        definitionHash.get(id) as string,
        yearHash(y),
        ...dependencies(id, y).map((d) => `${d}:${yearHash(d)}`),
      ]);
    const areaKey = (y: number) => hashParts(["omraden", code, yearHash(y), yearHash(y - 1)]);
    const segregationKey = (y: number) => hashParts(["segregation", code, yearHash(y)]);

    // The build key sums up everything the publication depends on; a publication that carries the
    // same key is up to date (ensurePublication uses this to skip a build).
    const buildKey = hashParts([
      "publication",
      String(PUBLICATION_FORMAT_VERSION),
      code,
      sdc ? "sdc on" : "sdc off",
      years.join(","),
      stableStringify(catalogue),
      ...years.flatMap((y) => [...entries.map((e) => indicatorKey(e.id, y)), areaKey(y), segregationKey(y)]),
    ]);
    if (options.skipIfFresh || options.checkOnly) {
      const existing = await readManifest(out).catch(() => null);
      const fresh = existing?.build_key === buildKey;
      if (fresh) progress(`${out} is up to date`);
      if (fresh || options.checkOnly) return { out, manifest: existing, log: null, rebuilt: false, fresh };
    }

    // 2. Validation before anything is computed: a failing extract publishes nothing.
    const report = await timer.run("validate", () => bound.validateExtract(input, { years }));
    const failure = validationFailure(report);
    if (failure) throw new UserError(failure);

    // 3. What is missing from the cache.
    const missingIndicators = new Map<number, CatalogueEntry[]>();
    const missingAreas: number[] = [];
    const missingSegregation: number[] = [];
    let hits = 0;
    for (const y of years) {
      for (const e of entries) {
        if (await fileExists(cache.indicatorPart(e.id, y, indicatorKey(e.id, y)))) hits++;
        else {
          missingIndicators.set(y, [...(missingIndicators.get(y) ?? []), e]);
        }
      }
      const areaParts = AREA_TABLES.map((t) => cache.areaPart(t.name, y, areaKey(y)));
      if ((await Promise.all(areaParts.map(fileExists))).every(Boolean)) hits++;
      else missingAreas.push(y);
      if (await fileExists(cache.segregationPart(y, segregationKey(y)))) hits++;
      else missingSegregation.push(y);
    }
    const misses =
      [...missingIndicators.values()].reduce((n, list) => n + list.length, 0) +
      missingAreas.length +
      missingSegregation.length;
    progress(`cache ${cache.dir}: ${hits} part(s) reused, ${misses} to compute`);

    con = await openDatabase({ threads: options.threads, memoryLimit: options.memoryLimit });
    const db = con;

    // 4. Compute what is missing, then store it in the cache — a few years at a time, so that
    // memory stays bounded however many years are built (the persons of a batch and the years
    // its longitudinal indicators read are opened together, then dropped).
    const computeYears = [
      ...new Set([...missingIndicators.keys(), ...missingAreas, ...missingSegregation]),
    ].sort((a, b) => a - b);
    const batchYears = options.batchYears ?? BATCH_YEARS;
    for (let first = 0; first < computeYears.length; first += batchYears) {
      const batch = computeYears.slice(first, first + batchYears);
      const inBatch = (y: number) => batch.includes(y);
      if (computeYears.length > batchYears) progress(`years ${batch.join(", ")} …`);
      const openYears = [
        ...new Set(batch.flatMap((y) => [y, y - 1, y - 5].filter((d) => yearSet.has(d)))),
      ].sort((a, b) => a - b);
      const emigrationYears = openYears.filter((y) => extract.get(y)?.utvandrade !== undefined);
      await timer.run("open extract", () => bound.openExtract(db, input, { years: openYears }));
      await timer.run(
        "person frame",
        () => bound.createPersonFrame(db, { years: openYears }),
        () => countRows(db, "person_ar"),
      );
      await timer.run(
        "areas (områdestyper)",
        () => bound.computeAreas(db, { years: openYears }),
        () => countRows(db, "omraden_raw"),
      );

      const indicatorYears = [...missingIndicators.keys()].filter(inBatch).sort((a, b) => a - b);
      /** Indicator areas to compute once more on their own (`profileIndicatorAreas`): area → ids. */
      const profiled = new Map<string, string[]>();
      if (indicatorYears.length > 0) {
        const needed = new Set(
          indicatorYears.flatMap((y) => missingIndicators.get(y) ?? []).map((e) => e.id),
        );
        const ids = entries.filter((e) => needed.has(e.id)).map((e) => e.id);
        await dropIfExists(db, "rdi_indikatorer_computed");
        // One call computes every frame once for all indicators.
        await timer.run(
          "indicators",
          async () => {
            await dropIfExists(db, "indikatorer_raw");
            await bound.computeIndicators(db, { years: indicatorYears, emigrationYears, indicators: ids });
            await db.run("ALTER TABLE indikatorer_raw RENAME TO rdi_indikatorer_computed");
          },
          () => countRows(db, "rdi_indikatorer_computed"),
        );
        if (options.profileIndicatorAreas) {
          for (const e of entries) {
            if (needed.has(e.id)) profiled.set(entryArea(e), [...(profiled.get(entryArea(e)) ?? []), e.id]);
          }
        }
      }
      const segregationYears = missingSegregation.filter(inBatch);
      if (segregationYears.length > 0) {
        await timer.run(
          "segregation",
          () => bound.computeSegregation(db, { years: segregationYears }),
          () => countRows(db, "segregation_raw"),
        );
      }
      await timer.run("cache: store parts", async () => {
        if (indicatorYears.length > 0) {
          // The cell key orders each part totally; a global sort first would cost more than it saves.
          const order = await totalOrder(db, "rdi_indikatorer_computed", INDICATOR_LAYOUT.sortKeys);
          for (const y of indicatorYears) {
            for (const e of missingIndicators.get(y) ?? []) {
              const where = `indikator = ${sqlString(e.id)} AND ar = ${y}`;
              const part = cache.indicatorPart(e.id, y, indicatorKey(e.id, y));
              await writePart(db, "rdi_indikatorer_computed", where, part, order);
            }
          }
          await dropIfExists(db, "rdi_indikatorer_computed");
        }
        for (const t of AREA_TABLES) {
          const order = await totalOrder(db, t.raw, ["ar", "niva", "region"]);
          for (const y of missingAreas.filter(inBatch))
            await writePart(db, t.raw, `ar = ${y}`, cache.areaPart(t.name, y, areaKey(y)), order);
        }
        if (segregationYears.length > 0) {
          const order = await totalOrder(db, "segregation_raw", SEGREGATION_LAYOUT.sortKeys);
          for (const y of segregationYears) {
            await writePart(
              db,
              "segregation_raw",
              `ar = ${y}`,
              cache.segregationPart(y, segregationKey(y)),
              order,
            );
          }
        }
      });
      // Each indicator area once more on its own, after the build's results have gone to the cache,
      // so that an area is measured without the whole batch's results held beside it.
      for (const [area, areaIds] of profiled) {
        await timer.run(
          `${PROFILE_STEP_PREFIX}indicators ${area}`,
          () => bound.computeIndicators(db, { years: indicatorYears, emigrationYears, indicators: areaIds }),
          () => countRows(db, "indikatorer_raw"),
        );
        await dropIfExists(db, "indikatorer_raw");
      }
      // Persons are no longer needed: free their memory before the next batch and disclosure control.
      for (const name of ["rdi_indikatorer_computed", "person_ar", "personer", "utvandrade"])
        await dropIfExists(db, name);
    }

    // 5. Raw tables of every year, read back from the cache in a fixed order.
    await timer.run(
      "cache: load raw tables",
      async () => {
        await loadParts(
          db,
          "indikatorer_raw",
          entries.flatMap((e) => years.map((y) => cache.indicatorPart(e.id, y, indicatorKey(e.id, y)))),
        );
        for (const t of AREA_TABLES) {
          await loadParts(
            db,
            t.raw,
            years.map((y) => cache.areaPart(t.name, y, areaKey(y))),
          );
        }
        await loadParts(
          db,
          "segregation_raw",
          years.map((y) => cache.segregationPart(y, segregationKey(y))),
        );
      },
      () => countRows(db, "indikatorer_raw"),
    );

    // 6. Disclosure control and its audit.
    let suppressed: SuppressionCount[] = [];
    let rules: unknown = null;
    if (sdc) {
      // One year of the protected indicator table depends on that year's cells, the rules, the
      // code and the families of shared denominators (which look at every year): it is cached on
      // those, so adding a year protects and audits only the new year. The smaller tables
      // (segregation, områden) are not partitioned by year and are protected whole every time.
      const families = bound.familySignature ? await bound.familySignature(db) : null;
      const protectedKey = (y: number) =>
        hashParts([
          "skyddad",
          code,
          stableStringify(options.sdcRules ?? {}),
          families ?? "",
          ...entries.map((e) => indicatorKey(e.id, y)),
        ]);
      const reused: number[] = [];
      if (families !== null)
        for (const y of years) {
          const part = cache.protectedPart(y, protectedKey(y));
          if ((await fileExists(part)) && (await fileExists(`${part}.json`))) reused.push(y);
        }
      const partitions =
        families === null ? undefined : new Set(years.filter((y) => !reused.includes(y)).map(String));
      if (reused.length > 0)
        progress(`disclosure control: ${reused.length} protected year(s) reused from the cache`);
      const protectResult = await timer.run(
        "disclosure control",
        () => bound.protectTables(db, { rules: options.sdcRules, partitions }),
        () => countRows(db, "indikatorer_pub"),
      );
      const audit = await timer.run("disclosure audit", () =>
        bound.auditTables(db, {
          rules: options.sdcRules,
          partitions,
          certificates: options.auditCertificates,
        }),
      );
      const auditFailure = (audit as { ok?: unknown })?.ok === false;
      if (auditFailure) {
        throw new Error(
          `the disclosure audit failed, nothing was published: ${stableStringify(audit).slice(0, 400)}`,
        );
      }
      suppressed = await suppressionCounts(db, protectResult);
      if (partitions) {
        const byPartition =
          (
            protectResult as {
              byPartition?: { table: string; partition?: string; rule: string; cells: number }[];
            }
          )?.byPartition ?? [];
        const order = await totalOrder(db, "indikatorer_pub", INDICATOR_LAYOUT.sortKeys);
        for (const y of partitions) {
          const part = cache.protectedPart(Number(y), protectedKey(Number(y)));
          await writePart(db, "indikatorer_pub", `ar = ${y}`, part, order);
          const counts = byPartition
            .filter((c) => c.table === "indikatorer" && c.partition === y)
            .map((c) => ({ rule: c.rule, cells: c.cells }));
          await writeFileAtomic(`${part}.json`, `${JSON.stringify(counts)}\n`);
        }
        const added = new Map<string, number>();
        for (const y of reused) {
          const part = cache.protectedPart(y, protectedKey(y));
          await db.run(`INSERT INTO indikatorer_pub SELECT * FROM read_parquet(${sqlString(part)})`);
          const counts = JSON.parse(await readFile(`${part}.json`, "utf8")) as {
            rule: string;
            cells: number;
          }[];
          for (const c of counts) added.set(c.rule, (added.get(c.rule) ?? 0) + c.cells);
        }
        for (const [rule, cells] of added) {
          const entry = suppressed.find((c) => c.table === "indikatorer" && c.rule === rule);
          if (entry) entry.cells += cells;
          else suppressed.push({ table: "indikatorer", rule, cells });
        }
        suppressed.sort((a, b) =>
          a.table === b.table ? (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) : a.table < b.table ? -1 : 1,
        );
      }
      rules = bound.disclosureRules?.() ?? (protectResult as { rules?: unknown })?.rules ?? null;
      for (const s of suppressed)
        progress(`suppressed ${s.table} (${s.rule}): ${s.cells.toLocaleString("en")} cells`);
    }

    // 7. Write the publication into a staging directory and swap it into place.
    // With disclosure control, a table is written from its `*_pub` form; without, from the raw
    // table minus the columns disclosure control would drop.
    const source = async (raw: string, protectedTable: boolean): Promise<[string, ReadonlySet<string>]> => {
      if (sdc && protectedTable) {
        const pub = raw.replace(/_raw$/, "_pub");
        if (!(await tableExists(db, pub))) {
          throw new Error(`disclosure control produced no table ${pub}; refusing to publish`);
        }
        return [pub, NEVER_PUBLISHED];
      }
      const keep = protectedTable ? await bound.publicationColumns?.(db, raw) : null;
      if (!keep) return [raw, INTERNAL_COLUMNS];
      const all = await queryRows<{ column_name: string }>(
        db,
        `SELECT column_name FROM information_schema.columns WHERE table_name = ${sqlString(raw)}`,
      );
      return [raw, new Set(all.map((c) => c.column_name).filter((c) => !keep.includes(c)))];
    };
    const target = await createStaging(out);
    staging = target;
    const outputs: WrittenFile[] = [];
    await timer.run(
      "write",
      async () => {
        if (!(await tableExists(db, "ref_lan"))) await createReferenceTables(db);
        const indicators = await source("indikatorer_raw", true);
        outputs.push(...(await writeIndicatorFiles(db, indicators[0], target, indicators[1])));
        const segregation = await source("segregation_raw", true);
        outputs.push(...(await writeSegregationFiles(db, segregation[0], target, segregation[1])));
        for (const t of AREA_TABLES) {
          const [table, drop] = await source(t.raw, t.sdc);
          outputs.push(await writeTableFile(db, table, t.layout, target, t.file, drop));
        }
        outputs.push(await writeRegions(db, target));
        outputs.push(await writeJson(target, "indikatorer/katalog.json", catalogue));
        if (options.previous) {
          const review = await diffPublications(
            options.previous,
            target,
            { threshold: options.diffThreshold },
            db,
          );
          outputs.push(await writeJson(target, "granskning.json", review));
        }
      },
      async () => outputs.reduce((sum, f) => sum + f.rows, 0),
    );

    const versions = await workbenchVersions();
    const inputs: InputFile[] = inputFiles.map((file) => ({ file, ...print(file) }));
    const manifest: Manifest = {
      format: "registerdata-integration-publication",
      format_version: PUBLICATION_FORMAT_VERSION,
      build_key: buildKey,
      workbench: { name: versions.name, version: versions.version, code_version: code },
      dependencies: versions.dependencies,
      years: [...years],
      sdc: sdc ? "on" : "off",
      inputs,
      disclosure: { rules, suppressed },
      outputs,
      build_log: BUILD_LOG_FILE,
    };
    await writeFile(join(target, MANIFEST_FILE), renderManifest(manifest));
    const log: BuildLog = {
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpus: cpus().length,
      seconds_total: round((performance.now() - started) / 1000, 3),
      steps: timer.steps,
      cache: { dir: throwaway ? null : cache.dir, hits, misses },
      peak_rss_mb: Math.round(timer.peakRss / 2 ** 20),
    };
    await writeFile(join(target, BUILD_LOG_FILE), `${JSON.stringify(log, null, 2)}\n`);
    await swapIntoPlace(target, out);
    staging = null;
    progress(`published ${outputs.length} files to ${out} in ${log.seconds_total.toFixed(1)} s`);
    return { out, manifest, log, rebuilt: true, fresh: true };
  } finally {
    if (staging) await discardStaging(staging);
    con?.closeSync();
    if (throwaway) await rm(throwaway, { recursive: true, force: true });
  }
}

async function writeJson(root: string, relativePath: string, value: unknown): Promise<WrittenFile> {
  const file = join(root, relativePath);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
  return {
    path: relativePath,
    rows: Array.isArray(value) ? value.length : 1,
    bytes: (await stat(file)).size,
    sha256: await sha256File(file),
  };
}
