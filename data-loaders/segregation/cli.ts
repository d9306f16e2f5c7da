/**
 * `rdi segregation`: every segregation measure for an analyst's own counts.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Command } from "../cli/command.ts";
import { UserError } from "../cli/command.ts";
import type { CountsInput } from "./counts.ts";
import { CountsError, readCounts } from "./counts.ts";
import type { Decomposition } from "./measures.ts";
import { decompose, prepare, unitRows } from "./measures.ts";
import type { MeasureSet, ProfileOptions, SegregationProfile } from "./profile.ts";
import { segregationProfile } from "./profile.ts";
import { DEFAULT_DRAWS, DEFAULT_SEED } from "./random.ts";

export interface SegregationReport {
  regions: Record<string, SegregationProfile>;
  all: SegregationProfile;
  decomposition: Decomposition;
}

/** Measures for each region, for the whole input, and the decomposition of M and H into the regions. */
export function segregationReport(input: CountsInput, options: ProfileOptions = {}): SegregationReport {
  const tables = input.regions.map((r) => r.table);
  const all = prepare({ groups: input.groups, counts: tables.flatMap((t) => unitRows(t)) });
  return {
    regions: input.hasRegions
      ? Object.fromEntries(input.regions.map((r) => [r.name, segregationProfile(r.table, options)]))
      : {},
    all: segregationProfile(all, options),
    decomposition: decompose(tables),
  };
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function csvNumber(value: number | null | undefined): string {
  return value === null || value === undefined ? "" : String(value);
}

/** Rows (group, measure, value, random) of one profile. */
function profileRows(p: SegregationProfile): [string, string, number | null, number | null][] {
  const rows: [string, string, number | null, number | null][] = [
    ["", "total", p.total, null],
    ["", "units", p.units, null],
  ];
  const random: MeasureSet = p.random;
  for (const [g, m] of Object.entries(p.by_group)) {
    const r = random.by_group[g];
    rows.push([g, "share", m.share, r.share]);
    rows.push([g, "D", m.D, r.D]);
    rows.push([g, "isolation", m.isolation, r.isolation]);
    for (const [h, value] of Object.entries(m.exposure))
      rows.push([g, `exposure:${h}`, value, r.exposure[h]]);
    rows.push([g, "correlation_ratio", m.correlation_ratio, r.correlation_ratio]);
    rows.push([g, "gini", m.gini, r.gini]);
    rows.push([g, "H", m.H, r.H]);
  }
  for (const [pair, m] of Object.entries(p.pairwise)) rows.push([pair, "D", m.D, random.pairwise[pair].D]);
  for (const key of ["D", "gini", "H", "M", "E"] as const) {
    rows.push(["", key, p.multigroup[key], random.multigroup[key]]);
  }
  return rows;
}

/** The long CSV: region,group,measure,value,random (empty region = whole input, empty group = multigroup). */
export function formatCsv(report: SegregationReport): string {
  const lines = ["region,group,measure,value,random"];
  const add = (region: string, rows: [string, string, number | null, number | null][]) => {
    for (const [group, measure, value, random] of rows) {
      lines.push(
        [csvField(region), csvField(group), csvField(measure), csvNumber(value), csvNumber(random)].join(","),
      );
    }
  };
  for (const [region, profile] of Object.entries(report.regions)) add(region, profileRows(profile));
  add("", profileRows(report.all));
  for (const [measure, value] of Object.entries(report.decomposition)) add("", [["", measure, value, null]]);
  return `${lines.join("\n")}\n`;
}

const USAGE = `Usage: rdi segregation --input <counts.csv> [--format json|csv] [--draws ${DEFAULT_DRAWS}] [--seed ${DEFAULT_SEED}]

Every segregation measure (see docs/segregation.md) for your own counts, per region and for the
whole input, each with its value expected under random allocation of the same people to the same
units, and the decomposition of M and H into the regions.

Input: CSV with the header region,unit,group,count (region optional, any column order). Rows that
repeat a (region, unit, group) add up. Counts are non-negative whole numbers.

Options:
  --input   the counts file (required)
  --format  json (default) or csv: long rows region,group,measure,value,random where an empty
            region is the whole input and an empty group a multigroup or region-level measure
  --draws   most draws of the seeded simulation behind the random-allocation values of Gini
            and pairwise D; it stops earlier, after a multiple of 10 draws, once every simulated
            mean has a standard error of at most 0.001 (0 leaves them empty)
  --seed    seed of that simulation`;

function parseWhole(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
    throw new UserError(`--${name} must be a non-negative whole number, got '${text}'`, 2);
  }
  return value;
}

export const command: Command = {
  name: "segregation",
  summary: "segregation measures for your own counts (CSV region,unit,group,count)",
  usage: USAGE,
  async run(args: string[]): Promise<number> {
    const { values } = parseArgs({
      args,
      options: {
        input: { type: "string" },
        format: { type: "string", default: "json" },
        draws: { type: "string" },
        seed: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    });
    if (!values.input) throw new UserError("--input <counts.csv> is required", 2);
    if (values.format !== "json" && values.format !== "csv") {
      throw new UserError(`--format must be json or csv, got '${values.format}'`, 2);
    }
    const options: ProfileOptions = {
      draws: parseWhole("draws", values.draws, DEFAULT_DRAWS),
      seed: parseWhole("seed", values.seed, DEFAULT_SEED),
    };
    let text: string;
    try {
      text = readFileSync(values.input, "utf8");
    } catch (error) {
      throw new UserError(`cannot read ${values.input}: ${(error as Error).message}`);
    }
    let input: CountsInput;
    try {
      input = readCounts(text, values.input);
    } catch (error) {
      if (error instanceof CountsError) throw new UserError(error.message);
      throw error;
    }
    const report = segregationReport(input, options);
    process.stdout.write(
      values.format === "csv" ? formatCsv(report) : `${JSON.stringify(report, null, 2)}\n`,
    );
    return 0;
  },
};
