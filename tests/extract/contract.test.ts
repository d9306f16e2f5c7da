import { describe, expect, it } from "vitest";
import {
  COUNTRY_CODES,
  desoPrefixesIn,
  ELECTION_YEARS,
  EMIGRATION_COLUMNS,
  FILE_NAME_PATTERN,
  GRUND_CODES,
  ISO_3166_ALPHA2,
  isElectionYear,
  PERSON_COLUMNS,
} from "../../data-loaders/extract/contract.ts";

describe("contract", () => {
  it("has the 40 person columns of registerutdrag.md, each once", () => {
    const names = PERSON_COLUMNS.map((c) => c.name);
    expect(names).toHaveLength(40);
    expect(new Set(names).size).toBe(40);
    expect(names.slice(0, 4)).toEqual(["lopnr", "ar", "kon", "fodelsear"]);
    expect(names.slice(-2)).toEqual(["rostberattigad", "rostade"]);
    const byName = Object.fromEntries(PERSON_COLUMNS.map((c) => [c.name, c]));
    expect(byName.ohalsodagar).toMatchObject({ type: "REAL", nullable: false, min: 0, max: 365 });
    expect(byName.deso).toMatchObject({ type: "VARCHAR", nullable: true });
    expect(byName.disp_ink.min).toBeUndefined(); // may be negative
    expect(EMIGRATION_COLUMNS.map((c) => c.name)).toEqual(["lopnr", "datum", "kommun", "deso"]);
  });

  it("lists the 249 assigned ISO 3166-1 alpha-2 codes plus XX", () => {
    expect(ISO_3166_ALPHA2).toHaveLength(249);
    expect(COUNTRY_CODES).toHaveLength(250);
    expect(COUNTRY_CODES).toEqual([...COUNTRY_CODES].sort());
    for (const code of ["SE", "FI", "SY", "SS", "XX", "AX", "GB"]) expect(COUNTRY_CODES).toContain(code);
    // UK, YU (Yugoslavia) and SU (Soviet Union) are not assigned codes; EU is reserved.
    for (const code of ["UK", "YU", "SU", "EU", "se"]) expect(COUNTRY_CODES).not.toContain(code);
  });

  it("knows the grounds for settlement", () => {
    expect(GRUND_CODES).toEqual([
      "skyddsbehov",
      "anhorig_skyddsbehov",
      "arbete",
      "studier",
      "anhorig_ovrig",
      "eu_ees",
      "ovrigt",
    ]);
  });

  it("has riksdag elections every four years from 1998", () => {
    expect(ELECTION_YEARS.every(isElectionYear)).toBe(true);
    expect([1997, 1999, 2019, 2021, 2023].some(isElectionYear)).toBe(false);
    expect(isElectionYear(2026)).toBe(true);
  });

  it("maps old kommun codes to the DeSO prefixes they may carry", () => {
    // 1998: all three changes still ahead.
    expect(Object.fromEntries(desoPrefixesIn(1998))).toEqual({
      "0181": ["0181", "0140"],
      "0380": ["0380", "0330"],
      "1917": ["1917", "0331"],
    });
    // 2003: only Heby (until 2007) remains.
    expect(Object.fromEntries(desoPrefixesIn(2003))).toEqual({ "1917": ["1917", "0331"] });
    expect(desoPrefixesIn(2007).size).toBe(0);
  });

  it("recognises the file names of an extract", () => {
    expect(FILE_NAME_PATTERN.exec("personer_2019.parquet")?.slice(1)).toEqual([
      "personer",
      "2019",
      "parquet",
    ]);
    expect(FILE_NAME_PATTERN.test("personer_2019.csv")).toBe(true);
    expect(FILE_NAME_PATTERN.test("Personer_2019.parquet")).toBe(false);
    expect(FILE_NAME_PATTERN.test("personer_19.parquet")).toBe(false);
  });
});
