import { readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exec, openDatabase } from "../../data-loaders/db.ts";
import type { Problem } from "../../data-loaders/extract/validate.ts";
import { formatProblem, formatProblems, validateExtract } from "../../data-loaders/extract/validate.ts";
import { firstDeso, writeExtract } from "./fixture.ts";

/** The parts of a problem the tests pin down (the message is prose). */
type Found = Pick<Problem, "file" | "column" | "rule" | "rows" | "examples">;

function found(problems: Problem[]): Found[] {
  return problems.map(({ file, column, rule, rows, examples }) => ({ file, column, rule, rows, examples }));
}

/** Writes the valid extract broken by `mutate` (SQL over the tables), optionally edits files, validates. */
async function problemsAfter(
  mutate: string,
  options: {
    format?: "parquet" | "csv";
    edit?: (dir: string) => void | Promise<void>;
    years?: number[];
  } = {},
): Promise<Found[]> {
  const extract = await writeExtract({ mutate, format: options.format });
  try {
    await options.edit?.(extract.dir);
    const report = await validateExtract(extract.dir, { years: options.years });
    expect(report.ok).toBe(report.problems.length === 0);
    return found(report.problems);
  } finally {
    extract.cleanup();
  }
}

const P21 = "personer_2021.parquet";
const P22 = "personer_2022.parquet";
const U22 = "utvandrade_2022.parquet";

/** Rewrites a Parquet file with `select` over its rows (table `t`). */
async function rewriteParquet(path: string, select: string): Promise<void> {
  const con = await openDatabase({ threads: 1 });
  try {
    await exec(con, `CREATE TABLE t AS SELECT * FROM read_parquet('${path}')`);
    await exec(con, `COPY (${select}) TO '${path}' (FORMAT parquet)`);
  } finally {
    con.closeSync();
  }
}

/** Rewrites one line of a CSV file, by index: 0 is the header, k is lopnr k (file line k + 1). */
function editLine(path: string, line: number, edit: (text: string) => string): void {
  const lines = readFileSync(path, "utf8").split("\n");
  lines[line] = edit(lines[line]);
  writeFileSync(path, lines.join("\n"));
}

/** Replaces the field of `column` on one CSV line. */
function setCsvField(path: string, line: number, column: string, value: string): void {
  const header = readFileSync(path, "utf8").split("\n")[0].split(",");
  const index = header.indexOf(column);
  editLine(path, line, (text) => {
    const fields = text.split(",");
    fields[index] = value;
    return fields.join(",");
  });
}

describe("valid extracts", () => {
  it("passes the valid Parquet extract with zero problems and describes its files", async () => {
    const extract = await writeExtract();
    try {
      const report = await validateExtract(extract.dir);
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.years).toEqual([2021, 2022]);
      expect(report.files.map((f) => [f.name, f.kind, f.format, f.year])).toEqual([
        [P21, "personer", "parquet", 2021],
        [P22, "personer", "parquet", 2022],
        [U22, "utvandrade", "parquet", 2022],
      ]);
      // 32 persons in 2021, 30 in 2022, 2 emigrations (fixture.ts).
      expect(report.rowCounts).toEqual({ [P21]: 32, [P22]: 30, [U22]: 2 });
      for (const f of report.files) {
        expect(f.bytes).toBe(statSync(join(extract.dir, f.name)).size);
        expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
      }
    } finally {
      extract.cleanup();
    }
  });

  it("passes the same extract written as CSV", async () => {
    const extract = await writeExtract({ format: "csv" });
    try {
      const report = await validateExtract(extract.dir);
      expect(report.problems).toEqual([]);
      expect(report.files.map((f) => f.name)).toEqual(["personer_2021.csv", "personer_2022.csv", U22]);
    } finally {
      extract.cleanup();
    }
  });

  it("accepts a wider integer type whose values fit", async () => {
    expect(await problemsAfter("ALTER TABLE personer_2022 ALTER fodelsear TYPE BIGINT")).toEqual([]);
  });

  it("accepts unique lopnr in any order", async () => {
    const edit = (dir: string) =>
      rewriteParquet(join(dir, P22), "SELECT * FROM t ORDER BY lopnr % 7, lopnr DESC");
    expect(await problemsAfter("", { edit })).toEqual([]);
  });

  it("prefers Parquet over a broken CSV of the same year", async () => {
    const problems = await problemsAfter("", {
      edit: (dir) => writeFileSync(join(dir, "personer_2022.csv"), "lopnr\nnot a number\n"),
    });
    expect(problems).toEqual([]);
  });

  it("validates only the selected years", async () => {
    // 2022 alone: utvandrade_2022 cannot be linked to 2021, which is not selected, so no problem.
    const extract = await writeExtract({ mutate: "UPDATE personer_2021 SET kon = 9" });
    try {
      const report = await validateExtract(extract.dir, { years: [2022] });
      expect(report.problems).toEqual([]);
      expect(report.years).toEqual([2022]);
      expect(report.files.map((f) => f.name)).toEqual([P22, U22]);
    } finally {
      extract.cleanup();
    }
  });
});

