/**
 * Reading an analyst's counts (`region,unit,group,count`, region optional) into one table per region.
 */
import type { PreparedTable } from "./measures.ts";
import { prepare } from "./measures.ts";

/** Counts of one input: the groups in order of first appearance and one table per region. */
export interface CountsInput {
  /** False when the file has no `region` column; then `regions` holds one region named "". */
  hasRegions: boolean;
  groups: string[];
  /** Regions in order of first appearance; units are the (region, unit) pairs of the input. */
  regions: { name: string; table: PreparedTable }[];
}

/** A rule broken by some rows of the input: the message names file, column, count of lines and rule. */
export class CountsError extends Error {}

/** Splits CSV text into records (RFC 4180 quoting). Returns the records with their 1-based line numbers. */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== "") records.push({ line: recordLine, fields });
    fields = [];
    field = "";
  };
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
    } else if (ch === '"' && field === "") {
      quoted = true;
    } else if (ch === ",") {
      fields.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += ch;
    }
  }
  if (field !== "" || fields.length > 0) endRecord();
  return records;
}

/** Collects the lines that break one rule, to report them all in one message. */
class Violations {
  private readonly byRule = new Map<string, { column: string; lines: number[]; example: string }>();

  add(column: string, rule: string, line: number, value: string): void {
    const key = `${column}\u0000${rule}`;
    const entry = this.byRule.get(key) ?? { column, lines: [], example: value };
    entry.lines.push(line);
    this.byRule.set(key, entry);
  }

  throwIfAny(file: string): void {
    if (this.byRule.size === 0) return;
    const parts = [...this.byRule.entries()].map(([key, { column, lines, example }]) => {
      const rule = key.split("\u0000")[1];
      const count = lines.length === 1 ? "1 line breaks" : `${lines.length} lines break`;
      return `column '${column}': ${count} the rule "${rule}" (first at line ${lines[0]}: '${example}')`;
    });
    throw new CountsError(`${file}: ${parts.join("; ")}`);
  }
}

const COUNT_PATTERN = /^\s*\d+\s*$/;

/**
 * Parses counts from CSV text. Rows repeating a (region, unit, group) add up. Throws CountsError on
 * a missing header column, a wrong number of fields, an empty code, or a count that is not a
 * non-negative whole number.
 */
export function readCounts(text: string, file: string): CountsInput {
  const records = parseCsv(text);
  if (records.length === 0)
    throw new CountsError(`${file}: empty file, expected the header region,unit,group,count`);
  const header = records[0].fields.map((h) => h.trim());
  for (const required of ["unit", "group", "count"]) {
    if (!header.includes(required)) {
      throw new CountsError(
        `${file}: column '${required}': missing from the header (line 1 has ${header.join(",")}; required unit,group,count, optional region)`,
      );
    }
  }
  const hasRegions = header.includes("region");
  const col = (name: string) => header.indexOf(name);
  const [regionCol, unitCol, groupCol, countCol] = [col("region"), col("unit"), col("group"), col("count")];
  const violations = new Violations();
  const groups: string[] = [];
  const groupIndex = new Map<string, number>();
  const regionOrder: string[] = [];
  // region → unit → counts by group index
  const cells = new Map<string, Map<string, number[]>>();
  for (const { line, fields } of records.slice(1)) {
    if (fields.length !== header.length) {
      violations.add("*", `every line has ${header.length} fields`, line, fields.join(","));
      continue;
    }
    const region = hasRegions ? fields[regionCol].trim() : "";
    const unit = fields[unitCol].trim();
    const group = fields[groupCol].trim();
    const countText = fields[countCol];
    const empty = [
      ...(hasRegions && region === "" ? ["region"] : []),
      ...(unit === "" ? ["unit"] : []),
      ...(group === "" ? ["group"] : []),
    ];
    for (const column of empty) violations.add(column, "not empty", line, "");
    const count = Number(countText);
    const countOk = COUNT_PATTERN.test(countText) && Number.isSafeInteger(count);
    if (!countOk) violations.add("count", "a non-negative whole number", line, countText);
    if (empty.length > 0 || !countOk) continue;
    if (!groupIndex.has(group)) {
      groupIndex.set(group, groups.length);
      groups.push(group);
    }
    let units = cells.get(region);
    if (!units) {
      units = new Map();
      cells.set(region, units);
      regionOrder.push(region);
    }
    let row = units.get(unit);
    if (!row) {
      row = [];
      units.set(unit, row);
    }
    const g = groupIndex.get(group) as number;
    row[g] = (row[g] ?? 0) + count;
  }
  violations.throwIfAny(file);
  if (!hasRegions && regionOrder.length === 0) regionOrder.push("");
  return {
    hasRegions,
    groups,
    regions: regionOrder.map((name) => ({
      name,
      table: prepare({
        groups,
        counts: [...(cells.get(name)?.values() ?? [])].map((row) => groups.map((_, g) => row[g] ?? 0)),
      }),
    })),
  };
}
