import { describe, expect, it } from "vitest";
import { catalogue, INDICATORS, indicatorById } from "../../data-loaders/engine/registry/index.ts";
import {
  AREAS,
  type IndicatorDefinition,
  validateDefinition,
  validateRegistry,
} from "../../data-loaders/engine/registry/schema.ts";

/** The indicator list of the issue: every one must be in the registry. */
const REQUIRED = [
  "forvarvsarbetande",
  "foretagare",
  "inskrivna_arbetslosa",
  "oppet_arbetslosa",
  "program_aktivitetsstod",
  "langtidsarbetslosa",
  "kvar_i_sysselsattning",
  "kvar_som_foretagare",
  "chefer",
  "kvalificerat_arbete_eftergymnasial",
  "inrikes_flyttnetto",
  "utrikes_flyttnetto",
  "utflyttningsrisk",
  "kvot_forvarvsarbetande_flyttare",
  "boende_aganderatt",
  "boende_bostadsratt",
  "boende_hyresratt",
  "hemmaboende_vuxna_barn",
  "kvarboende",
  "trangbodda",
  "folkmangd",
  "andel_utrikes_fodda",
  "andel_utlandsk_bakgrund",
  "nyanlanda_skyddsbehov",
  "disponibel_inkomst_medel",
  "disponibel_inkomst_median",
  "lag_loneinkomst",
  "lag_ekonomisk_standard",
  "ekonomisk_standard_median",
  "langvarigt_ekonomiskt_bistand",
  "andel_sjukpenning",
  "andel_sjuk_aktivitetsersattning",
  "andel_arbetsloshetsersattning",
  "andel_ekonomiskt_bistand",
  "andel_etableringsersattning",
  "studerande",
  "neet_16_19",
  "neet_20_25",
  "neet_20_64",
  "behoriga_gymnasiet",
  "behoriga_hogskola",
  "sfi_godkanda",
  "eftergymnasial_utbildning",
  "forgymnasial_utbildning",
  "ohalsotal",
  "andel_med_ohalsodagar",
  "valdeltagande_riksdag",
];

const complete: IndicatorDefinition = {
  id: "exempel",
  area: "arbetsmarknad",
  label: { sv: "Exempel", en: "Example" },
  description: { sv: "Andel exempel, procent.", en: "Share of examples, per cent." },
  unit: "procent",
  decimals: 1,
  kind: "andel",
  frame: "ar",
  universe: { ageMin: 20, ageMax: 64, description: { sv: "Personer 20–64 år.", en: "Persons aged 20–64." } },
  numerator: { where: "sysselsatt" },
  denominator: {},
  ageBands: "arbetsfor",
  breakdowns: ["kon", "alder"],
  levels: ["riket", "lan", "kommun", "regso", "deso"],
  source: ["RAMS"],
  footnotes: [],
};

describe("registry", () => {
  it("holds every indicator of the catalogue exactly once", () => {
    expect(INDICATORS.map((d) => d.id).sort()).toEqual([...REQUIRED].sort());
  });
  it("covers every area", () => {
    expect(new Set(INDICATORS.map((d) => d.area))).toEqual(new Set(AREAS));
  });
  it("every definition passes the schema", () => {
    expect(INDICATORS.flatMap((d) => validateDefinition(d))).toEqual([]);
  });
  it("looks definitions up by id and rejects unknown ids", () => {
    expect(indicatorById("folkmangd").kind).toBe("antal");
    expect(() => indicatorById("nope")).toThrow(/unknown indicator 'nope'/);
  });
});

