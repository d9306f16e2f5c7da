import { describe, expect, it } from "vitest";
import { readCatalogue } from "../../../../src/components/explorer/catalog.ts";

describe("readCatalogue", () => {
  it("reads the registry's catalogue shape", () => {
    const [entry] = readCatalogue({
      version: 1,
      indicators: [
        {
          id: "forvarvsarbetande",
          omrade: "arbetsmarknad",
          label: { sv: "Förvärvsarbetande", en: "Gainfully employed" },
          description: { sv: "Andel", en: "Share" },
          unit: "procent",
          decimals: 1,
          levels: ["riket", "lan"],
          footnotes: [{ sv: "Not", en: "Note" }],
        },
      ],
    });
    expect(entry).toEqual({
      id: "forvarvsarbetande",
      omrade: "arbetsmarknad",
      label: { sv: "Förvärvsarbetande", en: "Gainfully employed" },
      description: { sv: "Andel", en: "Share" },
      unit: "procent",
      decimals: 1,
      levels: ["riket", "lan"],
      footnotes: [{ sv: "Not", en: "Note" }],
    });
  });

  it("reads the early shape and fills area and decimals from the unit", () => {
    // enhet 'antal' → 0 decimals; no area → 'ovrigt'; no description or footnotes.
    const [entry] = readCatalogue({
      indikatorer: [
        {
          id: "folkmangd",
          etikett: { sv: "Folkmängd", en: "Population" },
          enhet: "antal",
          nivaer: ["riket"],
        },
      ],
    });
    expect(entry).toMatchObject({
      id: "folkmangd",
      omrade: "ovrigt",
      unit: "antal",
      decimals: 0,
      levels: ["riket"],
    });
    expect(entry.label.en).toBe("Population");
    expect(entry.description).toBeNull();
  });

  it("rejects a file without a list of indicators", () => {
    expect(() => readCatalogue({ version: 1 })).toThrow(/katalog\.json: no list 'indicators'/);
  });
});
