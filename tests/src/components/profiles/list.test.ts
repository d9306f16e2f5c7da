import { describe, expect, it } from "vitest";
import { kommunList, kommunPagePaths } from "../../../../src/components/profiles/list.ts";

describe("kommunList", () => {
  it("lists kommuner with their län's name in Swedish alphabetical order (å ä ö last)", () => {
    const regioner = [
      { niva: "riket", region: "00", namn: "Riket", kommun: null, lan: null },
      { niva: "lan", region: "01", namn: "Stockholms län", kommun: null, lan: "01" },
      { niva: "lan", region: "25", namn: "Norrbottens län", kommun: null, lan: "25" },
      { niva: "kommun", region: "0180", namn: "Stockholm", kommun: "0180", lan: "01" },
      { niva: "kommun", region: "2584", namn: "Kiruna", kommun: "2584", lan: "25" },
      { niva: "kommun", region: "0117", namn: "Österåker", kommun: "0117", lan: "01" },
      { niva: "kommun", region: "2580", namn: "Luleå", kommun: "2580", lan: "25" },
      { niva: "regso", region: "0180R001", namn: "Kungsholmen", kommun: "0180", lan: "01" },
    ];
    // Swedish order: K, L, S, Ö (Ö sorts after Z in Swedish).
    expect(kommunList(regioner)).toEqual([
      { kommun: "2584", namn: "Kiruna", lan: "25", lanNamn: "Norrbottens län" },
      { kommun: "2580", namn: "Luleå", lan: "25", lanNamn: "Norrbottens län" },
      { kommun: "0180", namn: "Stockholm", lan: "01", lanNamn: "Stockholms län" },
      { kommun: "0117", namn: "Österåker", lan: "01", lanNamn: "Stockholms län" },
    ]);
  });
});

describe("kommunPagePaths", () => {
  it("gives the Swedish and the English page of every kommun, sorted by code", () => {
    expect(kommunPagePaths(["0180", "0114"])).toEqual([
      "/kommuner/0114",
      "/kommuner/0180",
      "/en/municipalities/0114",
      "/en/municipalities/0180",
    ]);
  });
});
