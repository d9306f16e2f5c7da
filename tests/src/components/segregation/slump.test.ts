import { describe, expect, it } from "vitest";
import {
  NOISE_SHARE,
  pairWithRandom,
  rankRegions,
  type SegregationRow,
} from "../../../../src/components/segregation/slump.ts";

const base = {
  ar: 2023,
  niva: "kommun",
  region: "0180",
  enhet: "deso",
  indelning: "utrikes_fodd",
  grupp: "utrikes",
};
const row = (
  matt: string,
  varde: number | null,
  status: string | null = null,
  extra = {},
): SegregationRow => ({
  ...base,
  matt,
  varde,
  status,
  ...extra,
});

describe("pairWithRandom", () => {
  it("puts each measure beside its _slump row and computes the excess", () => {
    const paired = pairWithRandom([row("D", 0.4), row("D_slump", 0.1), row("H", 0.05), row("H_slump", 0.04)]);
    expect(paired.map((p) => p.matt)).toEqual(["D", "H"]);
    // D: 0.4 − 0.1 = 0.3; 0.1 / 0.4 = 0.25 < 0.5 → not mostly noise.
    expect(paired[0].slump).toBe(0.1);
    expect(paired[0].overSlump).toBeCloseTo(0.3, 12);
    expect(paired[0].mostlyNoise).toBe(false);
    // H: 0.04 / 0.05 = 0.8 ≥ 0.5 → mostly noise; excess 0.01.
    expect(paired[1].overSlump).toBeCloseTo(0.01, 12);
    expect(paired[1].mostlyNoise).toBe(true);
    expect(NOISE_SHARE).toBe(0.5);
  });

  it("does not pair rows of another year, unit or group", () => {
    const paired = pairWithRandom([
      row("D", 0.4),
      row("D_slump", 0.1, null, { ar: 2022 }),
      row("D_slump", 0.1, null, { enhet: "regso" }),
      row("D_slump", 0.1, null, { grupp: "inrikes" }),
    ]);
    expect(paired).toHaveLength(1);
    expect(paired[0].slump).toBeNull();
    expect(paired[0].overSlump).toBeNull();
    expect(paired[0].mostlyNoise).toBe(false);
  });

  it("keeps suppressed values suppressed: no excess and no noise verdict", () => {
    const paired = pairWithRandom([
      row("D", null, ".."),
      row("D_slump", 0.1),
      row("H", 0.3),
      row("H_slump", null, ".."),
    ]);
    expect(paired[0]).toMatchObject({
      varde: null,
      status: "..",
      slump: 0.1,
      overSlump: null,
      mostlyNoise: false,
    });
    expect(paired[1]).toMatchObject({ varde: 0.3, slump: null, slumpStatus: "..", overSlump: null });
  });

  it("calls exactly half the observed value noise (the boundary is inclusive)", () => {
    // 0.2 / 0.4 = 0.5 = NOISE_SHARE → mostly noise.
    expect(pairWithRandom([row("D", 0.4), row("D_slump", 0.2)])[0].mostlyNoise).toBe(true);
  });
});

describe("rankRegions", () => {
  it("ranks highest first, shares ranks on ties and puts missing values last", () => {
    const ranked = rankRegions([
      { region: "0114", varde: 0.2, status: null },
      { region: "0115", varde: null, status: ".." },
      { region: "0117", varde: 0.5, status: null },
      { region: "0120", varde: 0.2, status: null },
      { region: "0113", varde: null, status: "." },
    ]);
    // 0.5 → 1; 0.2 and 0.2 tie → both 2 (by code: 0114, 0120); suppressed/undefined last by code.
    expect(ranked.map((r) => [r.region, r.rang])).toEqual([
      ["0117", 1],
      ["0114", 2],
      ["0120", 2],
      ["0113", null],
      ["0115", null],
    ]);
  });
});
