/**
 * `validateExtract`: checks a register extract against the contract and reports every problem.
 *
 * Each file is checked in DuckDB in one pass that counts the rows breaking each rule
 * (`count(*) FILTER (WHERE …)`); only for rules that fail does a second pass collect the five
 * smallest example `lopnr`. Unique lopnr costs one scan of that column (a hash aggregate only when
 * the file is not sorted by lopnr), and the emigrants' link to the previous year one anti-join.
 * Nothing is checked row by row in JavaScript.
 */
import type { Connection } from "../db.ts";
import { exec, openDatabase, queryRows, sqlString } from "../db.ts";
import { geography, kommunCodesValidIn } from "../reference/geography.ts";
import type { ColumnSpec } from "./contract.ts";
import {
  COUNTRY_CODES,
  desoPrefixesIn,
  EMIGRATION_COLUMNS,
  isElectionYear,
  MAX_AGE,
  PERSON_COLUMNS,
  SWEDEN,
} from "./contract.ts";
import type { Conversion, ExtractCandidate, ExtractFile } from "./read.ts";
import {
  csvConversion,
  csvRelation,
  describeParquet,
  hashFiles,
  listExtract,
  parquetConversion,
  parquetRelation,
  readCsvHeader,
  sqlIdent,
} from "./read.ts";

export type { ExtractFile } from "./read.ts";

export interface Problem {
  /** File name (without directory) the problem is in. */
  file: string;
  /** Column concerned; null for a problem with the whole file or extract. */
  column: string | null;
  /** Short stable name of the rule, e.g. `code list 1, 2`, `not null`, `column present`. */
  rule: string;
  /** Rows (or CSV lines) breaking the rule; 0 for a problem with the whole file. */
  rows: number;
  /** Up to 5 example lopnr (the smallest), as text. */
  examples: string[];
  /** One readable sentence. */
  message: string;
}

export interface ValidationReport {
  ok: boolean;
  /** Years with a personer file among the selected years, ascending. */
  years: number[];
  files: ExtractFile[];
  problems: Problem[];
  /** Rows read per file name (files that could not be read are missing). */
  rowCounts: Record<string, number>;
}

export interface ValidateOptions {
  years?: number[];
  onProgress?: (message: string) => void;
}

const EXAMPLES = 5;

/** A rule over the rows of one file: `violated` is SQL over the typed columns, true for a bad row. */
interface RowRule {
  column: string;
  rule: string;
  violated: string;
  /** Completes "N rows …", e.g. "with a kon outside the code list 1, 2". */
  describe: string;
}

/** A file opened for checking: how to read it with the contract's types. */
interface FileSource {
  file: ExtractCandidate;
  /** SELECT of the typed contract columns (usable ones) plus `__type_<c>` flags for converted ones. */
  select: string;
  /** Contract columns present with a usable type. */
  usable: Set<string>;
  /** Contract columns converted from another physical type (may have values that do not fit). */
  converted: Set<string>;
}

/** A contract column whose physical type cannot hold the contract type. */
interface Mistyped {
  column: string;
  physical: string;
  expected: string;
}

interface FileResult {
  problems: Problem[];
  rows: number | null;
  source: FileSource | null;
}

function problem(
  file: string,
  column: string | null,
  rule: string,
  rows: number,
  message: string,
  examples: string[] = [],
): Problem {
  return { file, column, rule, rows, examples, message };
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}

