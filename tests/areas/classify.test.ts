import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyRegso, type IndexCounts, socioekonomisktIndex } from "../../data-loaders/areas/classify.ts";
import type { Omradestyp } from "../../data-loaders/areas/config.ts";

/** A RegSO of three persons, all aged 20–64, with `t` of the nine person-flags V1–V3 set. */
function threeAdults(t: number): IndexCounts {
  const v1 = Math.min(t, 3);
  const v2 = Math.min(t - v1, 3);
  return {
    antal: 3,
    antal_20_64: 3,
    antal_lag_ekonomisk_standard: v1,
    antal_forgymnasial: v2,
    antal_bistand_arbetsloshet: t - v1 - v2,
  };
}

describe("socioekonomisktIndex", () => {
  it("is the mean of V1 (all ages) and V2, V3 (20–64) in per cent", () => {
    // V1 = 3/10 = 30 %, V2 = 2/5 = 40 %, V3 = 1/5 = 20 % → (30 + 40 + 20) / 3 = 30
    const index = socioekonomisktIndex({
      antal: 10,
      antal_20_64: 5,
      antal_lag_ekonomisk_standard: 3,
      antal_forgymnasial: 2,
      antal_bistand_arbetsloshet: 1,
    });
    expect(index).toBeCloseTo(30, 12);
  });

  it("is undefined without persons aged 20–64 or without persons", () => {
    const children = {
      antal: 4,
      antal_20_64: 0,
      antal_lag_ekonomisk_standard: 1,
      antal_forgymnasial: 0,
      antal_bistand_arbetsloshet: 0,
    };
    expect(socioekonomisktIndex(children)).toBeNull();
    expect(socioekonomisktIndex({ ...children, antal: 0 })).toBeNull();
  });
});

