/**
 * Segregation of utrikes födda over Sweden's real RegSO, from SCB's published population by RegSO
 * (reference/data/regso2020_stats_2020_2023.csv): unit = RegSO, region = kommun, groups
 * utrikes_fodda and fodda_i_sverige. A check of the measures on real data, runnable with
 *   npx tsx data-loaders/segregation/real-regso.ts [year] [top]
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { geography, referencePath } from "../reference/geography.ts";
import { segregationReport } from "./cli.ts";
import { readCounts } from "./counts.ts";

const FILE = "regso2020_stats_2020_2023.csv";

/** The RegSO file's counts for one year as `region,unit,group,count` CSV (region = kommun code). */
export function realRegsoCounts(year: number): string {
  const [header, ...lines] = readFileSync(referencePath(FILE), "utf8")
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .filter((line) => line.length > 0);
  const columns = header.split(",");
  const col = (name: string) => {
    const i = columns.indexOf(name);
    if (i < 0) throw new Error(`${FILE}: column '${name}' is missing`);
    return i;
  };
  const [kommun, regso, ar, utrikes, sverige] = [
    "kommunkod",
    "regso_namn",
    "ar",
    "utrikes_fodda",
    "fodda_i_sverige",
  ].map(col);
  const out = ["region,unit,group,count"];
  for (const line of lines) {
    const cells = line.split(",");
    if (cells.length !== columns.length)
      throw new Error(`${FILE}: a line has ${cells.length} fields: ${line}`);
    if (Number(cells[ar]) !== year) continue;
    out.push(`${cells[kommun]},${cells[regso]},utrikes_fodda,${cells[utrikes]}`);
    out.push(`${cells[kommun]},${cells[regso]},fodda_i_sverige,${cells[sverige]}`);
  }
  return `${out.join("\n")}\n`;
}

export interface KommunSegregation {
  kommun: string;
  namn: string;
  regso: number;
  persons: number;
  shareUtrikes: number;
  D: number;
  D_random: number;
  isolation: number;
  isolation_random: number;
}

/** Every kommun's D and isolation of utrikes födda over RegSO, highest D first. */
export function kommunerByD(year: number): KommunSegregation[] {
  const report = segregationReport(readCounts(realRegsoCounts(year), FILE), { draws: 0 });
  const names = new Map(geography().kommuner.map((k) => [k.code, k.name]));
  return Object.entries(report.regions)
    .map(([kommun, p]) => {
      const g = p.by_group.utrikes_fodda;
      const r = p.random.by_group.utrikes_fodda;
      return {
        kommun,
        namn: names.get(kommun) ?? "?",
        regso: p.units,
        persons: p.total,
        shareUtrikes: g.share ?? Number.NaN,
        D: g.D ?? Number.NaN,
        D_random: r.D ?? Number.NaN,
        isolation: g.isolation ?? Number.NaN,
        isolation_random: r.isolation ?? Number.NaN,
      };
    })
    .sort((a, b) => b.D - a.D || (a.kommun < b.kommun ? -1 : 1));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const year = Number(process.argv[2] ?? 2023);
  const top = Number(process.argv[3] ?? 5);
  const fmt = (x: number) => x.toFixed(3);
  console.log("kommun  namn                 RegSO  persons   utrikes   D      E[D]   xPx    E[xPx]");
  for (const k of kommunerByD(year).slice(0, top)) {
    console.log(
      `${k.kommun}    ${k.namn.padEnd(20)} ${String(k.regso).padStart(5)} ${String(k.persons).padStart(8)}   ` +
        `${fmt(k.shareUtrikes)}   ${fmt(k.D)}  ${fmt(k.D_random)}  ${fmt(k.isolation)}  ${fmt(k.isolation_random)}`,
    );
  }
}