/** Reference codes the rules look up, as small tables in the validator's own database. */
async function createLookupTables(con: Connection, years: number[]): Promise<void> {
  const values = (rows: string[]) => rows.map((r) => `(${r})`).join(",");
  const kommunRows: string[] = [];
  const kommunYears = [...new Set(years.flatMap((y) => [y, y - 1]))].sort((a, b) => a - b);
  for (const year of kommunYears) {
    for (const code of [...kommunCodesValidIn(year)].sort()) kommunRows.push(`${year}, ${sqlString(code)}`);
  }
  await exec(
    con,
    `CREATE OR REPLACE TABLE rdi_country(code VARCHAR PRIMARY KEY);
     INSERT INTO rdi_country VALUES ${values(COUNTRY_CODES.map(sqlString))};
     CREATE OR REPLACE TABLE rdi_deso(deso VARCHAR PRIMARY KEY);
     INSERT INTO rdi_deso VALUES ${values(geography().deso.map((d) => sqlString(d.code)))};
     CREATE OR REPLACE TABLE rdi_kommun(ar SMALLINT, kommun VARCHAR, PRIMARY KEY (ar, kommun));
     ${kommunRows.length > 0 ? `INSERT INTO rdi_kommun VALUES ${values(kommunRows)};` : ""}`,
  );
}

/** Rules that follow from a column's spec alone: type, not null, code list, range. */
function columnRules(spec: ColumnSpec, converted: boolean): RowRule[] {
  const c = sqlIdent(spec.name);
  const typeFlag = sqlIdent(`__type_${spec.name}`);
  const rules: RowRule[] = [];
  if (converted) {
    rules.push({
      column: spec.name,
      rule: `type ${spec.type}`,
      violated: typeFlag,
      describe: `with a ${spec.name} value that is not a valid ${spec.type}`,
    });
  }
  if (!spec.nullable) {
    rules.push({
      column: spec.name,
      rule: "not null",
      violated: converted ? `${c} IS NULL AND NOT ${typeFlag}` : `${c} IS NULL`,
      describe: `without ${spec.name} (the column may not be null)`,
    });
  }
  if (spec.codes === COUNTRY_CODES) {
    rules.push({
      column: spec.name,
      rule: "ISO 3166-1 alpha-2 or XX",
      violated: `${c} NOT IN (SELECT code FROM rdi_country)`,
      describe: `with a ${spec.name} that is not an ISO 3166-1 alpha-2 code or XX`,
    });
  } else if (spec.codes) {
    const list = spec.codes.map((v) => (typeof v === "number" ? String(v) : sqlString(v))).join(", ");
    const shown = spec.codes.join(", ");
    rules.push({
      column: spec.name,
      rule: `code list ${shown}`,
      violated: `${c} NOT IN (${list})`,
      describe: `with a ${spec.name} outside the code list ${shown}`,
    });
  }
  if (spec.min !== undefined && spec.max !== undefined) {
    rules.push({
      column: spec.name,
      rule: `range ${spec.min}-${spec.max}`,
      violated: `${c} NOT BETWEEN ${spec.min} AND ${spec.max}`,
      describe: `with ${spec.name} outside ${spec.min}–${spec.max}`,
    });
  } else if (spec.min !== undefined) {
    rules.push({
      column: spec.name,
      rule: spec.min === 0 ? "not negative" : `at least ${spec.min}`,
      violated: `${c} < ${spec.min}`,
      describe: spec.min === 0 ? `with a negative ${spec.name}` : `with ${spec.name} below ${spec.min}`,
    });
  }
  return rules;
}

/** Kommun and DeSO rules shared by personer and utvandrade. */
function geographyRules(year: number, has: (...columns: string[]) => boolean): RowRule[] {
  const rules: RowRule[] = [];
  if (has("kommun")) {
    rules.push({
      column: "kommun",
      rule: `kommun code valid in ${year}`,
      violated: `"kommun" NOT IN (SELECT kommun FROM rdi_kommun WHERE ar = ${year})`,
      describe: `with a kommun code that did not exist on 31 Dec ${year}`,
    });
  }
  if (has("deso")) {
    rules.push({
      column: "deso",
      rule: "DeSO 2018 code",
      violated: `"deso" NOT IN (SELECT deso FROM rdi_deso)`,
      describe: "with a deso that is not a DeSO 2018 code",
    });
  }
  if (has("deso", "kommun")) {
    // A DeSO 2018 code starts with today's kommun; before a division change it may start with the
    // code that the person's kommun became (see DIVISION_CHANGES).
    const exceptions = [...desoPrefixesIn(year)].flatMap(([from, prefixes]) =>
      prefixes
        .filter((p) => p !== from)
        .map((p) => `("kommun" = ${sqlString(from)} AND left("deso", 4) = ${sqlString(p)})`),
    );
    rules.push({
      column: "deso",
      rule: "starts with kommun",
      violated: `"deso" IN (SELECT deso FROM rdi_deso) AND left("deso", 4) <> "kommun"${exceptions.length > 0 ? ` AND NOT (${exceptions.join(" OR ")})` : ""}`,
      describe: `with a DeSO outside their kommun (in the division of ${year})`,
    });
  }
  return rules;
}