describe("schema validation", () => {
  it("accepts a complete definition", () => {
    expect(validateDefinition(complete)).toEqual([]);
  });
  const required = [
    "id",
    "area",
    "label",
    "description",
    "unit",
    "decimals",
    "kind",
    "frame",
    "universe",
    "numerator",
    "denominator",
    "breakdowns",
    "levels",
    "source",
    "footnotes",
  ] as const;
  for (const field of required) {
    it(`rejects a definition without ${field}`, () => {
      const incomplete: Record<string, unknown> = { ...complete };
      delete incomplete[field];
      expect(validateDefinition(incomplete).length).toBeGreaterThan(0);
    });
  }
  it("rejects a missing English label", () => {
    expect(validateDefinition({ ...complete, label: { sv: "Exempel", en: "" } })).toEqual([
      "exempel: label needs non-empty sv and en texts",
    ]);
  });
  it("requires the reason when DeSO is not published", () => {
    const errors = validateDefinition({ ...complete, levels: ["riket", "lan", "kommun"] });
    expect(errors).toEqual(["exempel: finestLevelReason needs non-empty sv and en texts"]);
  });
  it("requires age bands for the alder breakdown", () => {
    const { ageBands: _, ...noBands } = complete;
    expect(validateDefinition(noBands).join()).toMatch(/breakdown alder needs ageBands/);
  });
  it("rejects a count with a denominator, a unit that does not fit the kind, and levels out of order", () => {
    expect(validateDefinition({ ...complete, kind: "antal", unit: "antal" }).join()).toMatch(
      /has no denominator/,
    );
    expect(validateDefinition({ ...complete, unit: "kr" }).join()).toMatch(/unit kr does not fit kind andel/);
    expect(validateDefinition({ ...complete, levels: ["lan", "riket", "deso"] }).join()).toMatch(
      /coarse to fine/,
    );
  });
  it("accepts a share whole by definition in one of its breakdowns, and nothing else", () => {
    const reason = { sv: "Alla i gruppen ingår.", en: "Everyone in the group is counted." };
    const whole = { breakdown: "kon", categories: ["2"], reason };
    expect(validateDefinition({ ...complete, wholeByDefinition: whole })).toEqual([]);
    expect(
      validateDefinition({ ...complete, wholeByDefinition: { ...whole, breakdown: "grund" } }).join(),
    ).toMatch(/wholeByDefinition.breakdown grund is not among the breakdowns/);
    expect(
      validateDefinition({ ...complete, kind: "medel", unit: "kr", wholeByDefinition: whole }).join(),
    ).toMatch(/wholeByDefinition needs kind andel/);
    expect(
      validateDefinition({ ...complete, wholeByDefinition: { ...whole, reason: { sv: "", en: "" } } }).join(),
    ).toMatch(/wholeByDefinition.reason needs non-empty/);
    expect(
      validateDefinition({ ...complete, wholeByDefinition: { ...whole, categories: [] } }).join(),
    ).toMatch(/wholeByDefinition.categories must be a non-empty list of publication codes/);
    expect(
      validateDefinition({
        ...complete,
        wholeByDefinition: { ...whole, categories: ["2", "Kvinnor"] },
      }).join(),
    ).toMatch(/wholeByDefinition.categories must be a non-empty list of publication codes/);
  });
  it("rejects duplicate ids in a registry", () => {
    expect(() => validateRegistry([complete, complete])).toThrow(/duplicate ids: exempel/);
  });
});

describe("catalogue", () => {
  const json = catalogue();
  it("lists every indicator with labels, units, breakdowns, levels and notes", () => {
    expect(json.indicators).toHaveLength(REQUIRED.length);
    const forv = json.indicators.find((e) => e.id === "forvarvsarbetande");
    expect(forv).toMatchObject({
      omrade: "arbetsmarknad",
      unit: "procent",
      decimals: 1,
      finest_level: "deso",
      previous_years: 0,
    });
    expect(forv?.breakdowns.find((b) => b.variable === "alder")?.codes).toEqual([
      "20-24",
      "25-34",
      "35-44",
      "45-54",
      "55-64",
    ]);
    const flytt = json.indicators.find((e) => e.id === "inrikes_flyttnetto");
    expect(flytt?.finest_level).toBe("regso");
    expect(flytt?.finest_level_reason?.sv).toMatch(/RegSO/);
    expect(json.indicators.find((e) => e.id === "kvarboende")?.previous_years).toBe(5);
  });
  it("carries no SQL", () => {
    const keys = new Set<string>();
    JSON.stringify(json, (key, val) => {
      keys.add(key);
      return val;
    });
    for (const sqlKey of ["numerator", "denominator", "where", "value", "frame", "kind"]) {
      expect(keys.has(sqlKey)).toBe(false);
    }
    expect(JSON.stringify(json)).not.toMatch(/sysselsatt_nu|\{niva\}|IS NOT NULL|FILTER/);
  });
});
