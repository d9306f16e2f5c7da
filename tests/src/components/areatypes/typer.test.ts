import { describe, expect, it } from "vitest";
import { countByType, transitionMatrix } from "../../../../src/components/areatypes/typer.ts";

describe("countByType", () => {
  it("counts RegSO per year and type, shares of the typed RegSO, saknas last", () => {
    const rows = [
      { ar: 2022, region: "a", omradestyp: "3", status: null },
      { ar: 2022, region: "b", omradestyp: "3", status: null },
      { ar: 2022, region: "c", omradestyp: "1", status: null },
      { ar: 2022, region: "d", omradestyp: null, status: "." },
      { ar: 2021, region: "a", omradestyp: "5", status: null },
    ];
    // 2021: one typed RegSO (type 5) → 100 %. 2022: 3 typed (1, 3, 3) → type 1 1/3, type 3 2/3; d has none.
    const counts = countByType(rows);
    expect(counts.map((c) => [c.ar, c.omradestyp, c.antal])).toEqual([
      [2021, "5", 1],
      [2022, "1", 1],
      [2022, "3", 2],
      [2022, "saknas", 1],
    ]);
    expect(counts[0].andel).toBe(100);
    expect(counts[1].andel).toBeCloseTo(100 / 3, 12);
    expect(counts[2].andel).toBeCloseTo(200 / 3, 12);
    expect(counts[3].andel).toBeNull();
  });
});

describe("transitionMatrix", () => {
  it("fills a full grid of from × to with zeros", () => {
    const matrix = transitionMatrix(
      [
        { fran_typ: "2", till_typ: "3" },
        { fran_typ: "2", till_typ: "3" },
        { fran_typ: "4", till_typ: "3" },
      ],
      ["2", "3", "4"],
    );
    // 3 × 3 = 9 cells; 2→3 twice, 4→3 once, all others 0.
    expect(matrix).toHaveLength(9);
    expect(matrix.find((c) => c.fran === "2" && c.till === "3")?.antal).toBe(2);
    expect(matrix.find((c) => c.fran === "4" && c.till === "3")?.antal).toBe(1);
    expect(matrix.filter((c) => c.antal === 0)).toHaveLength(7);
  });
});