/** Rules of personer_YYYY beyond the single columns. */
function personRules(year: number, source: FileSource): RowRule[] {
  const has = (...columns: string[]) => columns.every((c) => source.usable.has(c));
  const isNull = (c: string) =>
    source.converted.has(c) ? `"${c}" IS NULL AND NOT "__type_${c}"` : `"${c}" IS NULL`;
  const rules: RowRule[] = [];
  if (has("ar")) {
    rules.push({
      column: "ar",
      rule: "equals file year",
      violated: `"ar" <> ${year}`,
      describe: `with ar different from ${year}, the year in the file name`,
    });
  }
  if (has("fodelsear")) {
    rules.push({
      column: "fodelsear",
      rule: `age 0-${MAX_AGE}`,
      violated: `${year} - "fodelsear" NOT BETWEEN 0 AND ${MAX_AGE}`,
      describe: `with an age (${year} - fodelsear) outside 0–${MAX_AGE}`,
    });
  }
  if (has("fodelseland", "senaste_invandring")) {
    rules.push({
      column: "senaste_invandring",
      rule: `required when fodelseland <> '${SWEDEN}'`,
      violated: `"fodelseland" <> '${SWEDEN}' AND ${isNull("senaste_invandring")}`,
      describe: "born abroad (fodelseland <> 'SE') without senaste_invandring",
    });
  }
  if (has("senaste_invandring")) {
    rules.push({
      column: "senaste_invandring",
      rule: "not after 31 Dec",
      violated: `"senaste_invandring" > DATE '${year}-12-31'`,
      describe: `with senaste_invandring after 31 Dec ${year}`,
    });
  }
  rules.push(...geographyRules(year, has));
  if (has("kommun_fg_ar")) {
    rules.push({
      column: "kommun_fg_ar",
      rule: `kommun code valid in ${year - 1}`,
      violated: `"kommun_fg_ar" NOT IN (SELECT kommun FROM rdi_kommun WHERE ar = ${year - 1})`,
      describe: `with a kommun_fg_ar that did not exist on 31 Dec ${year - 1}`,
    });
  }
  if (has("foretagare", "sysselsatt")) {
    rules.push({
      column: "foretagare",
      rule: "implies sysselsatt",
      violated: `"foretagare" AND NOT "sysselsatt"`,
      describe: "with foretagare but not sysselsatt",
    });
  }
  for (const column of ["chef", "ssyk_niva"]) {
    if (has(column, "sysselsatt")) {
      rules.push({
        column,
        rule: "null when not sysselsatt",
        violated: `NOT "sysselsatt" AND "${column}" IS NOT NULL`,
        describe: `with ${column} although not sysselsatt`,
      });
    }
  }
  for (const column of ["rostberattigad", "rostade"]) {
    if (has(column) && !isElectionYear(year)) {
      rules.push({
        column,
        rule: "null outside election years",
        violated: `"${column}" IS NOT NULL`,
        describe: `with ${column} in ${year}, which is not an election year`,
      });
    }
  }
  if (has("rostade", "rostberattigad") && isElectionYear(year)) {
    rules.push({
      column: "rostade",
      rule: "only when rostberattigad",
      violated: `"rostade" AND "rostberattigad" IS NOT TRUE`,
      describe: "with rostade true but rostberattigad not true",
    });
  }
  return rules;
}

