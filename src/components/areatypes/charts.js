// Områdestyper components: pure functions (data, {width, lang, …}) → element.
import * as Plot from "npm:@observablehq/plot";
import { formatNumber, formatPercent } from "../format.js";

// A sequential, colour-blind-safe palette from the most disadvantaged type (1) to the most advantaged (5).
export const TYPE_COLORS = ["#b2182b", "#ef8a62", "#d9d9d9", "#67a9cf", "#2166ac"];

const TEXT = {
  sv: { year: "År", share: "Andel, procent", regso: "Antal RegSO" },
  en: { year: "Year", share: "Share, per cent", regso: "Number of RegSO" },
};

/** Type name in the page's language from data/omradestyper.json. */
export function typeName(types, kod, lang = "sv") {
  const type = types.find((t) => t.kod === kod);
  if (!type) return kod === "saknas" ? (lang === "en" ? "No type" : "Saknar typ") : kod;
  return `${kod}. ${lang === "en" ? type.nameEn : type.namn}`;
}

/** Stacked bars: a value (`antal` or `andel`) per year and type. */
export function typeBars(rows, { width, lang = "sv", types, y = "antal", ariaLabel } = {}) {
  const text = TEXT[lang] ?? TEXT.sv;
  const data = rows
    .filter((r) => r.omradestyp !== "saknas" && r[y] != null)
    .map((r) => ({ ...r, typ: typeName(types, r.omradestyp, lang) }));
  return Plot.plot({
    ariaLabel,
    width,
    height: 300,
    marginLeft: 56,
    x: { label: text.year, tickFormat: String, type: "band" },
    y: {
      label: y === "antal" ? text.regso : text.share,
      grid: true,
      tickFormat: (v) => formatNumber(v, 0, lang),
    },
    color: { legend: true, domain: types.map((t) => typeName(types, t.kod, lang)), range: TYPE_COLORS },
    marks: [
      Plot.barY(data, {
        x: "ar",
        y,
        fill: "typ",
        order: "color",
        title: (d) =>
          `${d.typ}, ${d.ar}: ${y === "antal" ? formatNumber(d[y], 0, lang) : formatPercent(d[y], 1, lang)}`,
      }),
      Plot.ruleY([0]),
    ],
  });
}

/** Horizontal stacked bars: how each group is spread over the types (shares of the group, %). */
export function groupBars(rows, { width, lang = "sv", types, groupLabel, ariaLabel } = {}) {
  const text = TEXT[lang] ?? TEXT.sv;
  const data = rows.map((r) => ({
    ...r,
    typ: typeName(types, r.omradestyp, lang),
    grupp: groupLabel(r.grupp),
  }));
  return Plot.plot({
    ariaLabel,
    width,
    height: 40 + 30 * new Set(data.map((d) => d.grupp)).size,
    marginLeft: 180,
    x: { label: text.share, domain: [0, 100], tickFormat: (v) => formatNumber(v, 0, lang) },
    y: { label: null },
    color: { legend: true, domain: types.map((t) => typeName(types, t.kod, lang)), range: TYPE_COLORS },
    marks: [
      Plot.barX(data, {
        x: "andel",
        y: "grupp",
        fill: "typ",
        order: "color",
        title: (d) => `${d.grupp}, ${d.typ}: ${formatPercent(d.andel, 1, lang)}`,
      }),
    ],
  });
}
