import { describe, expect, it } from "vitest";
import { readCounts } from "../../data-loaders/segregation/counts.ts";
import { kommunerByD, realRegsoCounts } from "../../data-loaders/segregation/real-regso.ts";

describe("real RegSO counts (SCB population by RegSO)", () => {
  it("cover 290 kommuner and 3,363 RegSO; 2023 has 2,170,627 utrikes födda (data/SOURCES.md)", () => {
    const input = readCounts(realRegsoCounts(2023), "regso2020_stats_2020_2023.csv");
    expect(input.regions.length).toBe(290);
    expect(input.regions.reduce((n, r) => n + r.table.unitTotals.length, 0)).toBe(3363);
    const utrikes = input.groups.indexOf("utrikes_fodda");
    expect(input.regions.reduce((n, r) => n + r.table.groupTotals[utrikes], 0)).toBe(2170627);
    // National population on 31 Dec 2023 per SOURCES.md: 10,551,707.
    expect(input.regions.reduce((n, r) => n + r.table.total, 0)).toBe(10551707);
  });

  it("ranks kommuner by D, each above its random-allocation expectation", () => {
    const ranking = kommunerByD(2023);
    expect(ranking.length).toBe(290);
    for (let i = 1; i < ranking.length; i++) expect(ranking[i].D).toBeLessThanOrEqual(ranking[i - 1].D);
    for (const k of ranking.slice(0, 5)) {
      expect(k.D).toBeGreaterThan(k.D_random);
      expect(k.isolation).toBeGreaterThan(k.isolation_random);
      // E[xPx] = P + (1 − P)(n − 1)/(T − 1) is just above the share for tens of thousands of persons.
      expect(k.isolation_random).toBeGreaterThanOrEqual(k.shareUtrikes);
      expect(k.isolation_random - k.shareUtrikes).toBeLessThan(0.001);
    }
  });
});