/** Rules of utvandrade_YYYY beyond the single columns. */
function emigrationRules(year: number, source: FileSource): RowRule[] {
  const has = (...columns: string[]) => columns.every((c) => source.usable.has(c));
  const rules: RowRule[] = [];
  if (has("datum")) {
    rules.push({
      column: "datum",
      rule: "within file year",
      violated: `"datum" NOT BETWEEN DATE '${year}-01-01' AND DATE '${year}-12-31'`,
      describe: `with an emigration datum outside ${year}`,
    });
  }
  rules.push(...geographyRules(year, has));
  return rules;
}

/**
 * Opens one file for checking: reads its columns, reports missing and mistyped ones, and builds
 * the typed SELECT. Returns null (with problems) when the file cannot be read at all.
 */
async function openSource(
  con: Connection,
  file: ExtractCandidate,
  columns: readonly ColumnSpec[],
  problems: Problem[],
  rejectsTable: { table: string; scan: string } | null,
): Promise<{ source: FileSource; firstRelation: string; mistyped: Mistyped[] } | null> {
  if (file.bytes === 0) {
    problems.push(problem(file.name, null, "not empty", 0, `${file.name} is empty (0 bytes)`));
    return null;
  }
  let physical: { name: string; type: string }[];
  try {
    physical =
      file.format === "parquet"
        ? await describeParquet(con, file.path)
        : (await readCsvHeader(file.path)).map((name) => ({ name, type: "VARCHAR" }));
  } catch (error) {
    problems.push(
      problem(file.name, null, "readable", 0, `${file.name} cannot be read: ${firstLine(error)}`),
    );
    return null;
  }
  if (file.format === "csv") {
    const names = physical.map((c) => c.name);
    const repeated = [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
    if (repeated.length > 0) {
      problems.push(
        problem(
          file.name,
          null,
          "unique column names",
          0,
          `${file.name}: the header repeats column(s) ${repeated.join(", ")}`,
        ),
      );
      return null;
    }
  }
  const byName = new Map(physical.map((c) => [c.name, c.type]));
  const usable = new Set<string>();
  const converted = new Set<string>();
  const select: string[] = [];
  const mistyped: Mistyped[] = [];
  for (const spec of columns) {
    const type = byName.get(spec.name);
    if (type === undefined) {
      problems.push(
        problem(
          file.name,
          spec.name,
          "column present",
          0,
          `${file.name} has no column ${spec.name} (${spec.type})`,
        ),
      );
      continue;
    }
    const ref = sqlIdent(spec.name);
    const conversion: Conversion =
      file.format === "parquet" ? parquetConversion(spec, type, ref) : csvConversion(spec, ref);
    if (conversion.kind === "mistyped") {
      mistyped.push({ column: spec.name, physical: type, expected: spec.type });
      continue;
    }
    usable.add(spec.name);
    if (conversion.kind === "same") {
      select.push(ref);
    } else {
      converted.add(spec.name);
      select.push(`${conversion.sql} AS ${ref}`);
      select.push(`(${ref} IS NOT NULL AND ${conversion.sql} IS NULL) AS ${sqlIdent(`__type_${spec.name}`)}`);
    }
  }
  const relation = (errors: "skip" | { table: string; scan: string }) =>
    file.format === "parquet"
      ? parquetRelation(file.path)
      : csvRelation(
          file.path,
          physical.map((c) => c.name),
          errors,
        );
  const columnsSql = select.length > 0 ? select.join(", ") : "NULL AS __none";
  return {
    source: { file, select: `SELECT ${columnsSql} FROM ${relation("skip")}`, usable, converted },
    firstRelation: `SELECT ${columnsSql} FROM ${relation(rejectsTable ?? "skip")}`,
    mistyped,
  };
}

/** Checks one file: all column rules plus `extraRules`, in one counting pass. */
async function checkFile(
  con: Connection,
  file: ExtractCandidate,
  columns: readonly ColumnSpec[],
  extraRules: (source: FileSource) => RowRule[],
  fileIndex: number,
): Promise<FileResult> {
  const problems: Problem[] = [];
  const rejects =
    file.format === "csv" ? { table: `rdi_rejects_${fileIndex}`, scan: `rdi_scans_${fileIndex}` } : null;
  const opened = await openSource(con, file, columns, problems, rejects);
  if (!opened) return { problems, rows: null, source: null };
  const { source, firstRelation, mistyped } = opened;

  const rules: RowRule[] = [];
  for (const spec of columns) {
    if (source.usable.has(spec.name)) rules.push(...columnRules(spec, source.converted.has(spec.name)));
  }
  rules.push(...extraRules(source));
  const hasLopnr = source.usable.has("lopnr");
  const checkDuplicates = hasLopnr && file.kind === "personer";

  const flags = rules.map((r, i) => `(${r.violated}) AS r${i}`);
  const flagged = (relation: string) =>
    `SELECT ${hasLopnr ? '"lopnr"' : "NULL::BIGINT AS lopnr"}${flags.length > 0 ? `, ${flags.join(", ")}` : ""} FROM (${relation}) src`;
  const counts = rules.map((_, i) => `count(*) FILTER (WHERE r${i})::DOUBLE AS r${i}`);
  let row: Record<string, number>;
  try {
    [row] = await queryRows<Record<string, number>>(
      con,
      `SELECT count(*)::DOUBLE AS n${counts.length > 0 ? `, ${counts.join(", ")}` : ""} FROM (${flagged(firstRelation)})`,
    );
  } catch (error) {
    problems.push(
      problem(file.name, null, "readable", 0, `${file.name} cannot be read: ${firstLine(error)}`),
    );
    return { problems, rows: null, source: null };
  } finally {
    if (rejects) problems.push(...(await collectRejects(con, file.name, rejects)));
  }
  const rows = row.n;
  if (rows === 0) {
    problems.push(problem(file.name, null, "not empty", 0, `${file.name} has no rows`));
    return { problems, rows, source };
  }
  for (const { column, physical, expected } of mistyped) {
    problems.push(
      problem(
        file.name,
        column,
        `type ${expected}`,
        rows,
        `column ${column} is ${physical} in ${file.name}; the contract requires ${expected}`,
      ),
    );
  }
  const failing = rules.map((rule, i) => ({ rule, i, rows: row[`r${i}`] })).filter((f) => f.rows > 0);
  let examples: Record<string, string[]> = {};
  if (failing.length > 0 && hasLopnr) {
    const lists = failing.map((f) => `min(lopnr, ${EXAMPLES}) FILTER (WHERE r${f.i})::VARCHAR[] AS r${f.i}`);
    [examples] = await queryRows<Record<string, string[]>>(
      con,
      `SELECT ${lists.join(", ")} FROM (${flagged(source.select)})`,
    );
  }
  for (const f of failing) {
    problems.push(
      problem(
        file.name,
        f.rule.column,
        f.rule.rule,
        f.rows,
        `${plural(f.rows, "row")} ${f.rule.describe}`,
        examples[`r${f.i}`] ?? [],
      ),
    );
  }
  if (checkDuplicates) problems.push(...(await checkUniqueLopnr(con, source)));
  return { problems, rows, source };
}

/**
 * Duplicate lopnr. Extracts are usually sorted by lopnr, and lopnr that increase strictly from row
 * to row (in whatever order the window sees them) are unique: one cheap scan of one column. Only
 * when that fails does a hash aggregate over all lopnr find the duplicates.
 */
async function checkUniqueLopnr(con: Connection, source: FileSource): Promise<Problem[]> {
  const [order] = await queryRows<{ unordered: number }>(
    con,
    `SELECT count(*) FILTER (WHERE lopnr <= previous)::DOUBLE AS unordered
     FROM (SELECT lopnr, lag(lopnr) OVER () AS previous FROM (${source.select}) WHERE lopnr IS NOT NULL)`,
  );
  if (order.unordered === 0) return [];
  const [dup] = await queryRows<{ rows: number | null; examples: string[] | null }>(
    con,
    `SELECT sum(n)::DOUBLE AS rows, min(lopnr, ${EXAMPLES})::VARCHAR[] AS examples
     FROM (SELECT lopnr, count(*) AS n FROM (${source.select}) WHERE lopnr IS NOT NULL GROUP BY lopnr HAVING count(*) > 1)`,
  );
  if (!dup.rows) return [];
  return [
    problem(
      source.file.name,
      "lopnr",
      "unique lopnr",
      dup.rows,
      `${plural(dup.rows, "row")} with a lopnr that another row has too`,
      dup.examples ?? [],
    ),
  ];
}

/** Malformed CSV lines collected by DuckDB while reading, as problems with line numbers. */
async function collectRejects(
  con: Connection,
  fileName: string,
  rejects: { table: string; scan: string },
): Promise<Problem[]> {
  let rows: { category: string; lines: number; first: string[]; kinds: string }[];
  try {
    rows = await queryRows(
      con,
      `SELECT CASE WHEN error_type IN ('TOO MANY COLUMNS', 'MISSING COLUMNS') THEN 'fields per line' ELSE 'CSV syntax' END AS category,
              count(DISTINCT line)::DOUBLE AS lines,
              list(DISTINCT line ORDER BY line)[1:${EXAMPLES}]::VARCHAR[] AS first,
              string_agg(DISTINCT lower(error_type), ', ' ORDER BY lower(error_type)) AS kinds
       FROM ${sqlIdent(rejects.table)} GROUP BY category ORDER BY category`,
    );
  } catch {
    return []; // no rejects table: the read failed before any line was parsed
  } finally {
    await exec(
      con,
      `DROP TABLE IF EXISTS ${sqlIdent(rejects.table)}; DROP TABLE IF EXISTS ${sqlIdent(rejects.scan)};`,
    );
  }
  return rows.map((r) =>
    problem(
      fileName,
      null,
      r.category,
      r.lines,
      r.category === "fields per line"
        ? `${plural(r.lines, "line")} with a wrong number of fields (e.g. a stray comma): line ${r.first.join(", ")}`
        : `${plural(r.lines, "line")} that cannot be parsed (${r.kinds}): line ${r.first.join(", ")}`,
    ),
  );
}

/** Emigrants must have been folkbokförda on 31 Dec of the previous year. */
async function checkEmigrantsKnown(
  con: Connection,
  emigration: FileSource,
  previous: FileSource,
): Promise<Problem[]> {
  if (!emigration.usable.has("lopnr") || !previous.usable.has("lopnr")) return [];
  const [row] = await queryRows<{ rows: number; examples: string[] | null }>(
    con,
    `SELECT count(*)::DOUBLE AS rows, min(u.lopnr, ${EXAMPLES})::VARCHAR[] AS examples
     FROM (${emigration.select}) u
     WHERE u.lopnr IS NOT NULL AND NOT EXISTS (SELECT 1 FROM (${previous.select}) p WHERE p.lopnr = u.lopnr)`,
  );
  if (row.rows === 0) return [];
  return [
    problem(
      emigration.file.name,
      "lopnr",
      "in personer of previous year",
      row.rows,
      `${plural(row.rows, "row")} with a lopnr that is not in ${previous.file.name}`,
      row.examples ?? [],
    ),
  ];
}

/** Checks a register extract against the contract. Throws UserError only when `dir` cannot be read. */
export async function validateExtract(dir: string, options: ValidateOptions = {}): Promise<ValidationReport> {
  const report = options.onProgress ?? (() => {});
  const listing = await listExtract(dir, { years: options.years });
  const problems: Problem[] = [];
  for (const bad of listing.badNames) problems.push(problem(bad.name, null, "file name", 0, bad.message));
  for (const name of listing.shadowed) report(`${name} ignored: the Parquet file of the same year is used`);

  const personer = listing.files.filter((f) => f.kind === "personer");
  const emigration = listing.files.filter((f) => f.kind === "utvandrade");
  const years = personer.map((f) => f.year);
  const missingYears = options.years ? options.years.filter((y) => !years.includes(y)) : [];
  for (const year of [...new Set(missingYears)].sort((a, b) => a - b)) {
    problems.push(
      problem(
        `personer_${year}.parquet`,
        null,
        "personer file present",
        0,
        `the extract has no personer_${year}.parquet or personer_${year}.csv`,
      ),
    );
  }
  if (personer.length === 0 && missingYears.length === 0) {
    problems.push(
      problem(
        "personer_YYYY.parquet",
        null,
        "personer file present",
        0,
        `the extract in ${dir} has no personer_YYYY.parquet or personer_YYYY.csv file`,
      ),
    );
  }
  for (const f of emigration) {
    if (!years.includes(f.year)) {
      problems.push(
        problem(
          f.name,
          null,
          "personer file of the same year",
          0,
          `${f.name} has no personer_${f.year} file beside it`,
        ),
      );
    }
  }

  // Hash while DuckDB reads; the rejection (if any) is handled where it is awaited.
  const hashing = hashFiles(listing.files);
  hashing.catch(() => {});
  const con = await openDatabase();
  const rowCounts: Record<string, number> = {};
  try {
    await createLookupTables(con, [...new Set(listing.files.map((f) => f.year))]);
    const sources = new Map<number, FileSource>();
    let index = 0;
    for (const file of listing.files) {
      const t0 = performance.now();
      const result =
        file.kind === "personer"
          ? await checkFile(con, file, PERSON_COLUMNS, (s) => personRules(file.year, s), index++)
          : await checkFile(con, file, EMIGRATION_COLUMNS, (s) => emigrationRules(file.year, s), index++);
      if (file.kind === "personer" && result.source && result.rows) sources.set(file.year, result.source);
      if (file.kind === "utvandrade" && result.source && result.rows) {
        const previous = sources.get(file.year - 1);
        if (previous) result.problems.push(...(await checkEmigrantsKnown(con, result.source, previous)));
      }
      if (result.rows !== null) rowCounts[file.name] = result.rows;
      problems.push(...result.problems);
      const seconds = ((performance.now() - t0) / 1000).toFixed(1);
      report(
        `${file.name}: ${plural(result.rows ?? 0, "row")}, ${plural(result.problems.length, "problem")} (${seconds} s)`,
      );
    }
  } finally {
    con.closeSync();
  }
  const files = await hashing;
  return {
    ok: problems.length === 0,
    years,
    files,
    problems: sortProblems(problems, listing.files),
    rowCounts,
  };
}

/**
 * Problems in file order (extract-level problems first, then by year, personer before utvandrade),
 * within a file by contract column (whole-file problems first), then in the order they were found.
 */
function sortProblems(problems: Problem[], files: ExtractCandidate[]): Problem[] {
  const fileOrder = new Map(files.map((f, i) => [f.name, i]));
  const columnOrder = (p: Problem) => {
    if (p.column === null) return -1;
    const columns = p.file.startsWith("utvandrade") ? EMIGRATION_COLUMNS : PERSON_COLUMNS;
    return columns.findIndex((c) => c.name === p.column);
  };
  return problems
    .map((p, i) => ({ p, i }))
    .sort(
      (a, b) =>
        (fileOrder.get(a.p.file) ?? -1) - (fileOrder.get(b.p.file) ?? -1) ||
        columnOrder(a.p) - columnOrder(b.p) ||
        a.i - b.i,
    )
    .map(({ p }) => p);
}

/** One line per problem, e.g. `personer_2019.parquet: column kon: rule "code list 1, 2": 3 rows (lopnr 17, 23, 99)`. */
export function formatProblems(report: ValidationReport): string {
  return report.problems.map(formatProblem).join("\n");
}

export function formatProblem(p: Problem): string {
  const where = `${p.file}: ${p.column ? `column ${p.column}: ` : ""}rule "${p.rule}": `;
  if (p.examples.length > 0) return `${where}${plural(p.rows, "row")} (lopnr ${p.examples.join(", ")})`;
  return `${where}${p.message}`;
}