describe("broken extracts: one fault each", () => {
  it("kon outside its code list", async () => {
    expect(await problemsAfter("UPDATE personer_2022 SET kon = 3 WHERE lopnr IN (17, 23, 29)")).toEqual([
      { file: P22, column: "kon", rule: "code list 1, 2", rows: 3, examples: ["17", "23", "29"] },
    ]);
  });

  it("a missing column", async () => {
    expect(await problemsAfter("ALTER TABLE personer_2022 DROP COLUMN kon")).toEqual([
      { file: P22, column: "kon", rule: "column present", rows: 0, examples: [] },
    ]);
  });

  it("a mistyped column (kommun stored as a number) counts every row of the file", async () => {
    // 30 rows in personer_2022; the kommun and DeSO rules need kommun and are skipped.
    expect(await problemsAfter("ALTER TABLE personer_2022 ALTER kommun TYPE INTEGER")).toEqual([
      { file: P22, column: "kommun", rule: "type VARCHAR", rows: 30, examples: [] },
    ]);
  });

  it("a wider integer column with a value that does not fit the contract type", async () => {
    // 40000 > 32767, the largest SMALLINT.
    const mutate =
      "ALTER TABLE personer_2022 ALTER fodelsear TYPE INTEGER; UPDATE personer_2022 SET fodelsear = 40000 WHERE lopnr = 2";
    expect(await problemsAfter(mutate)).toEqual([
      { file: P22, column: "fodelsear", rule: "type SMALLINT", rows: 1, examples: ["2"] },
    ]);
  });

  it("a null in a column that may not be null", async () => {
    expect(await problemsAfter("UPDATE personer_2021 SET studerande = NULL WHERE lopnr = 4")).toEqual([
      { file: P21, column: "studerande", rule: "not null", rows: 1, examples: ["4"] },
    ]);
  });

  it("fodelseland that is not an ISO code", async () => {
    // lopnr 3 and 6 are born in SY (i % 3 = 0), so senaste_invandring stays required and present.
    expect(await problemsAfter("UPDATE personer_2021 SET fodelseland = 'YU' WHERE lopnr IN (3, 6)")).toEqual([
      { file: P21, column: "fodelseland", rule: "ISO 3166-1 alpha-2 or XX", rows: 2, examples: ["3", "6"] },
    ]);
  });

  it("a lower-case parent country", async () => {
    expect(await problemsAfter("UPDATE personer_2022 SET fodelseland_mor = 'se' WHERE lopnr = 1")).toEqual([
      { file: P22, column: "fodelseland_mor", rule: "ISO 3166-1 alpha-2 or XX", rows: 1, examples: ["1"] },
    ]);
  });

  it("a kommun code that does not exist that year", async () => {
    // Heby's old code 1917 ended in 2006; deso set to null so only the kommun rule can fire.
    expect(
      await problemsAfter("UPDATE personer_2022 SET kommun = '1917', deso = NULL WHERE lopnr IN (4, 8)"),
    ).toEqual([
      { file: P22, column: "kommun", rule: "kommun code valid in 2022", rows: 2, examples: ["4", "8"] },
    ]);
  });

  it("kommun_fg_ar checked against the previous year", async () => {
    expect(await problemsAfter("UPDATE personer_2021 SET kommun_fg_ar = '9999' WHERE lopnr = 5")).toEqual([
      { file: P21, column: "kommun_fg_ar", rule: "kommun code valid in 2020", rows: 1, examples: ["5"] },
    ]);
  });

  it("a DeSO code that is not a DeSO 2018 code", async () => {
    // lopnr 1 lives in 0180; 0180X9999 starts with 0180 but does not exist.
    expect(await problemsAfter("UPDATE personer_2022 SET deso = '0180X9999' WHERE lopnr = 1")).toEqual([
      { file: P22, column: "deso", rule: "DeSO 2018 code", rows: 1, examples: ["1"] },
    ]);
  });

  it("a DeSO outside the person's kommun", async () => {
    // lopnr 2 and 5 live in Malmö (i % 3 = 2) but get a Stockholm DeSO.
    const mutate = `UPDATE personer_2022 SET deso = '${firstDeso("0180")}' WHERE lopnr IN (2, 5)`;
    expect(await problemsAfter(mutate)).toEqual([
      { file: P22, column: "deso", rule: "starts with kommun", rows: 2, examples: ["2", "5"] },
    ]);
  });

  it("an unknown grund_for_bosattning", async () => {
    expect(
      await problemsAfter(
        "UPDATE personer_2021 SET grund_for_bosattning = 'flykting' WHERE lopnr IN (3, 6, 9)",
      ),
    ).toEqual([
      {
        file: P21,
        column: "grund_for_bosattning",
        rule: "code list skyddsbehov, anhorig_skyddsbehov, arbete, studier, anhorig_ovrig, eu_ees, ovrigt",
        rows: 3,
        examples: ["3", "6", "9"],
      },
    ]);
  });

  it("a duplicate lopnr counts both rows", async () => {
    // lopnr 6 renamed 5: two rows carry 5.
    expect(await problemsAfter("UPDATE personer_2021 SET lopnr = 5 WHERE lopnr = 6")).toEqual([
      { file: P21, column: "lopnr", rule: "unique lopnr", rows: 2, examples: ["5"] },
    ]);
  });

  it("a duplicate lopnr in a file not sorted by lopnr", async () => {
    // Rows written in descending lopnr order; lopnr 30 renamed 1 gives two rows with lopnr 1.
    const edit = (dir: string) =>
      rewriteParquet(
        join(dir, P22),
        "SELECT * REPLACE (CASE WHEN lopnr = 30 THEN 1 ELSE lopnr END AS lopnr) FROM t ORDER BY lopnr DESC",
      );
    expect(await problemsAfter("", { edit })).toEqual([
      { file: P22, column: "lopnr", rule: "unique lopnr", rows: 2, examples: ["1"] },
    ]);
  });

  it("ar that disagrees with the file name", async () => {
    expect(await problemsAfter("UPDATE personer_2022 SET ar = 2021 WHERE lopnr IN (1, 2)")).toEqual([
      { file: P22, column: "ar", rule: "equals file year", rows: 2, examples: ["1", "2"] },
    ]);
  });

  it("impossible ages on both sides", async () => {
    // 2022 - 1900 = 122 > 110 and 2022 - 2023 = -1 < 0.
    const mutate =
      "UPDATE personer_2022 SET fodelsear = CASE lopnr WHEN 10 THEN 1900 ELSE 2023 END WHERE lopnr IN (10, 11)";
    expect(await problemsAfter(mutate)).toEqual([
      { file: P22, column: "fodelsear", rule: "age 0-110", rows: 2, examples: ["10", "11"] },
    ]);
  });

  it("immigrants without senaste_invandring", async () => {
    // lopnr 3 (SY) and 5 (FI) are born abroad.
    expect(
      await problemsAfter("UPDATE personer_2021 SET senaste_invandring = NULL WHERE lopnr IN (3, 5)"),
    ).toEqual([
      {
        file: P21,
        column: "senaste_invandring",
        rule: "required when fodelseland <> 'SE'",
        rows: 2,
        examples: ["3", "5"],
      },
    ]);
  });

  it("senaste_invandring after 31 Dec of the year", async () => {
    const mutate = "UPDATE personer_2021 SET senaste_invandring = DATE '2022-01-01' WHERE lopnr = 3";
    expect(await problemsAfter(mutate)).toEqual([
      { file: P21, column: "senaste_invandring", rule: "not after 31 Dec", rows: 1, examples: ["3"] },
    ]);
  });

  it("foretagare without sysselsatt", async () => {
    // Odd lopnr are not sysselsatt.
    expect(await problemsAfter("UPDATE personer_2022 SET foretagare = true WHERE lopnr IN (1, 3)")).toEqual([
      { file: P22, column: "foretagare", rule: "implies sysselsatt", rows: 2, examples: ["1", "3"] },
    ]);
  });

  it("chef for someone not sysselsatt", async () => {
    expect(await problemsAfter("UPDATE personer_2022 SET chef = false WHERE lopnr = 7")).toEqual([
      { file: P22, column: "chef", rule: "null when not sysselsatt", rows: 1, examples: ["7"] },
    ]);
  });

  it("a negative amount where the contract forbids it", async () => {
    expect(await problemsAfter("UPDATE personer_2021 SET loneinkomst = -1 WHERE lopnr IN (2, 4)")).toEqual([
      { file: P21, column: "loneinkomst", rule: "not negative", rows: 2, examples: ["2", "4"] },
    ]);
  });

  it("utbildningsniva out of range", async () => {
    expect(await problemsAfter("UPDATE personer_2021 SET utbildningsniva = 5 WHERE lopnr = 7")).toEqual([
      { file: P21, column: "utbildningsniva", rule: "range 1-4", rows: 1, examples: ["7"] },
    ]);
  });

  it("ssyk_niva out of range", async () => {
    // lopnr 2 is sysselsatt, so a ssyk_niva is expected, but 0 is not a level.
    expect(await problemsAfter("UPDATE personer_2022 SET ssyk_niva = 0 WHERE lopnr = 2")).toEqual([
      { file: P22, column: "ssyk_niva", rule: "range 1-4", rows: 1, examples: ["2"] },
    ]);
  });

  it("ekbistand_manader above 12", async () => {
    expect(await problemsAfter("UPDATE personer_2022 SET ekbistand_manader = 13 WHERE lopnr = 9")).toEqual([
      { file: P22, column: "ekbistand_manader", rule: "range 0-12", rows: 1, examples: ["9"] },
    ]);
  });

  it("arbetslos_manader above 60", async () => {
    expect(await problemsAfter("UPDATE personer_2022 SET arbetslos_manader = 61 WHERE lopnr = 1")).toEqual([
      { file: P22, column: "arbetslos_manader", rule: "range 0-60", rows: 1, examples: ["1"] },
    ]);
  });

  it("ohalsodagar outside 0–365", async () => {
    const mutate =
      "UPDATE personer_2022 SET ohalsodagar = CASE lopnr WHEN 8 THEN 365.5 ELSE -1 END WHERE lopnr IN (8, 16)";
    expect(await problemsAfter(mutate)).toEqual([
      { file: P22, column: "ohalsodagar", rule: "range 0-365", rows: 2, examples: ["8", "16"] },
    ]);
  });

  it("an unknown af_status", async () => {
    expect(await problemsAfter("UPDATE personer_2022 SET af_status = 'arbetslos' WHERE lopnr = 3")).toEqual([
      {
        file: P22,
        column: "af_status",
        rule: "code list oppet_arbetslos, program_aktivitetsstod",
        rows: 1,
        examples: ["3"],
      },
    ]);
  });

  it("an unknown upplatelseform", async () => {
    expect(
      await problemsAfter("UPDATE personer_2021 SET upplatelseform = 'hyra' WHERE lopnr IN (3, 4)"),
    ).toEqual([
      {
        file: P21,
        column: "upplatelseform",
        rule: "code list aganderatt, bostadsratt, hyresratt",
        rows: 2,
        examples: ["3", "4"],
      },
    ]);
  });

  it("election columns outside an election year", async () => {
    expect(
      await problemsAfter("UPDATE personer_2021 SET rostberattigad = true WHERE lopnr IN (20, 22)"),
    ).toEqual([
      {
        file: P21,
        column: "rostberattigad",
        rule: "null outside election years",
        rows: 2,
        examples: ["20", "22"],
      },
    ]);
  });

  it("rostade without rostberattigad in an election year", async () => {
    // lopnr 3 is born in SY: rostberattigad false, rostade null in the valid extract.
    expect(await problemsAfter("UPDATE personer_2022 SET rostade = true WHERE lopnr = 3")).toEqual([
      { file: P22, column: "rostade", rule: "only when rostberattigad", rows: 1, examples: ["3"] },
    ]);
  });

  it("an emigration file with a missing column", async () => {
    expect(await problemsAfter("ALTER TABLE utvandrade_2022 DROP COLUMN datum")).toEqual([
      { file: U22, column: "datum", rule: "column present", rows: 0, examples: [] },
    ]);
  });

  it("an emigrant who was not in the previous year", async () => {
    expect(await problemsAfter("UPDATE utvandrade_2022 SET lopnr = 99 WHERE lopnr = 31")).toEqual([
      { file: U22, column: "lopnr", rule: "in personer of previous year", rows: 1, examples: ["99"] },
    ]);
  });

  it("an emigration outside the year of the file", async () => {
    expect(
      await problemsAfter("UPDATE utvandrade_2022 SET datum = DATE '2021-12-31' WHERE lopnr = 32"),
    ).toEqual([{ file: U22, column: "datum", rule: "within file year", rows: 1, examples: ["32"] }]);
  });

  it("an emigration file without rows", async () => {
    expect(await problemsAfter("DELETE FROM utvandrade_2022")).toEqual([
      { file: U22, column: null, rule: "not empty", rows: 0, examples: [] },
    ]);
  });

  it("an extract with no personer file", async () => {
    expect(await problemsAfter("DROP TABLE personer_2021; DROP TABLE personer_2022")).toEqual([
      { file: "personer_YYYY.parquet", column: null, rule: "personer file present", rows: 0, examples: [] },
      { file: U22, column: null, rule: "personer file of the same year", rows: 0, examples: [] },
    ]);
  });

  it("a selected year without a personer file", async () => {
    expect(await problemsAfter("", { years: [2020, 2021] })).toEqual([
      { file: "personer_2020.parquet", column: null, rule: "personer file present", rows: 0, examples: [] },
    ]);
  });

  it("a truncated Parquet file", async () => {
    const edit = (dir: string) => {
      const path = join(dir, P22);
      truncateSync(path, Math.floor(statSync(path).size / 2));
    };
    expect(await problemsAfter("", { edit })).toEqual([
      { file: P22, column: null, rule: "readable", rows: 0, examples: [] },
    ]);
  });

  it("a Parquet file damaged inside its data pages", async () => {
    // The footer is intact (so the columns can be listed) but the pages cannot be decompressed.
    const edit = (dir: string) => {
      const path = join(dir, P22);
      const bytes = readFileSync(path);
      bytes.fill(7, 100, 2000);
      writeFileSync(path, bytes);
    };
    expect(await problemsAfter("", { edit })).toEqual([
      { file: P22, column: null, rule: "readable", rows: 0, examples: [] },
    ]);
  });

  it("an empty (0 byte) file", async () => {
    expect(await problemsAfter("", { edit: (dir) => writeFileSync(join(dir, P21), "") })).toEqual([
      { file: P21, column: null, rule: "not empty", rows: 0, examples: [] },
    ]);
  });

  it("bad file names", async () => {
    const edit = (dir: string) => {
      writeFileSync(join(dir, "Personer_2019.parquet"), "x");
      writeFileSync(join(dir, "personer_19.csv"), "x");
      writeFileSync(join(dir, "utvandrade_2021.csv"), "x");
      writeFileSync(join(dir, "README.md"), "ignored: not named like an extract file");
    };
    expect(await problemsAfter("", { edit })).toEqual([
      { file: "Personer_2019.parquet", column: null, rule: "file name", rows: 0, examples: [] },
      { file: "personer_19.csv", column: null, rule: "file name", rows: 0, examples: [] },
      { file: "utvandrade_2021.csv", column: null, rule: "file name", rows: 0, examples: [] },
    ]);
  });

  it("reports every fault, each once, by file and then in contract column order", async () => {
    // 2022: kon (3rd column), fodelsear (4th, a cross-column rule), utbildningsniva (18th);
    // 2021: a missing column (whole-column problem) and foretagare (21st).
    const mutate = `UPDATE personer_2022 SET utbildningsniva = 9 WHERE lopnr IN (2, 3);
                    UPDATE personer_2022 SET fodelsear = 1800 WHERE lopnr = 4;
                    UPDATE personer_2022 SET kon = 0 WHERE lopnr = 1;
                    UPDATE personer_2021 SET foretagare = true WHERE lopnr = 1;
                    ALTER TABLE personer_2021 DROP COLUMN fodelseland_far`;
    expect(await problemsAfter(mutate)).toEqual([
      { file: P21, column: "fodelseland_far", rule: "column present", rows: 0, examples: [] },
      { file: P21, column: "foretagare", rule: "implies sysselsatt", rows: 1, examples: ["1"] },
      { file: P22, column: "kon", rule: "code list 1, 2", rows: 1, examples: ["1"] },
      { file: P22, column: "fodelsear", rule: "age 0-110", rows: 1, examples: ["4"] },
      { file: P22, column: "utbildningsniva", rule: "range 1-4", rows: 2, examples: ["2", "3"] },
    ]);
  });

  it("gives at most five example lopnr, the smallest ones", async () => {
    // kon = 3 for lopnr 10–30: 21 rows; examples 10, 11, 12, 13, 14.
    expect(await problemsAfter("UPDATE personer_2022 SET kon = 3 WHERE lopnr >= 10")).toEqual([
      {
        file: P22,
        column: "kon",
        rule: "code list 1, 2",
        rows: 21,
        examples: ["10", "11", "12", "13", "14"],
      },
    ]);
  });
});

