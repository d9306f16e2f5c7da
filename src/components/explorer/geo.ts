// GeoJSON for d3-geo. d3-geo works on the sphere and takes a ring's winding order as meaning: an
// exterior ring must run clockwise, or it encloses the rest of the globe. SCB's files follow RFC 7946
// (exterior rings counter-clockwise), so the rings are rewound before drawing. Pure functions.

type Ring = number[][];
type Polygon = Ring[];

interface Geometry {
  type: string;
  coordinates: unknown;
}

interface Feature {
  type: "Feature";
  properties: Record<string, unknown>;
  geometry: Geometry | null;
}

export interface FeatureCollection {
  type: "FeatureCollection";
  features: Feature[];
}

/** Twice the signed planar area of a ring (lon/lat as x/y): positive = counter-clockwise. */
export function signedArea(ring: Ring): number {
  // Shoelace over the edges (previous point j → point i).
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  }
  return sum;
}

function rewindPolygon(polygon: Polygon): Polygon {
  return polygon.map((ring, index) => {
    // Exterior ring (index 0) clockwise (area < 0), holes counter-clockwise (area > 0).
    const clockwise = signedArea(ring) < 0;
    const wanted = index === 0;
    return clockwise === wanted ? ring : [...ring].reverse();
  });
}

/** A copy of the collection with every ring wound the way d3-geo expects. */
export function rewindForD3(collection: FeatureCollection): FeatureCollection {
  return {
    ...collection,
    features: collection.features.map((feature) => {
      const geometry = feature.geometry;
      if (!geometry) return feature;
      if (geometry.type === "Polygon") {
        return {
          ...feature,
          geometry: { ...geometry, coordinates: rewindPolygon(geometry.coordinates as Polygon) },
        };
      }
      if (geometry.type === "MultiPolygon") {
        const polygons = geometry.coordinates as Polygon[];
        return { ...feature, geometry: { ...geometry, coordinates: polygons.map(rewindPolygon) } };
      }
      return feature;
    }),
  };
}
