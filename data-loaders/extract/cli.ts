/** `rdi validate <dir>`: checks a register extract against the input contract. */
import { parseArgs } from "node:util";
import type { Command } from "../cli/command.ts";
import { UserError } from "../cli/command.ts";
import { progress } from "../cli/progress.ts";
import { parseYears } from "../cli/years.ts";
import { formatProblems, validateExtract } from "./validate.ts";

const usage = `Usage: rdi validate <dir> [--years 1997-2023|2019,2020] [--json]

Checks the register extract in <dir> (personer_YYYY.parquet|csv, utvandrade_YYYY.parquet) against
the input contract (docs/registerutdrag.md) and prints every problem, one per line, naming the
file, the column, the rule and the number of rows with up to 5 example lopnr.

Options:
  --years <list>   only these years, e.g. 2019, 2015-2019 or 1998,2002,2006
  --json           print the whole report as JSON instead of lines

Exit status: 0 when the extract is valid, 1 when it is not, 2 on bad usage.`;

export const command: Command = {
  name: "validate",
  summary: "check a register extract against the input contract",
  usage,
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { years: { type: "string" }, json: { type: "boolean", default: false } },
    });
    if (positionals.length !== 1)
      throw new UserError("expected one extract directory (see rdi validate --help)", 2);
    const years = values.years === undefined ? undefined : parseYears(values.years, { exitCode: 2 });
    const report = await validateExtract(positionals[0], { years, onProgress: progress });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else if (report.ok) {
      const rows = report.files
        .filter((f) => f.kind === "personer")
        .reduce((sum, f) => sum + (report.rowCounts[f.name] ?? 0), 0);
      const span =
        report.years.length === 1
          ? `${report.years[0]}`
          : `${report.years[0]}–${report.years[report.years.length - 1]}`;
      process.stdout.write(
        `valid: ${report.files.length} files, ${rows.toLocaleString("en-US")} persons (person-year rows) in ${span}\n`,
      );
    } else {
      process.stdout.write(`${formatProblems(report)}\n`);
      process.stdout.write(`invalid: ${report.problems.length} problem(s)\n`);
    }
    return report.ok ? 0 : 1;
  },
};
