// Kommun profile components: pure functions (data, {width, lang, …}) → element.
import * as Plot from "npm:@observablehq/plot";
import * as d3 from "npm:d3";
import { formatCell, formatNumber } from "../format.js";

const TEXT = {
  sv: { year: "År", riket: "Riket", map: (namn) => `Karta över Sveriges kommuner där ${namn} är markerad` },
  en: {
    year: "Year",
    riket: "Sweden",
    map: (namn) => `Map of Sweden's municipalities with ${namn} highlighted`,
  },
};

/**
 * Sweden's kommuner (GeoJSON, properties.kommun_kod) with one kommun highlighted; d3-geo, no tiles.
 * `values` (optional) maps kommun code → colour for a choropleth.
 */
export function kommunMap(geojson, { width, lang = "sv", highlight, namn = highlight, height } = {}) {
  const text = TEXT[lang] ?? TEXT.sv;
  const mapWidth = Math.min(width, 360);
  const mapHeight = height ?? Math.round(mapWidth * 2.1);
  const projection = d3.geoTransverseMercator().rotate([-15, 0]).fitSize([mapWidth, mapHeight], geojson);
  const path = d3.geoPath(projection);
  const svg = d3
    .create("svg")
    .attr("width", mapWidth)
    .attr("height", mapHeight)
    .attr("viewBox", [0, 0, mapWidth, mapHeight])
    .attr("role", "img")
    .attr("aria-label", text.map(namn))
    // As Plot does: the drawing may shrink with its container, so that a narrower window can narrow
    // the container and resize() redraws it at the new width.
    .style("max-width", "100%")
    .style("height", "auto");
  svg
    .append("g")
    .selectAll("path")
    .data(geojson.features)
    .join("path")
    .attr("d", path)
    .attr("fill", (f) => (f.properties.kommun_kod === highlight ? "#d55e00" : "#e8e8e8"))
    .attr("stroke", "#888")
    .attr("stroke-width", 0.3)
    .append("title")
    .text((f) => f.properties.kommun);
  return svg.node();
}

/**
 * One indicator over the years for the kommun, its län and riket (rows of the kommun profile with
 * fodelseregion = 'totalt'). Suppressed years break the line.
 */
export function comparisonChart(
  rows,
  { width, lang = "sv", names, unit = "procent", yLabel, ariaLabel } = {},
) {
  const text = TEXT[lang] ?? TEXT.sv;
  const data = rows.map((row) => ({
    ...row,
    serie: names[row.niva] ?? row.region,
    text: formatCell(row, { unit, lang }),
  }));
  const domain = ["kommun", "lan", "riket"].map((niva) => names[niva]);
  return Plot.plot({
    ariaLabel,
    width,
    height: 260,
    marginLeft: 56,
    x: { label: text.year, tickFormat: String, ticks: [...new Set(rows.map((r) => r.ar))] },
    y: {
      label: yLabel ?? null,
      grid: true,
      zero: unit === "procent",
      tickFormat: (v) => formatNumber(v, 0, lang),
    },
    // Okabe–Ito colours (colour-blind safe), with different dash patterns as a second cue.
    color: { legend: true, domain, range: ["#d55e00", "#0072b2", "#009e73"] },
    marks: [
      Plot.lineY(data, {
        x: "ar",
        y: "varde",
        z: "serie",
        stroke: "serie",
        strokeDasharray: (d) => (d.niva === "kommun" ? null : d.niva === "lan" ? "6,3" : "2,2"),
        defined: (d) => d.varde != null,
      }),
      Plot.dot(data, { x: "ar", y: "varde", fill: "serie", r: 2.5 }),
      Plot.tip(data, Plot.pointerX({ x: "ar", y: "varde", title: (d) => `${d.serie} ${d.ar}: ${d.text}` })),
    ],
  });
}
