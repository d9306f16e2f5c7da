import { describe, expect, it } from "vitest";
import {
  type CatalogueEntry,
  catalogueEntries,
  describeBreakdowns,
  describeLevels,
  describeRules,
  groupByArea,
} from "../../../src/components/catalogue.ts";

function entry(id: string, omrade: string, extra: Partial<CatalogueEntry> = {}): CatalogueEntry {
  return {
    id,
    omrade,
    label: { sv: id, en: id },
    description: { sv: "", en: "" },
    unit: "procent",
    decimals: 1,
    universe: { sv: "", en: "" },
    breakdowns: [],
    levels: ["riket", "lan"],
    finest_level: "lan",
    finest_level_reason: null,
    source: [],
    footnotes: [],
    ...extra,
  };
}

describe("catalogueEntries", () => {
  it("reads {indicators} and arrays and rejects anything else", () => {
    const a = entry("a", "ekonomi");
    expect(catalogueEntries({ version: 1, indicators: [a] })).toEqual([a]);
    expect(catalogueEntries([a])).toEqual([a]);
    expect(() => catalogueEntries({})).toThrow(/katalog.json/);
  });
});

describe("groupByArea", () => {
  it("orders areas as the registry does and keeps the catalogue order within an area", () => {
    // arbetsmarknad comes before ekonomi in the registry; an unknown area goes last.
    const groups = groupByArea([
      entry("x", "ekonomi"),
      entry("y", "nytt"),
      entry("b", "arbetsmarknad"),
      entry("a", "arbetsmarknad"),
    ]);
    expect(groups.map((g) => [g.omrade, g.indicators.map((i) => i.id)])).toEqual([
      ["arbetsmarknad", ["b", "a"]],
      ["ekonomi", ["x"]],
      ["nytt", ["y"]],
    ]);
  });
});

describe("describeBreakdowns and describeLevels", () => {
  it("name variables and codes in the page's language", () => {
    const e = entry("a", "ekonomi", {
      breakdowns: [
        { variable: "kon", codes: ["1", "2"] },
        { variable: "alder", codes: ["20-24", "25-34"] },
      ],
    });
    expect(describeBreakdowns(e, "sv")).toBe("Kön (Män, Kvinnor); Ålder (20-24, 25-34)");
    expect(describeBreakdowns(e, "en")).toBe("Sex (Men, Women); Age (20-24, 25-34)");
    expect(describeBreakdowns(entry("b", "ekonomi"), "sv")).toBe("Inga");
    expect(describeLevels(e, "sv")).toBe("Riket, Län");
    expect(describeLevels(e, "en")).toBe("Sweden, County");
  });
});

describe("describeRules", () => {
  it("turns the manifest's rules into sentences, sorted by key, with dominance in per cent", () => {
    const rules = describeRules({ moneyDominance: 0.5, countMin: 5, unknownRule: 7 }, "sv");
    expect(rules.map((r) => r.key)).toEqual(["countMin", "moneyDominance", "unknownRule"]);
    expect(rules[0].text).toBe("Ett antal publiceras bara om det är 0 eller minst 5.");
    // 0.5 as a fraction is 50 per cent.
    expect(rules[1].text).toContain("mer än 50 procent");
    expect(rules[2].text).toBe("unknownRule = 7");
    expect(describeRules(undefined, "en")).toEqual([]);
  });
});
