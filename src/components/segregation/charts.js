// Segregation components: pure functions (data, {width, lang, …}) → element.
import * as Plot from "npm:@observablehq/plot";
import * as d3 from "npm:d3";
import { formatNumber } from "../format.js";

const TEXT = {
  sv: {
    year: "År",
    observed: "Observerat",
    random: "Förväntat vid slumpmässig fördelning",
    missing: "Uppgift saknas eller är sekretessbelagd (..)",
  },
  en: {
    year: "Year",
    observed: "Observed",
    random: "Expected under random allocation",
    missing: "Not available or suppressed (..)",
  },
};

/**
 * A measure over the years, observed (solid) beside its expected value under random allocation
 * (dashed). `rows` are paired measures (components/segregation/slump.ts) for one series.
 */
export function measureOverTime(
  rows,
  { width, lang = "sv", yLabel, ariaLabel, series = (d) => d.enhet } = {},
) {
  const text = TEXT[lang] ?? TEXT.sv;
  const data = rows.flatMap((row) => [
    { ar: row.ar, serie: series(row), typ: text.observed, varde: row.status == null ? row.varde : null },
    { ar: row.ar, serie: series(row), typ: text.random, varde: row.slump },
  ]);
  return Plot.plot({
    ariaLabel,
    width,
    height: 260,
    marginLeft: 48,
    x: { label: text.year, tickFormat: String, ticks: [...new Set(rows.map((r) => r.ar))] },
    y: {
      label: yLabel ?? null,
      grid: true,
      domain: [0, Math.max(0.1, d3.max(data, (d) => d.varde) ?? 0)],
      tickFormat: (v) => formatNumber(v, 2, lang),
    },
    color: { legend: true, range: ["#0072b2", "#d55e00", "#009e73", "#cc79a7"] },
    marks: [
      Plot.lineY(data, {
        x: "ar",
        y: "varde",
        z: (d) => `${d.serie}|${d.typ}`,
        stroke: "serie",
        strokeDasharray: (d) => (d.typ === text.observed ? null : "4,3"),
        defined: (d) => d.varde != null,
      }),
      // Observed values as filled dots, expected values as open dots.
      Plot.dot(
        data.filter((d) => d.typ === text.observed),
        { x: "ar", y: "varde", fill: "serie", r: 2.5 },
      ),
      Plot.dot(
        data.filter((d) => d.typ !== text.observed),
        { x: "ar", y: "varde", stroke: "serie", fill: "white", r: 2.5 },
      ),
      Plot.tip(
        data,
        Plot.pointer({
          x: "ar",
          y: "varde",
          title: (d) =>
            `${d.serie}, ${d.typ}, ${d.ar}: ${d.varde == null ? ".." : formatNumber(d.varde, 3, lang)}`,
        }),
      ),
    ],
  });
}

// Ids of the legends' gradients, unique on the page (a counter, so the markup is deterministic).
let legendCount = 0;

/**
 * Choropleth of a measure by kommun on the kommun boundaries (d3-geo, no tiles), with the viridis
 * scale (readable with every common colour-vision deficiency) and grey for missing or suppressed values.
 */
export function kommunChoropleth(geojson, values, { width, lang = "sv", label = "D", ariaLabel } = {}) {
  const text = TEXT[lang] ?? TEXT.sv;
  const mapWidth = Math.min(width, 420);
  const mapHeight = Math.round(mapWidth * 2.1);
  const defined = [...values.values()].filter((v) => v != null);
  const color = d3
    .scaleSequential(d3.interpolateViridis)
    .domain(d3.extent(defined.length ? defined : [0, 1]));
  const projection = d3
    .geoTransverseMercator()
    .rotate([-15, 0])
    .fitSize([mapWidth, mapHeight - 40], geojson);
  const path = d3.geoPath(projection);
  const svg = d3
    .create("svg")
    .attr("width", mapWidth)
    .attr("height", mapHeight)
    .attr("viewBox", [0, 0, mapWidth, mapHeight])
    .attr("role", "img")
    .attr("aria-label", ariaLabel ?? label)
    // As Plot does: the drawing may shrink with its container, so that a narrower window can narrow
    // the container and resize() redraws it at the new width.
    .style("max-width", "100%")
    .style("height", "auto");
  svg
    .append("g")
    .attr("transform", "translate(0,40)")
    .selectAll("path")
    .data(geojson.features)
    .join("path")
    .attr("d", path)
    .attr("fill", (f) => {
      const v = values.get(f.properties.kommun_kod);
      return v == null ? "#bdbdbd" : color(v);
    })
    .attr("stroke", "#fff")
    .attr("stroke-width", 0.3)
    .append("title")
    .text((f) => {
      const v = values.get(f.properties.kommun_kod);
      return `${f.properties.kommun}: ${v == null ? ".." : formatNumber(v, 3, lang)}`;
    });
  // Legend: gradient from min to max, plus the grey swatch for missing values.
  const [lo, hi] = color.domain();
  const legend = svg.append("g").attr("font-size", 10).attr("font-family", "system-ui, sans-serif");
  const id = `viridis-legend-${++legendCount}`;
  const gradient = svg.append("defs").append("linearGradient").attr("id", id);
  for (const t of d3.range(0, 1.01, 0.1))
    gradient.append("stop").attr("offset", t).attr("stop-color", d3.interpolateViridis(t));
  legend
    .append("rect")
    .attr("x", 0)
    .attr("y", 4)
    .attr("width", 140)
    .attr("height", 10)
    .attr("fill", `url(#${id})`);
  legend
    .append("text")
    .attr("x", 0)
    .attr("y", 26)
    .text(formatNumber(lo, 2, lang));
  legend
    .append("text")
    .attr("x", 140)
    .attr("y", 26)
    .attr("text-anchor", "end")
    .text(formatNumber(hi, 2, lang));
  legend.append("text").attr("x", 70).attr("y", 26).attr("text-anchor", "middle").text(label);
  legend
    .append("rect")
    .attr("x", 160)
    .attr("y", 4)
    .attr("width", 10)
    .attr("height", 10)
    .attr("fill", "#bdbdbd");
  legend.append("text").attr("x", 174).attr("y", 13).text(text.missing);
  return svg.node();
}
