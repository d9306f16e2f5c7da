// Chart components: pure functions (data, {width, lang, …}) → element. Data are rows of a published
// indicator table (publicering.md): `ar`, `varde`, `status` and the breakdown columns.
import * as Plot from "npm:@observablehq/plot";
import { formatCell, formatNumber } from "./format.js";
import { label } from "./labels.js";

const TEXT = {
  sv: { year: "År" },
  en: { year: "Year" },
};

/**
 * One line per value of `series` (e.g. `fodelseregion`) over the years. Suppressed cells (`status`
 * `..`) break the line and are listed as `..` in the tooltip.
 */
export function indicatorLineChart(
  rows,
  { width, lang = "sv", series, labels = {}, unit = "procent", yLabel, ariaLabel } = {},
) {
  const text = TEXT[lang] ?? TEXT.sv;
  const data = rows.map((row) => ({
    ...row,
    serie: label(labels, row[series], lang),
    text: formatCell(row, { unit }),
  }));
  // Series in the order of the label table (e.g. totalt, sverige, utrikes, …), unknown codes last.
  const codes = new Set(rows.map((row) => row[series]));
  const order = [...Object.keys(labels).filter((code) => codes.delete(code)), ...[...codes].sort()].map(
    (code) => label(labels, code, lang),
  );
  return Plot.plot({
    ariaLabel, // what the chart shows, for screen readers
    width,
    height: 360,
    marginLeft: 48,
    x: { label: text.year, tickFormat: (year) => String(year), ticks: [...new Set(rows.map((r) => r.ar))] },
    y: { label: yLabel ?? null, grid: true, zero: unit === "procent", tickFormat: (v) => formatNumber(v, 0) },
    color: { legend: true, domain: order },
    marks: [
      Plot.lineY(data, { x: "ar", y: "varde", z: "serie", stroke: "serie", defined: (d) => d.varde != null }),
      Plot.dot(data, { x: "ar", y: "varde", fill: "serie", r: 2.5 }),
      Plot.tip(
        data,
        Plot.pointerX({
          x: "ar",
          y: "varde",
          channels: { serie: { value: "serie", label: "" }, värde: { value: "text", label: "" } },
          format: { x: false, y: false, stroke: false, fill: false },
        }),
      ),
    ],
  });
}
