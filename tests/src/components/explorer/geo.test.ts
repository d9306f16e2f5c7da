import { describe, expect, it } from "vitest";
import { type FeatureCollection, rewindForD3, signedArea } from "../../../../src/components/explorer/geo.ts";

// Unit square, counter-clockwise (RFC 7946 exterior): (0,0) → (1,0) → (1,1) → (0,1) → (0,0).
const ccw = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0, 1],
  [0, 0],
];
const cw = [...ccw].reverse();

describe("signedArea", () => {
  it("is +2 × area for a counter-clockwise ring and −2 × area for a clockwise one", () => {
    // Shoelace: the unit square has area 1, so twice the signed area is ±2.
    expect(signedArea(ccw)).toBe(2);
    expect(signedArea(cw)).toBe(-2);
  });
});

describe("rewindForD3", () => {
  it("makes exterior rings clockwise and holes counter-clockwise, in Polygon and MultiPolygon", () => {
    const collection: FeatureCollection = {
      type: "FeatureCollection",
      features: [
        { type: "Feature", properties: { id: "a" }, geometry: { type: "Polygon", coordinates: [ccw, cw] } },
        {
          type: "Feature",
          properties: { id: "b" },
          geometry: { type: "MultiPolygon", coordinates: [[cw], [ccw]] },
        },
      ],
    };
    const rewound = rewindForD3(collection);
    expect(rewound.features[0].geometry?.coordinates).toEqual([cw, ccw]);
    expect(rewound.features[1].geometry?.coordinates).toEqual([[cw], [cw]]);
    expect(rewound.features[0].properties).toEqual({ id: "a" });
    // The input is not changed.
    expect(collection.features[0].geometry?.coordinates).toEqual([ccw, cw]);
  });
});
