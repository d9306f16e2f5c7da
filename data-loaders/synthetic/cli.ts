import { parseArgs } from "node:util";
import type { Command } from "../cli/command.ts";
import { UserError } from "../cli/command.ts";
import { progress, timed } from "../cli/progress.ts";
import { parseYears } from "../cli/years.ts";
import { generateExtract, MAX_SCALE } from "./generate.ts";
import { FIRST_YEAR, LAST_YEAR } from "./parameters.ts";

const USAGE = `Usage: rdi generate --out <dir> [--years 1997-2023] [--scale 0.1] [--seed 1]

Writes a synthetic register extract (personer_YYYY.parquet and utvandrade_YYYY.parquet for each
year) in the format of the input contract. The persons are invented; their totals are calibrated
to SCB's published figures (see docs/synthetic-population.md).

Options:
  --out <dir>        output directory (created if missing; files of the written years are replaced)
  --years <range>    years to write, e.g. 2022, 2015-2023 or 1997,2007,2022 (default ${FIRST_YEAR}-${LAST_YEAR};
                     the population is always simulated over ${FIRST_YEAR}-${LAST_YEAR}, so a year's file does
                     not depend on which other years are written)
  --scale <share>    share of Sweden's population, 0 < scale <= ${MAX_SCALE} (default 0.1; 1 = 10.5 million in 2022)
  --seed <n>         seed of the random draws, a non-negative integer (default 1)
  --threads <n>      DuckDB worker threads (default: all cores)
  --memory <limit>   DuckDB memory limit, e.g. 8GB`;

function parseNumber(name: string, text: string, check: (n: number) => boolean, rule: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || !check(value)) {
    throw new UserError(`--${name}: '${text}' is not ${rule}`);
  }
  return value;
}

export const command: Command = {
  name: "generate",
  summary: "write a synthetic register extract calibrated to SCB's published figures",
  usage: USAGE,
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      options: {
        out: { type: "string" },
        years: { type: "string", default: `${FIRST_YEAR}-${LAST_YEAR}` },
        scale: { type: "string", default: "0.1" },
        seed: { type: "string", default: "1" },
        threads: { type: "string" },
        memory: { type: "string" },
      },
      allowPositionals: true,
    });
    if (positionals.length > 0)
      throw new UserError(`unexpected argument '${positionals[0]}'; see rdi generate --help`);
    if (!values.out) throw new UserError("--out <dir> is required; see rdi generate --help");
    const years = parseYears(values.years, { min: FIRST_YEAR, max: LAST_YEAR });
    const scale = parseNumber(
      "scale",
      values.scale,
      (n) => n > 0 && n <= MAX_SCALE,
      `a share in (0, ${MAX_SCALE}]`,
    );
    const seed = parseNumber(
      "seed",
      values.seed,
      (n) => Number.isInteger(n) && n >= 0,
      "a non-negative integer",
    );
    const threads =
      values.threads === undefined
        ? undefined
        : parseNumber("threads", values.threads, (n) => Number.isInteger(n) && n >= 1, "a positive integer");
    const summary = await timed(`generating ${years.length} year(s) at scale ${scale}, seed ${seed}`, () =>
      generateExtract({ out: values.out as string, years, scale, seed, threads, memoryLimit: values.memory }),
    );
    const rows = summary.files.reduce((sum, f) => sum + f.rows, 0);
    progress(`wrote ${summary.files.length} files (${rows.toLocaleString("en-US")} rows) to ${values.out}`);
    return 0;
  },
};