describe("CSV extracts", () => {
  const C22 = "personer_2022.csv";

  it("reports a line with a stray delimiter by its line number", async () => {
    // Line 1 is the header, so lopnr 5 is on line 6; a doubled comma adds a field.
    const edit = (dir: string) => editLine(join(dir, C22), 5, (text) => text.replace(",", ",,"));
    const problems = await problemsAfter("", { format: "csv", edit });
    expect(problems).toEqual([{ file: C22, column: null, rule: "fields per line", rows: 1, examples: [] }]);
    const extract = await writeExtract({ format: "csv" });
    try {
      edit(extract.dir);
      const report = await validateExtract(extract.dir);
      expect(report.problems[0].message).toContain("line 6");
    } finally {
      extract.cleanup();
    }
  });

  it("reports a line that cannot be parsed (an unterminated quote)", async () => {
    // lopnr 7 is on line 8; a quote opened inside an unquoted field.
    const edit = (dir: string) => editLine(join(dir, C22), 7, (text) => text.replace(",", ',"abc'));
    expect(await problemsAfter("", { format: "csv", edit })).toEqual([
      { file: C22, column: null, rule: "CSV syntax", rows: 1, examples: [] },
    ]);
  });

  it("reports mistyped values with their lopnr, not a crash", async () => {
    // lopnr 3: 12.5 is not an INTEGER; lopnr 4: 'true' is not a 0/1 boolean.
    const edit = (dir: string) => {
      setCsvField(join(dir, C22), 3, "loneinkomst", "12.5");
      setCsvField(join(dir, C22), 4, "studerande", "true");
    };
    expect(await problemsAfter("", { format: "csv", edit })).toEqual([
      { file: C22, column: "studerande", rule: "type BOOLEAN", rows: 1, examples: ["4"] },
      { file: C22, column: "loneinkomst", rule: "type INTEGER", rows: 1, examples: ["3"] },
    ]);
  });

  it("reads an empty field as null and reports it for a not-null column", async () => {
    const edit = (dir: string) => setCsvField(join(dir, C22), 1, "kommun", "");
    // lopnr 1; its DeSO rule needs kommun and does not fire on null.
    expect(await problemsAfter("", { format: "csv", edit })).toEqual([
      { file: C22, column: "kommun", rule: "not null", rows: 1, examples: ["1"] },
    ]);
  });

  it("reports a header that repeats a column", async () => {
    // The extra column is renamed to lopnr, which the header already has.
    const edit = (dir: string) => editLine(join(dir, C22), 0, (text) => text.replace("extra_info", "lopnr"));
    expect(await problemsAfter("", { format: "csv", edit })).toEqual([
      { file: C22, column: null, rule: "unique column names", rows: 0, examples: [] },
    ]);
  });

  it("reports an empty CSV and one with only a header", async () => {
    const problems = await problemsAfter("", {
      format: "csv",
      edit: (dir) => {
        writeFileSync(join(dir, "personer_2021.csv"), "");
        writeFileSync(join(dir, C22), `${readFileSync(join(dir, C22), "utf8").split("\n")[0]}\n`);
      },
    });
    expect(problems).toEqual([
      { file: "personer_2021.csv", column: null, rule: "not empty", rows: 0, examples: [] },
      { file: C22, column: null, rule: "not empty", rows: 0, examples: [] },
    ]);
  });
});

