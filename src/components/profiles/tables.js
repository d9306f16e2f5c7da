// Tables of the kommun profile (the text alternative of its charts). Pure functions → element.
import { html } from "npm:htl";
import { typeName } from "../areatypes/charts.js";
import { formatCell, formatNumber } from "../format.js";
import {
  ENHET_LABELS,
  GRUPP_LABELS,
  INDELNING_LABELS,
  MATT_LABELS,
  pairWithRandom,
} from "../segregation/slump.js";

const TEXT = {
  sv: {
    indicator: "Indikator",
    year: "År",
    regso: "RegSO",
    index: "Socioekonomiskt index",
    type: "Områdestyp",
    grouping: "Indelning",
    group: "Grupp",
    measure: "Mått",
    unit: "Enhet",
    observed: "Observerat",
    random: "Förväntat vid slump",
    excess: "Över slump",
    noise: "Mest brus",
    yes: "ja",
    no: "nej",
  },
  en: {
    indicator: "Indicator",
    year: "Year",
    regso: "RegSO",
    index: "Socio-economic index",
    type: "Area type",
    grouping: "Grouping",
    group: "Group",
    measure: "Measure",
    unit: "Units",
    observed: "Observed",
    random: "Expected at random",
    excess: "Above random",
    noise: "Mostly noise",
    yes: "yes",
    no: "no",
  },
};

/**
 * The catalogue entry of an indicator: label in the language, unit and decimals (katalog.json), with the
 * language, so that the result can be passed to formatCell as it is.
 */
export function indicatorInfo(katalog, id, lang = "sv") {
  const entry = (katalog?.indikatorer ?? katalog?.indicators ?? []).find((i) => i.id === id) ?? {};
  const label = entry.etikett ?? entry.label ?? {};
  return {
    label: label[lang] ?? id,
    unit: entry.enhet ?? entry.unit ?? "antal",
    decimals: entry.decimals,
    lang,
  };
}

/** Latest year's key indicators for kommun, län and riket (all persons). */
export function keyFiguresTable(profile, katalog, { lang = "sv", names } = {}) {
  const text = TEXT[lang] ?? TEXT.sv;
  const rows = profile.indikatorer.filter((r) => r.fodelseregion === "totalt");
  const year = Math.max(...rows.map((r) => r.ar));
  const ids = [...new Set(rows.map((r) => r.indikator))];
  const cell = (id, niva) => rows.find((r) => r.indikator === id && r.niva === niva && r.ar === year);
  return html`<table class="tabell">
    <caption>${year}</caption>
    <thead><tr><th>${text.indicator}</th>${["kommun", "lan", "riket"].map((n) => html`<th class="tal">${names[n]}</th>`)}</tr></thead>
    <tbody>${ids.map((id) => {
      const info = indicatorInfo(katalog, id, lang);
      return html`<tr><td>${info.label}</td>${["kommun", "lan", "riket"].map((niva) => {
        const c = cell(id, niva);
        return html`<td class="tal">${c ? formatCell(c, info) : "."}</td>`;
      })}</tr>`;
    })}</tbody>
  </table>`;
}

/** RegSO of the kommun in the latest year: index, type and a few indicators. */
export function regsoTable(profile, katalog, types, { lang = "sv" } = {}) {
  const text = TEXT[lang] ?? TEXT.sv;
  const year = Math.max(...profile.omraden.map((r) => r.ar));
  const latest = profile.omraden
    .filter((r) => r.ar === year)
    .sort((a, b) => (b.index ?? -1) - (a.index ?? -1));
  const ids = [...new Set(profile.regsoIndikatorer.map((r) => r.indikator))];
  const value = (id, region) =>
    profile.regsoIndikatorer.find((r) => r.indikator === id && r.region === region);
  return html`<table class="tabell">
    <caption>${year}</caption>
    <thead><tr><th>${text.regso}</th><th class="tal">${text.index}</th><th>${text.type}</th>${ids.map((id) => html`<th class="tal">${indicatorInfo(katalog, id, lang).label}</th>`)}</tr></thead>
    <tbody>${latest.map(
      (r) => html`<tr>
      <td>${r.namn}</td>
      <td class="tal">${formatCell({ varde: r.index, status: r.status }, { unit: "index", decimals: 1, lang })}</td>
      <td>${r.omradestyp ? typeName(types, r.omradestyp, lang) : formatCell({ varde: null, status: r.status ?? "." }, { lang })}</td>
      ${ids.map((id) => {
        const v = value(id, r.region);
        return html`<td class="tal">${v ? formatCell(v, indicatorInfo(katalog, id, lang)) : "."}</td>`;
      })}
    </tr>`,
    )}</tbody>
  </table>`;
}

/** Segregation measures beside their random-allocation expectation (one row per measure and year). */
export function segregationTable(rows, { lang = "sv" } = {}) {
  const text = TEXT[lang] ?? TEXT.sv;
  const paired = pairWithRandom(rows);
  const labelOf = (labels, code) => labels[code]?.[lang] ?? code;
  const value = (v, status) => (status === ".." ? ".." : v == null ? "." : formatNumber(v, 3, lang));
  return html`<table class="tabell">
    <thead><tr><th>${text.year}</th><th>${text.grouping}</th><th>${text.group}</th><th>${text.measure}</th><th>${text.unit}</th>
      <th class="tal">${text.observed}</th><th class="tal">${text.random}</th><th class="tal">${text.excess}</th><th>${text.noise}</th></tr></thead>
    <tbody>${paired.map(
      (p) => html`<tr>
      <td>${p.ar}</td><td>${labelOf(INDELNING_LABELS, p.indelning)}</td><td>${labelOf(GRUPP_LABELS, p.grupp)}</td>
      <td>${labelOf(MATT_LABELS, p.matt)}</td><td>${labelOf(ENHET_LABELS, p.enhet)}</td>
      <td class="tal">${value(p.varde, p.status)}</td>
      <td class="tal">${value(p.slump, p.slumpStatus)}</td>
      <td class="tal">${p.overSlump == null ? "." : formatNumber(p.overSlump, 3, lang)}</td>
      <td>${p.overSlump == null ? "." : p.mostlyNoise ? text.yes : text.no}</td>
    </tr>`,
    )}</tbody>
  </table>`;
}
