import { describe, expect, it } from "vitest";
import { type DesoCounts, RowBuffer } from "../../data-loaders/segregation/rows.ts";
import { SegregationThreads, writeYearHere } from "../../data-loaders/segregation/threads.ts";

const GROUPINGS = [
  { indelning: "utrikes_fodd", groups: ["utrikes", "inrikes"], pairwise: false },
  { indelning: "fodelseregion", groups: ["sverige", "norden", "eu_efta", "ovriga"], pairwise: true },
];

/**
 * 600 DeSO in 60 kommuner of 6 län, with counts that vary from DeSO to DeSO: riket's table (600
 * units) takes far longer than a kommun's (10), so the threads finish regions out of order.
 */
function counts(): Map<string, DesoCounts>[] {
  return GROUPINGS.map(({ groups }) => {
    const byDeso = new Map<string, DesoCounts>();
    for (let d = 0; d < 600; d++) {
      const kommun = String(100 + Math.floor(d / 10));
      byDeso.set(`${kommun}A${String(d).padStart(4, "0")}`, {
        regso: `${kommun}R${Math.floor((d % 10) / 3)}`,
        kommun,
        lan: String(10 + Math.floor(d / 100)),
        counts: groups.map((_, g) => ((d * 7 + g * 13) % 23) + (g === 0 ? 40 : 3)),
      });
    }
    return byDeso;
  });
}

describe("SegregationThreads", () => {
  it("writes the rows of every region in the order one thread writes them", async () => {
    const options = { draws: 40, seed: 7 };
    const here = new RowBuffer();
    writeYearHere(here, 2023, GROUPINGS, counts(), options);
    // riket, 6 län and 60 kommuner per grouping; RegSO and DeSO each.
    expect(new Set(here.cells.map((c) => `${c.niva}|${c.region}`)).size).toBe(67);
    expect(here.cells.length).toBe(2 * 67 * 2);
    const threads = SegregationThreads.start(2);
    expect(threads).not.toBeNull();
    try {
      const there = new RowBuffer();
      await (threads as SegregationThreads).writeYear(there, 2023, GROUPINGS, counts(), options);
      expect(there).toEqual(here);
      // A second year on the same threads: they take the new year's counts.
      const again = new RowBuffer();
      await (threads as SegregationThreads).writeYear(again, 2024, GROUPINGS, counts(), options);
      const hereAgain = new RowBuffer();
      writeYearHere(hereAgain, 2024, GROUPINGS, counts(), options);
      expect(again).toEqual(hereAgain);
      expect(again.varde).not.toEqual(here.varde);
    } finally {
      await threads?.close();
    }
  });

  it("rejects when the rows cannot be written, and refuses a further year", async () => {
    const threads = SegregationThreads.start(2) as SegregationThreads;
    try {
      const failing = new RowBuffer();
      failing.add = () => {
        throw new Error("appender closed");
      };
      await expect(threads.writeYear(failing, 2023, GROUPINGS, counts(), { draws: 10 })).rejects.toThrow(
        "appender closed",
      );
      // Regions of the failed year may still be on their way: the threads take no further year.
      await expect(threads.writeYear(new RowBuffer(), 2024, GROUPINGS, counts(), {})).rejects.toThrow(
        /failed on an earlier year/,
      );
    } finally {
      await threads.close();
    }
  });

  it("stays on the calling thread with one core", () => {
    expect(SegregationThreads.start(1)).toBeNull();
  });
});
