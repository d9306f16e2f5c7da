import { describe, expect, it } from "vitest";
import { UserError } from "../../data-loaders/cli/command.ts";
import { parseYears } from "../../data-loaders/cli/years.ts";

/** The UserError thrown by parseYears (fails the test when nothing is thrown). */
function errorOf(text: string, options?: Parameters<typeof parseYears>[1]): UserError {
  try {
    parseYears(text, options);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error(`parseYears('${text}') did not throw`);
}

describe("parseYears", () => {
  it("reads a year, a range and a list", () => {
    expect(parseYears("2022")).toEqual([2022]);
    // 2015, 2016, …, 2023: nine years.
    expect(parseYears("2015-2023")).toEqual([2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023]);
    expect(parseYears("1997,2007,2022")).toEqual([1997, 2007, 2022]);
    expect(parseYears("2020-2020")).toEqual([2020]);
  });

  it("combines years and ranges and sorts them", () => {
    expect(parseYears("2022,1997,2015-2017")).toEqual([1997, 2015, 2016, 2017, 2022]);
    expect(parseYears("2010-2011,1998-1999")).toEqual([1998, 1999, 2010, 2011]);
  });

  it("allows spaces and the en dash that rdi prints in spans", () => {
    expect(parseYears(" 2019 , 2020 - 2021 ")).toEqual([2019, 2020, 2021]);
    expect(parseYears("2021–2022")).toEqual([2021, 2022]);
  });

  it("rejects an empty list and empty entries", () => {
    expect(errorOf("").message).toBe("--years: no years given (e.g. 2022, 2015-2023 or 1997,2007,2022)");
    expect(errorOf("  ").message).toMatch(/^--years: no years given/);
    expect(errorOf("2019,,2020").message).toMatch(/^--years: empty entry in '2019,,2020'/);
    expect(errorOf("2019,").message).toMatch(/^--years: empty entry in '2019,'/);
  });

  it("rejects entries that are not four-digit years or ranges", () => {
    expect(errorOf("2022.5").message).toBe(
      "--years: '2022.5' is not a year or a range of years (e.g. 2022, 2015-2023 or 1997,2007,2022)",
    );
    for (const entry of ["20x0", "19", "20222", "last", "2019-", "-2019", "2019-2020-2021", "2019;2020"]) {
      expect(errorOf(entry).message).toMatch(new RegExp(`^--years: '${entry}' is not a year or a range`));
    }
  });

  it("rejects a range that runs backwards and says how to write it", () => {
    expect(errorOf("2023-2020").message).toBe("--years: range 2023-2020 runs backwards (write 2020-2023)");
  });

  it("rejects a year given twice, also through overlapping ranges, naming both entries", () => {
    expect(errorOf("2019,2019").message).toBe("--years: 2019 is given twice ('2019' and '2019')");
    expect(errorOf("2020-2022,2022").message).toBe("--years: 2022 is given twice ('2020-2022' and '2022')");
    // 2015-2018 and 2017-2020 share 2017 and 2018; the first shared year is named.
    expect(errorOf("2015-2018,2017-2020").message).toBe(
      "--years: 2017 is given twice ('2015-2018' and '2017-2020')",
    );
  });

  it("keeps years within min and max when given", () => {
    const covered = { min: 1997, max: 2023 };
    // 1997-2023 is 2023 - 1997 + 1 = 27 years.
    expect(parseYears("1997-2023", covered)).toHaveLength(27);
    expect(errorOf("1996-1998", covered).message).toBe(
      "--years: 1996 is outside 1997-2023, the years this command covers",
    );
    expect(errorOf("2020-2024", covered).message).toMatch(/^--years: 2024 is outside 1997-2023/);
    expect(errorOf("1990", { min: 1997 }).message).toBe(
      "--years: 1990 is before 1997, the first year this command covers",
    );
    expect(errorOf("2030", { max: 2023 }).message).toBe(
      "--years: 2030 is after 2023, the last year this command covers",
    );
    // Without bounds any four-digit year is accepted.
    expect(parseYears("1850,2100")).toEqual([1850, 2100]);
  });

  it("names the given option and uses the given exit status", () => {
    expect(errorOf("2023-2020", { option: "--ar" }).message).toMatch(/^--ar: range 2023-2020/);
    expect(errorOf("x").exitCode).toBe(1);
    expect(errorOf("x", { exitCode: 2 }).exitCode).toBe(2);
  });
});