describe("division changes", () => {
  /**
   * A 2002 extract: personer_2021 moved to 2002, born 19 years and immigrated 20 years earlier so
   * every age stays 0–110 (2i + 1) and every immigration is before 2002.
   */
  const to2002 = `CREATE TABLE personer_2002 AS SELECT * REPLACE (2002::SMALLINT AS ar, (fodelsear - 19)::SMALLINT AS fodelsear, (senaste_invandring - INTERVAL 20 YEAR)::DATE AS senaste_invandring, NULL::BOOLEAN AS rostberattigad, NULL::BOOLEAN AS rostade) FROM personer_2021;
    DROP TABLE personer_2021; DROP TABLE personer_2022; DROP TABLE utvandrade_2022;`;

  it("accepts the old codes with DeSO of the kommun they became, and rejects the new codes", async () => {
    const mutate = `${to2002}
      UPDATE personer_2002 SET kommun = '0380', deso = '${firstDeso("0330")}' WHERE lopnr = 1;  -- Knivsta area in Uppsala: valid
      UPDATE personer_2002 SET kommun = '1917', deso = '${firstDeso("0331")}' WHERE lopnr = 2;  -- Heby as 1917: valid
      UPDATE personer_2002 SET kommun = '0181', deso = '${firstDeso("0181")}' WHERE lopnr = 3;  -- Södertälje: valid
      UPDATE personer_2002 SET kommun = '0330', deso = '${firstDeso("0330")}' WHERE lopnr = 4;  -- Knivsta before 2003
      UPDATE personer_2002 SET kommun = '0181', deso = '${firstDeso("0140")}' WHERE lopnr = 5;  -- Nykvarn exists since 1999
      UPDATE personer_2002 SET kommun_fg_ar = '0331' WHERE lopnr = 6;                           -- Heby as 0331 before 2007`;
    expect(await problemsAfter(mutate)).toEqual([
      {
        file: "personer_2002.parquet",
        column: "kommun",
        rule: "kommun code valid in 2002",
        rows: 1,
        examples: ["4"],
      },
      { file: "personer_2002.parquet", column: "deso", rule: "starts with kommun", rows: 1, examples: ["5"] },
      {
        file: "personer_2002.parquet",
        column: "kommun_fg_ar",
        rule: "kommun code valid in 2001",
        rows: 1,
        examples: ["6"],
      },
    ]);
  });

  it("accepts Nykvarn's DeSO under Södertälje before 1999", async () => {
    const mutate = `${to2002.replaceAll("2002", "1998")}
      UPDATE personer_1998 SET fodelsear = fodelsear - 4 WHERE true;
      UPDATE personer_1998 SET kommun = '0181', deso = '${firstDeso("0140")}' WHERE lopnr = 1;`;
    expect(await problemsAfter(mutate)).toEqual([]);
  });
});

describe("formatProblems", () => {
  it("writes one line per problem with file, column, rule, rows and examples", () => {
    const problems: Problem[] = [
      {
        file: "personer_2019.parquet",
        column: "kon",
        rule: "code list 1, 2",
        rows: 3,
        examples: ["17", "23", "99"],
        message: "3 rows with a kon outside the code list 1, 2",
      },
      {
        file: "personer_2019.parquet",
        column: null,
        rule: "readable",
        rows: 0,
        examples: [],
        message: "personer_2019.parquet cannot be read: no magic bytes",
      },
    ];
    expect(formatProblems({ ok: false, years: [2019], files: [], problems, rowCounts: {} })).toBe(
      [
        'personer_2019.parquet: column kon: rule "code list 1, 2": 3 rows (lopnr 17, 23, 99)',
        'personer_2019.parquet: rule "readable": personer_2019.parquet cannot be read: no magic bytes',
      ].join("\n"),
    );
    expect(formatProblem({ ...problems[0], rows: 1, examples: ["17"] })).toBe(
      'personer_2019.parquet: column kon: rule "code list 1, 2": 1 row (lopnr 17)',
    );
  });
});
