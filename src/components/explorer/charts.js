// The explorer's charts: pure functions (data, {width, lang, …}) → element. Rows are published cells
// (`ar`, `region`, `namn`, `serie`, `varde`, `status`), already selected by the page.
import * as Plot from "npm:@observablehq/plot";
import { formatCell, formatNumber } from "../format.js";

const TEXT = {
  sv: { year: "År", suppressed: "Sekretess (..)", missing: "Uppgift saknas (.)" },
  en: { year: "Year", suppressed: "Suppressed (..)", missing: "Not available (.)" },
};

/** Time series: one line per region and series; with several regions one panel per region. */
export function timeSeriesChart(rows, { width, lang = "sv", unit, yLabel, ariaLabel } = {}) {
  const text = TEXT[lang] ?? TEXT.sv;
  const data = rows.map((row) => ({ ...row, text: formatCell(row, { unit, lang }) }));
  const regions = [...new Set(rows.map((row) => row.namn))];
  const facet = regions.length > 1;
  return Plot.plot({
    ariaLabel,
    width,
    height: facet ? Math.min(160 * regions.length, 900) : 340,
    marginLeft: 56,
    marginRight: facet ? 120 : 20,
    x: { label: text.year, tickFormat: (year) => String(year), ticks: [...new Set(rows.map((r) => r.ar))] },
    y: {
      label: yLabel ?? null,
      grid: true,
      zero: unit === "procent",
      tickFormat: (v) => formatNumber(v, 0, lang),
    },
    fy: facet ? { label: null, domain: regions } : undefined,
    color: { legend: true, domain: [...new Set(rows.map((row) => row.serie))], scheme: "tableau10" },
    marks: [
      Plot.lineY(data, {
        x: "ar",
        y: "varde",
        z: "serie",
        fy: facet ? "namn" : undefined,
        stroke: "serie",
        defined: (d) => d.varde != null,
      }),
      Plot.dot(data, { x: "ar", y: "varde", fill: "serie", fy: facet ? "namn" : undefined, r: 2.5 }),
      Plot.tip(
        data,
        Plot.pointer({
          x: "ar",
          y: "varde",
          fy: facet ? "namn" : undefined,
          channels: {
            region: { value: "namn", label: "" },
            serie: { value: "serie", label: "" },
            värde: { value: "text", label: "" },
          },
          format: { x: true, y: false, fy: false, stroke: false, fill: false },
        }),
      ),
    ],
  });
}

/** Comparison for one year: a bar per region (and series); suppressed cells are marked `..`. */
export function comparisonChart(rows, { width, lang = "sv", unit, xLabel, ariaLabel } = {}) {
  const data = rows.map((row) => ({ ...row, text: formatCell(row, { unit, lang }) }));
  const series = [...new Set(rows.map((row) => row.serie))];
  const split = series.length > 1;
  const regions = [...new Set(rows.map((row) => row.namn))];
  const bandCount = regions.length * (split ? series.length : 1);
  return Plot.plot({
    ariaLabel,
    width,
    height: Math.max(120, 22 * bandCount + 60),
    marginLeft: Math.min(220, 8 + 7 * Math.max(...regions.map((r) => String(r).length), 4)),
    marginRight: 60,
    x: { label: xLabel ?? null, grid: true, tickFormat: (v) => formatNumber(v, 0, lang) },
    y: { label: null, domain: split ? series : regions, axis: split ? null : "left" },
    fy: split ? { label: null, domain: regions, axis: "left" } : undefined,
    color: { legend: split, domain: series, scheme: "tableau10" },
    marks: [
      Plot.barX(data, {
        x: (d) => d.varde ?? 0,
        y: split ? "serie" : "namn",
        fy: split ? "namn" : undefined,
        fill: split ? "serie" : "var(--theme-foreground-focus)",
      }),
      Plot.text(data, {
        x: (d) => d.varde ?? 0,
        y: split ? "serie" : "namn",
        fy: split ? "namn" : undefined,
        text: "text",
        textAnchor: "start",
        dx: 4,
      }),
      Plot.ruleX([0]),
    ],
  });
}

let hatchCount = 0;

/**
 * Choropleth of one value per area: `features` is a GeoJSON FeatureCollection whose features carry the
 * region code in `codeProperty`; `values` maps a code to a cell. Sequential colour-blind-safe scale
 * (viridis) with a legend; suppressed and missing areas are hatched grey and labelled `..` / `.`.
 */
export function choroplethMap(
  features,
  values,
  { width, lang = "sv", unit, codeProperty, nameProperty, legendLabel, ariaLabel } = {},
) {
  const text = TEXT[lang] ?? TEXT.sv;
  const hatch = `explorer-hatch-${++hatchCount}`;
  const cellOf = (feature) => values.get(feature.properties[codeProperty]);
  const withValue = features.features.filter((f) => cellOf(f)?.varde != null && cellOf(f)?.status == null);
  const without = features.features.filter((f) => !withValue.includes(f));
  const height = Math.round(Math.min(width * 1.9, 720));
  const chart = Plot.plot({
    ariaLabel,
    width: Math.min(width, 420),
    height: Math.min(height, 760),
    projection: { type: "transverse-mercator", rotate: [-15, -62], domain: features },
    color: {
      type: "linear",
      scheme: "viridis",
      reverse: true,
      legend: true,
      label: legendLabel,
      tickFormat: (v) => formatNumber(v, 0, lang),
    },
    marks: [
      Plot.geo(withValue, {
        fill: (f) => cellOf(f).varde,
        stroke: "white",
        strokeWidth: 0.4,
        title: (f) => `${f.properties[nameProperty]}: ${formatCell(cellOf(f), { unit, lang })}`,
      }),
      Plot.geo(without, {
        fill: `url(#${hatch})`,
        stroke: "white",
        strokeWidth: 0.4,
        title: (f) =>
          `${f.properties[nameProperty]}: ${formatCell(cellOf(f) ?? { varde: null }, { unit, lang })}`,
      }),
      Plot.text(
        without,
        Plot.centroid({
          text: (f) => (cellOf(f)?.status === ".." ? ".." : "."),
          fill: "currentColor",
          fontWeight: "bold",
        }),
      ),
    ],
  });
  // The hatch pattern for suppressed and missing areas, inside the map's own SVG (the last one).
  const svgs = chart.tagName.toLowerCase() === "svg" ? [chart] : [...chart.querySelectorAll("svg")];
  const defs = document.createElementNS("http://www.w3.org/2000/svg", "defs");
  defs.innerHTML = hatchPattern(hatch);
  svgs[svgs.length - 1]?.prepend(defs);
  const legend = document.createElement("p");
  legend.className = "explorer-map-note";
  legend.innerHTML = `<svg width="18" height="12" aria-hidden="true"><defs>${hatchPattern(`${hatch}-key`)}</defs><rect width="18" height="12" fill="url(#${hatch}-key)"></rect></svg> ${text.suppressed} / ${text.missing}`;
  const figure = document.createElement("div");
  figure.append(chart, legend);
  return figure;
}

function hatchPattern(id) {
  return `<pattern id="${id}" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="#d9d9d9"></rect><line x1="0" y1="0" x2="0" y2="6" stroke="#707070" stroke-width="2"></line></pattern>`;
}
