/** `rdi build` and `rdi diff`. */
import { parseArgs } from "node:util";
import type { Command } from "../cli/command.ts";
import { UserError } from "../cli/command.ts";
import { parseYears } from "../cli/years.ts";
import { buildPublication, DEFAULT_CACHE_DIR } from "./build.ts";
import {
  DEFAULT_LEVELS,
  DEFAULT_MIN_POPULATION,
  DEFAULT_THRESHOLD,
  diffPublications,
  renderDiffText,
} from "./diff.ts";

function parseThreshold(text: string | undefined): number {
  if (text === undefined) return DEFAULT_THRESHOLD;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0)
    throw new UserError(`--threshold: '${text}' is not a non-negative number`);
  return value;
}

/** `--min-population`: persons, so a whole number ≥ 0. */
function parseMinPopulation(text: string | undefined): number {
  if (text === undefined) return DEFAULT_MIN_POPULATION;
  const value = Number(text);
  if (text.trim() === "" || !Number.isInteger(value) || value < 0)
    throw new UserError(`--min-population: '${text}' is not a whole number ≥ 0 (persons)`);
  return value;
}

export const buildCommand: Command = {
  name: "build",
  summary: "compute, protect and publish every table from an extract",
  usage: `Usage: rdi build --input <extract dir> --out <publication dir> [options]

Validates the extract, computes every indicator, the områdestyper and the segregation measures,
applies disclosure control and replaces the publication directory atomically. Results are cached
per year and indicator, so adding a year or changing one indicator recomputes only what changed.

Options:
  --input <dir>        register extract (personer_YYYY.parquet|csv, utvandrade_YYYY.parquet)
  --out <dir>          publication directory (replaced atomically)
  --years <list>       years to publish, e.g. 2019,2020 or 1997-2023 (default: every year of the extract)
  --sdc on|off         disclosure control (default on); off publishes raw tables for internal QC only
  --cache <dir>        result cache (default ${DEFAULT_CACHE_DIR})
  --no-cache           compute everything, keep no cache
  --previous <dir>     the publication this one replaces: writes the review as granskning.json
  --threshold <x>      year-on-year threshold of the review (default ${DEFAULT_THRESHOLD}; see rdi diff)
  --threads <n>        DuckDB worker threads (default: all cores)
  --memory-limit <x>   DuckDB memory limit, e.g. 16GB
  --lp-limit <n>       largest neighbourhood (LP variables) on which disclosure control proves a
                       suppressed cell's protection; what it cannot prove within it is
                       suppressed further (default 4000; 0 turns the LP off)
  --audit-resolve      the audit solves every LP again instead of first checking the tables
                       that protection's LPs found (slower; the verdict is the same)

Prints each step with its time and row counts, and the suppressed cells per table and rule, on stderr.
Exit status 0 only when everything was published.`,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        input: { type: "string" },
        out: { type: "string" },
        years: { type: "string" },
        sdc: { type: "string", default: "on" },
        cache: { type: "string" },
        "no-cache": { type: "boolean", default: false },
        previous: { type: "string" },
        threshold: { type: "string" },
        threads: { type: "string" },
        "memory-limit": { type: "string" },
        "lp-limit": { type: "string" },
        "audit-resolve": { type: "boolean", default: false },
      },
      allowPositionals: false,
    });
    if (!values.input) throw new UserError("--input <extract dir> is required");
    if (!values.out) throw new UserError("--out <publication dir> is required");
    if (values.sdc !== "on" && values.sdc !== "off")
      throw new UserError(`--sdc must be on or off, not '${values.sdc}'`);
    if (values["no-cache"] && values.cache) throw new UserError("--cache and --no-cache exclude each other");
    const threads = values.threads === undefined ? undefined : Number(values.threads);
    if (threads !== undefined && !(Number.isInteger(threads) && threads > 0)) {
      throw new UserError(`--threads: '${values.threads}' is not a positive whole number`);
    }
    const lpLimit = values["lp-limit"] === undefined ? undefined : Number(values["lp-limit"]);
    if (lpLimit !== undefined && !(Number.isInteger(lpLimit) && lpLimit >= 0)) {
      throw new UserError(`--lp-limit: '${values["lp-limit"]}' is not a whole number ≥ 0`);
    }
    await buildPublication({
      input: values.input,
      out: values.out,
      years: values.years ? parseYears(values.years) : undefined,
      sdc: values.sdc === "on",
      cacheDir: values["no-cache"] ? null : (values.cache ?? DEFAULT_CACHE_DIR),
      previous: values.previous,
      diffThreshold: parseThreshold(values.threshold),
      threads,
      memoryLimit: values["memory-limit"],
      sdcRules: lpLimit === undefined ? undefined : { lpMaxVariables: lpLimit },
      auditCertificates: !values["audit-resolve"],
    });
    return 0;
  },
};

export const diffCommand: Command = {
  name: "diff",
  summary: "review the changes between two publications before publishing",
  usage: `Usage: rdi diff <old publication> <new publication> [--threshold 20] [--min-population 100] [--format text|json] [--levels riket,lan,kommun] [--top 20]

Lists indicators added or removed, years added, revised values in earlier years (with the largest
changes), changes in suppression, and values that moved more than the threshold from the year
before in the years the new publication adds (or its latest year). The threshold is in percentage
points for indicators measured in per cent and in per cent of the earlier value for all others.
A move counts only when the cell's population (its denominator, or for counts the count itself)
is at least the minimum in both years: small populations move by chance.

Options:
  --threshold <x>   year-on-year threshold (default ${DEFAULT_THRESHOLD})
  --min-population <n>
                    smallest population of a cell, in both years, for its move to count
                    (default ${DEFAULT_MIN_POPULATION}; rdi build --previous uses the default)
  --format <f>      text (default) or json (the format of granskning.json)
  --levels <list>   levels checked for year-on-year moves (default ${DEFAULT_LEVELS.join(",")})
  --top <n>         how many of the largest changes to list (default 20)`,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        threshold: { type: "string" },
        "min-population": { type: "string" },
        format: { type: "string", default: "text" },
        levels: { type: "string" },
        top: { type: "string" },
      },
      allowPositionals: true,
    });
    if (positionals.length !== 2) throw new UserError("give two publication directories: <old> <new>");
    if (values.format !== "text" && values.format !== "json") {
      throw new UserError(`--format must be text or json, not '${values.format}'`);
    }
    const top = values.top === undefined ? 20 : Number(values.top);
    if (!Number.isInteger(top) || top < 0)
      throw new UserError(`--top: '${values.top}' is not a whole number`);
    const minPopulation = parseMinPopulation(values["min-population"]);
    let diff: Awaited<ReturnType<typeof diffPublications>>;
    try {
      diff = await diffPublications(positionals[0], positionals[1], {
        threshold: parseThreshold(values.threshold),
        minPopulation,
        levels: values.levels?.split(",").map((l) => l.trim()),
        top,
      });
    } catch (error) {
      throw new UserError((error as Error).message);
    }
    process.stdout.write(
      values.format === "json" ? `${JSON.stringify(diff, null, 2)}\n` : renderDiffText(diff),
    );
    return 0;
  },
};