describe("classifyRegso", () => {
  // Index = 100·t/9. t = 8, 6, 4, 2, 0 and five times 4: mean t = 40/10 = 4, deviations
  // 4, 2, 0, −2, −4, 0 ×5, Σ squares = 40, variance 4, sd 2 (t units). So the RegSO lie exactly at
  // mean + 2, + 1, 0, −1, −2 sd: ties at every cut-off, each to the more disadvantaged type (≥).
  const tieTs = [8, 6, 4, 2, 0, 4, 4, 4, 4, 4];
  const tieExpected = ["1", "2", "3", "4", "5", "3", "3", "3", "3", "3"];

  it("puts ties at the cut-offs in the more disadvantaged type", () => {
    const result = classifyRegso(tieTs.map(threeAdults));
    expect(result.types).toEqual(tieExpected);
    expect(result.regsoMedIndex).toBe(10);
    expect(result.medel).toBeCloseTo(400 / 9, 10); // 100·4/9
    expect(result.standardavvikelse).toBeCloseTo(200 / 9, 10); // 100·2/9
    expect(result.exaktaJamforelser).toBeGreaterThan(0);
  });

  it("gets a tie right where plain doubles do not", () => {
    // The RegSO at exactly mean + 1 sd: in doubles index − mean − sd comes out slightly negative,
    // which would put it in type 3. This is why near-ties are decided exactly.
    const x = tieTs.map((t) => socioekonomisktIndex(threeAdults(t)) as number);
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    const sd = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length);
    expect(x[1] - mean - sd).toBeLessThan(0);
    expect(classifyRegso(tieTs.map(threeAdults)).types[1]).toBe("2");
  });

  it("classifies away from ties, and leaves RegSO without an index out of mean and sd", () => {
    // Indices 10, 20, 30, 40 (t = 0.9, 1.8, … is impossible, so build V1 only: antal 10, 1–4 persons
    // with låg ekonomisk standard, V2 = V3 = 0 → index = V1/3 = 10/3, 20/3, 30/3, 40/3).
    // Mean 25/3, sd = √(Σ (±5, ±15)²/4)/3 = √125/3 ≈ 11.18/3. z = ±15/11.18 = ±1.342, ±5/11.18 = ±0.447.
    const v1Only = (n: number): IndexCounts => ({
      antal: 10,
      antal_20_64: 10,
      antal_lag_ekonomisk_standard: n,
      antal_forgymnasial: 0,
      antal_bistand_arbetsloshet: 0,
    });
    const noAdults: IndexCounts = { ...v1Only(0), antal: 5, antal_20_64: 0 };
    const result = classifyRegso([v1Only(4), noAdults, v1Only(3), v1Only(2), v1Only(1)]);
    expect(result.types).toEqual(["2", null, "3", "4", "5"]);
    expect(result.regsoMedIndex).toBe(4);
    expect(result.medel).toBeCloseTo(25 / 3, 10);
    expect(result.standardavvikelse).toBeCloseTo(Math.sqrt(125) / 3, 10);
    expect(result.exaktaJamforelser).toBe(0);
  });

  it("gives no type when every index is equal (sd = 0) or nothing has an index", () => {
    const equal = classifyRegso([threeAdults(2), threeAdults(2), threeAdults(2)]);
    expect(equal.types).toEqual([null, null, null]);
    expect(equal.standardavvikelse).toBe(0);
    const none = classifyRegso([{ ...threeAdults(2), antal_20_64: 0 }]);
    expect(none.types).toEqual([null]);
    expect(none.medel).toBeNull();
  });

  it("uses configurable cut-offs, fractional ones exactly", () => {
    // Two types split at mean + 0.5 sd. t = 3, 1, 1, 1: mean 1.5, deviations 1.5, −0.5 ×3,
    // Σ squares = 2.25 + 0.75 = 3, variance 0.75, sd ≈ 0.866; 0.5 sd ≈ 0.433: t = 3 lies above, t = 1 below.
    const types: Omradestyp[] = [
      { kod: "1", namn: "hög", nameEn: "high", minstSd: 0.5 },
      { kod: "2", namn: "låg", nameEn: "low", minstSd: null },
    ];
    expect(classifyRegso([3, 1, 1, 1].map(threeAdults), { types }).types).toEqual(["1", "2", "2", "2"]);
    // A tie at exactly +0.5 sd: t = 5, 5, 5, 5, 0: mean 4, deviations 1 ×4 and −4,
    // Σ squares = 4 + 16 = 20, variance 4, sd 2, so t = 5 = mean + 0.5 sd → type 1.
    expect(classifyRegso([5, 5, 5, 5, 0].map(threeAdults), { types }).types).toEqual([
      "1",
      "1",
      "1",
      "1",
      "2",
    ]);
  });

  it("rejects a badly ordered or imprecise configuration", () => {
    const counts = [threeAdults(1), threeAdults(2)];
    const type = (kod: "1" | "2" | "3", minstSd: number | null): Omradestyp => ({
      kod,
      namn: kod,
      nameEn: kod,
      minstSd,
    });
    expect(() => classifyRegso(counts, { types: [type("1", 0), type("2", 1), type("3", null)] })).toThrow(
      /must decrease/,
    );
    expect(() => classifyRegso(counts, { types: [type("1", null), type("2", 1)] })).toThrow(
      /only the last type/,
    );
    expect(() => classifyRegso(counts, { types: [type("1", 0.1234567), type("2", null)] })).toThrow(
      /≤ 6 decimals/,
    );
  });

  it("decides exactly what the all-exact computation decides (property)", () => {
    // Small RegSO give many exact ties; the double path with exact fallback must agree with
    // deciding every comparison exactly.
    const regso = fc
      .record({
        antal_20_64: fc.integer({ min: 0, max: 4 }),
        yngre: fc.integer({ min: 0, max: 3 }),
        lag: fc.nat(),
        forg: fc.nat(),
        bist: fc.nat(),
      })
      .map(
        ({ antal_20_64, yngre, lag, forg, bist }): IndexCounts => ({
          antal: antal_20_64 + yngre,
          antal_20_64,
          antal_lag_ekonomisk_standard: antal_20_64 + yngre === 0 ? 0 : lag % (antal_20_64 + yngre + 1),
          antal_forgymnasial: forg % (antal_20_64 + 1),
          antal_bistand_arbetsloshet: bist % (antal_20_64 + 1),
        }),
      );
    fc.assert(
      fc.property(fc.array(regso, { minLength: 1, maxLength: 25 }), (counts) => {
        const hybrid = classifyRegso(counts);
        const exact = classifyRegso(counts, { exact: true });
        expect(hybrid.types).toEqual(exact.types);
      }),
      { numRuns: 300, seed: 20221 },
    );
  });
});
