/** Year lists on the command line (`--years` of rdi generate, validate and build, and the bench). */
import { UserError } from "./command.ts";

export interface YearListOptions {
  /** Earliest accepted year, inclusive (default: no bound). */
  min?: number;
  /** Latest accepted year, inclusive (default: no bound). */
  max?: number;
  /** The option named in messages (default `--years`). */
  option?: string;
  /** Exit status of the error (default 1; rdi validate exits 2 on bad usage). */
  exitCode?: number;
}

const EXAMPLES = "e.g. 2022, 2015-2023 or 1997,2007,2022";

/**
 * Parses a comma-separated list of years and ranges, such as `2022`, `2015-2023` or
 * `1997,2007,2020-2023`, into the years in ascending order. A range may also be written with an
 * en dash (`2015–2023`), as rdi prints spans. Throws a UserError naming the option for an empty list
 * or entry, an entry that is not a four-digit year or range, a range that runs backwards, a year
 * given twice (also through overlapping ranges) and a year outside `min`–`max`.
 */
export function parseYears(text: string, options: YearListOptions = {}): number[] {
  const { min, max, option = "--years", exitCode = 1 } = options;
  const fail = (message: string) => new UserError(`${option}: ${message}`, exitCode);
  if (text.trim() === "") throw fail(`no years given (${EXAMPLES})`);
  // Which entry gave each year, to name both entries of a duplicate.
  const origin = new Map<number, string>();
  for (const raw of text.split(",")) {
    const entry = raw.trim();
    if (entry === "") throw fail(`empty entry in '${text}' (${EXAMPLES})`);
    const match = /^(\d{4})(?:\s*[-–]\s*(\d{4}))?$/.exec(entry);
    if (!match) throw fail(`'${entry}' is not a year or a range of years (${EXAMPLES})`);
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (to < from) throw fail(`range ${entry} runs backwards (write ${to}-${from})`);
    if (min !== undefined && from < min) throw fail(`${from} is ${bounds(min, max)}`);
    if (max !== undefined && to > max) throw fail(`${to} is ${bounds(min, max)}`);
    for (let year = from; year <= to; year++) {
      const earlier = origin.get(year);
      if (earlier !== undefined) throw fail(`${year} is given twice ('${earlier}' and '${entry}')`);
      origin.set(year, entry);
    }
  }
  return [...origin.keys()].sort((a, b) => a - b);
}

function bounds(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `outside ${min}-${max}, the years this command covers`;
  return min !== undefined
    ? `before ${min}, the first year this command covers`
    : `after ${max}, the last year this command covers`;
}
