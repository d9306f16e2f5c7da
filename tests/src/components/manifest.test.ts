import { describe, expect, it } from "vitest";
import { formatYears, summarizeManifest } from "../../../src/components/manifest.ts";

describe("formatYears", () => {
  it("writes consecutive years as a range with an en dash and gaps as a list", () => {
    expect(formatYears([2021, 2019, 2020])).toBe("2019\u20132021");
    expect(formatYears([2019, 2021])).toBe("2019, 2021");
    expect(formatYears([2023])).toBe("2023");
    expect(formatYears([])).toBe("");
  });
});

describe("summarizeManifest", () => {
  it("adds up files, rows and suppressed cells", () => {
    const summary = summarizeManifest({
      years: [2022, 2023],
      sdc: "on",
      workbench: { version: "0.1.0" },
      outputs: [
        { path: "a.parquet", rows: 90 },
        { path: "b.parquet", rows: 5 },
      ],
      disclosure: { suppressed: [{ cells: 1 }, { cells: 1234 }] },
    });
    // 2 files, 90 + 5 = 95 rows, 1 + 1234 = 1235 suppressed cells.
    expect(summary).toEqual({
      years: "2022\u20132023",
      files: 2,
      rows: 95,
      suppressedCells: 1235,
      disclosureControl: "on",
      version: "0.1.0",
    });
  });

  it("leaves out what the manifest does not say", () => {
    expect(summarizeManifest({})).toEqual({
      years: undefined,
      files: undefined,
      rows: undefined,
      suppressedCells: undefined,
      disclosureControl: undefined,
      version: undefined,
    });
  });
});
