import { describe, expect, it } from "vitest";
import { downloadName, toCsv, toJsonStat } from "../../../src/components/download.ts";

const columns = [
  { key: "region", header: "region" },
  { key: "namn", header: "namn" },
  { key: "ar", header: "år" },
  { key: "varde", header: "värde" },
  { key: "status", header: "status" },
];

const rows = [
  { region: "01", namn: "Stockholms län", ar: 2020, varde: 78.25, status: null },
  { region: "03", namn: 'Uppsala "län"', ar: 2020, varde: null, status: ".." },
  { region: "04", namn: "Södermanland; län", ar: 2020, varde: -1.5, status: null },
];

describe("toCsv", () => {
  it("writes BOM, comma separator, decimal point, CRLF, quotes only where needed", () => {
    // Row 2: the name holds quotes → quoted with doubled quotes; the suppressed value is empty.
    // Row 3: the name holds a semicolon → quoted in both variants (it is a separator in excel-sv).
    expect(toCsv(rows, columns)).toBe(
      "\ufeffregion,namn,år,värde,status\r\n" +
        "01,Stockholms län,2020,78.25,\r\n" +
        '03,"Uppsala ""län""",2020,,..\r\n' +
        '04,"Södermanland; län",2020,-1.5,\r\n',
    );
  });

  it("writes the Swedish-Excel variant with semicolons and decimal comma", () => {
    expect(toCsv(rows, columns, { variant: "excel-sv" })).toBe(
      "\ufeffregion;namn;år;värde;status\r\n" +
        "01;Stockholms län;2020;78,25;\r\n" +
        '03;"Uppsala ""län""";2020;;..\r\n' +
        '04;"Södermanland; län";2020;-1,5;\r\n',
    );
  });

  it("quotes a comma in the standard variant", () => {
    expect(toCsv([{ a: "x,y" }], [{ key: "a", header: "a" }])).toBe('\ufeffa\r\n"x,y"\r\n');
  });
});

describe("toJsonStat", () => {
  const dataset = toJsonStat({
    label: "Förvärvsarbetande, procent",
    indicator: { id: "forvarvsarbetande", label: "Förvärvsarbetande", unit: "procent", decimals: 1 },
    source: "Registerdata för integration",
    dimensions: [
      {
        id: "region",
        label: "region",
        role: "geo",
        categories: [
          { code: "01", label: "Stockholms län" },
          { code: "03", label: "Uppsala län" },
        ],
      },
      {
        id: "ar",
        label: "år",
        role: "time",
        categories: [
          { code: "2019", label: "2019" },
          { code: "2020", label: "2020" },
          { code: "2021", label: "2021" },
        ],
      },
    ],
    // (01, 2021) has no row → not available.
    rows: [
      { region: "03", ar: 2021, varde: 70.5, status: null },
      { region: "01", ar: 2019, varde: 80, status: null },
      { region: "01", ar: 2020, varde: 81.5, status: null },
      { region: "03", ar: 2019, varde: null, status: ".." },
      { region: "03", ar: 2020, varde: 69, status: null },
    ],
  });

  it("has the JSON-stat 2.0 dataset header, ids, sizes and roles", () => {
    expect(dataset.version).toBe("2.0");
    expect(dataset.class).toBe("dataset");
    expect(dataset.id).toEqual(["region", "ar", "ContentsCode"]);
    expect(dataset.size).toEqual([2, 3, 1]);
    expect(dataset.role).toEqual({ time: ["ar"], geo: ["region"], metric: ["ContentsCode"] });
    expect(dataset.dimension.region.category.index).toEqual({ "01": 0, "03": 1 });
    expect(dataset.dimension.ar.category.label["2020"]).toBe("2020");
    expect(dataset.dimension.ContentsCode.category.unit).toEqual({
      forvarvsarbetande: { label: "procent", decimals: 1 },
    });
    expect(dataset.extension.enhet).toBe("procent");
  });

  it("places values in row-major order with statuses for suppressed and missing cells", () => {
    // index = region * 3 + year: (01,2019)=0 → 80, (01,2020)=1 → 81.5, (01,2021)=2 → no row,
    // (03,2019)=3 → suppressed, (03,2020)=4 → 69, (03,2021)=5 → 70.5.
    expect(dataset.value).toEqual([80, 81.5, null, null, 69, 70.5]);
    expect(dataset.status).toEqual({ "2": ".", "3": ".." });
  });

  it("rejects a row outside the categories and a duplicated cell", () => {
    const base = {
      label: "x",
      indicator: { id: "x", label: "x", unit: "antal", decimals: 0 },
      source: "s",
      dimensions: [
        { id: "ar", label: "år", role: "time" as const, categories: [{ code: "2019", label: "2019" }] },
      ],
    };
    expect(() => toJsonStat({ ...base, rows: [{ ar: 2018, varde: 1 }] })).toThrow(/'2018'.*dimension ar/);
    expect(() =>
      toJsonStat({
        ...base,
        rows: [
          { ar: 2019, varde: 1 },
          { ar: 2019, varde: 2 },
        ],
      }),
    ).toThrow(/two rows/);
  });
});

describe("downloadName", () => {
  it("joins safe parts with underscores", () => {
    expect(downloadName(["forvarvsarbetande", "lan", "2019–2021"], "csv")).toBe(
      "forvarvsarbetande_lan_2019-2021.csv",
    );
  });
});
