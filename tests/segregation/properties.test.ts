import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decompose,
  dissimilarity,
  gini,
  giniAll,
  multigroupDissimilarity,
  multigroupGini,
  multigroupH,
  mutualInformation,
  pairwiseDissimilarity,
  prepare,
  theilH,
} from "../../data-loaders/segregation/measures.ts";

/** Small random tables: 1–6 units × 2–4 groups, counts 0–30. */
const tables = fc.integer({ min: 2, max: 4 }).chain((groups) =>
  fc
    .array(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: groups, maxLength: groups }), {
      minLength: 1,
      maxLength: 6,
    })
    .map((counts) => ({ groups, counts })),
);

const names = (n: number) => Array.from({ length: n }, (_, g) => `g${g}`);
const near = (a: number | null, b: number | null) => {
  if (a === null || b === null) return expect(a).toBe(b);
  expect(Math.abs(a - b)).toBeLessThan(1e-12);
};

describe("properties on random small tables", () => {
  it("indices lie in [0, 1] and M is symmetric in units and groups", () => {
    fc.assert(
      fc.property(tables, ({ groups, counts }) => {
        const t = prepare({ groups: names(groups), counts });
        for (const value of [
          multigroupDissimilarity(t),
          multigroupGini(t),
          multigroupH(t),
          dissimilarity(t, "g0"),
          gini(t, "g0"),
        ]) {
          if (value !== null) {
            expect(value).toBeGreaterThanOrEqual(-1e-12);
            expect(value).toBeLessThanOrEqual(1 + 1e-12);
          }
        }
        const transposed = prepare({
          groups: counts.map((_, u) => `u${u}`),
          counts: names(groups).map((_, g) => counts.map((row) => row[g])),
        });
        near(mutualInformation(t), mutualInformation(transposed));
      }),
      { numRuns: 200, seed: 42 },
    );
  });

  it("with two groups: pairwise D = D, Gini of both groups = multigroup Gini, H = multigroup H", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 })), {
          minLength: 1,
          maxLength: 6,
        }),
        (rows) => {
          const t = prepare({ groups: ["a", "b"], counts: rows });
          near(pairwiseDissimilarity(t, "a", "b"), dissimilarity(t, "a"));
          near(multigroupDissimilarity(t), dissimilarity(t, "a"));
          near(gini(t, "a"), gini(t, "b"));
          near(multigroupGini(t), gini(t, "a"));
          near(multigroupH(t), theilH(t, "a"));
          const all = giniAll(t);
          near(all.multigroup, multigroupGini(t));
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });

  it("M_total = M_between + M_within for any split of the units into regions", () => {
    fc.assert(
      fc.property(tables, fc.integer({ min: 1, max: 3 }), ({ groups, counts }, regionCount) => {
        const regions = Array.from({ length: regionCount }, (_, r) =>
          prepare({ groups: names(groups), counts: counts.filter((_, u) => u % regionCount === r) }),
        );
        const d = decompose(regions);
        if (d.M_total === null) return;
        near(d.M_total, (d.M_between as number) + (d.M_within as number));
        near(d.M_total, mutualInformation(prepare({ groups: names(groups), counts })));
      }),
      { numRuns: 200, seed: 3 },
    );
  });
});
