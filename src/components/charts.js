// Chart components: pure functions (data, {width, lang, …}) → element. Data are rows of a published
// indicator table (publicering.md): `ar`, `varde`, `status` and the breakdown columns.
import * as Plot from "npm:@observablehq/plot";
import { formatCell, formatNumber } from "./format.js";
import { label } from "./labels.js";

const TEXT = {
  sv: {
    year: "År",
    table: "Visa som tabell",
    note: "Källa: Registerdata för integration. .. = uppgiften skyddas av sekretesskäl (röjandekontroll); . = uppgift saknas.",
  },
  en: {
    year: "Year",
    table: "Show as a table",
    note: "Source: Registerdata för integration. .. = suppressed for confidentiality (disclosure control); . = not available.",
  },
};

/**
 * Okabe–Ito colours, distinguishable with the common forms of colour blindness; ordered so that the
 * first colours have enough contrast against a white background (yellow is left out).
 */
export const COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];
/** Dot shapes per series, so that lines can be told apart without colour too. */
const SYMBOLS = ["circle", "square", "triangle", "diamond", "cross", "star", "wye"];

/** Series labels in the order of the label table (e.g. totalt, sverige, utrikes, …), unknown codes last. */
function seriesOrder(rows, key, labels, lang) {
  const codes = new Set(rows.map((row) => row[key]));
  return [...Object.keys(labels).filter((code) => codes.delete(code)), ...[...codes].sort()].map((code) =>
    label(labels, code, lang),
  );
}

/**
 * One line per value of `series` (e.g. `fodelseregion`) over the years. Suppressed cells (`status`
 * `..`) break the line and are listed as `..` in the tooltip.
 */
export function indicatorLineChart(
  rows,
  { width, lang = "sv", series, labels = {}, unit = "procent", decimals, yLabel, ariaLabel } = {},
) {
  const text = TEXT[lang] ?? TEXT.sv;
  const data = rows.map((row) => ({
    ...row,
    serie: label(labels, row[series], lang),
    text: formatCell(row, { unit, decimals, lang }),
  }));
  const order = seriesOrder(rows, series, labels, lang);
  // Ratios such as segregation indices lie between 0 and 1: their ticks need decimals.
  const tickDecimals = unit === "kvot" ? 2 : 0;
  return Plot.plot({
    ariaLabel, // what the chart shows, for screen readers
    width,
    height: 360,
    marginLeft: 48,
    x: { label: text.year, tickFormat: (year) => String(year), ticks: [...new Set(rows.map((r) => r.ar))] },
    y: {
      label: yLabel ?? null,
      grid: true,
      zero: unit === "procent",
      tickFormat: (v) => formatNumber(v, tickDecimals, lang),
    },
    color: { legend: true, domain: order, range: COLOURS },
    symbol: { domain: order, range: SYMBOLS },
    marks: [
      Plot.lineY(data, { x: "ar", y: "varde", z: "serie", stroke: "serie", defined: (d) => d.varde != null }),
      Plot.dot(data, { x: "ar", y: "varde", fill: "serie", symbol: "serie", r: 3 }),
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

/**
 * Horizontal bars, one per value of `category` (e.g. `omradestyp`) for one year. Each bar is labelled
 * with its value as text; a suppressed cell gets no bar and the label `..`, never a bar of 0.
 */
export function indicatorBarChart(
  rows,
  { width, lang = "sv", category, labels = {}, unit = "procent", ariaLabel } = {},
) {
  const order = seriesOrder(rows, category, labels, lang);
  const data = rows.map((row) => ({
    ...row,
    kategori: label(labels, row[category], lang),
    text: formatCell(row, { unit, lang }),
    // Bars of published values only; a suppressed cell is shown by its label alone.
    bar: row.status == null ? row.varde : null,
  }));
  return Plot.plot({
    ariaLabel,
    width,
    height: 40 + 34 * order.length,
    marginLeft: Math.min(width * 0.45, 330),
    marginRight: 64,
    x: { grid: true, label: null, tickFormat: (v) => formatNumber(v, 0, lang), zero: true },
    y: { domain: order, label: null },
    marks: [
      Plot.barX(data, { x: "bar", y: "kategori", fill: COLOURS[0], filter: (d) => d.bar != null }),
      Plot.text(data, { x: (d) => d.bar ?? 0, y: "kategori", text: "text", textAnchor: "start", dx: 4 }),
      Plot.ruleX([0]),
    ],
  });
}

/**
 * The table alternative of a chart: one row per series, one column per year, values formatted as the
 * chart's tooltips (`..` for suppressed), inside a <details> that is reached with the keyboard.
 */
export function chartTable(
  rows,
  { lang = "sv", series, labels = {}, unit = "procent", decimals, caption } = {},
) {
  const text = TEXT[lang] ?? TEXT.sv;
  const years = [...new Set(rows.map((row) => Number(row.ar)))].sort((a, b) => a - b);
  const order = seriesOrder(rows, series, labels, lang);
  const cell = new Map(rows.map((row) => [`${label(labels, row[series], lang)}|${Number(row.ar)}`, row]));
  const element = (tag, content, className) => {
    const node = document.createElement(tag);
    if (content != null) node.textContent = content;
    if (className) node.className = className;
    return node;
  };
  const details = element("details", null, "tabellalternativ");
  details.append(element("summary", text.table));
  const table = element("table", null, "tabell");
  if (caption) table.append(element("caption", caption));
  const head = element("tr");
  head.append(element("th", ""), ...years.map((year) => element("th", String(year), "tal")));
  head.firstChild.setAttribute("scope", "col");
  table.append(element("thead"));
  table.tHead.append(head);
  const body = element("tbody");
  for (const name of order) {
    const tr = element("tr");
    const th = element("th", name);
    th.setAttribute("scope", "row");
    tr.append(th);
    for (const year of years) {
      const row = cell.get(`${name}|${year}`);
      tr.append(element("td", row ? formatCell(row, { unit, decimals, lang }) : ".", "tal"));
    }
    body.append(tr);
  }
  table.append(body);
  details.append(table);
  return details;
}

/** The footnote under every chart: source and what `..` and `.` mean, plus the chart's own notes. */
export function chartNote(lang = "sv", ...notes) {
  const text = TEXT[lang] ?? TEXT.sv;
  const p = document.createElement("p");
  p.className = "diagramnot";
  p.textContent = [...notes, text.note].filter(Boolean).join(" ");
  return p;
}
