// The indicator explorer (page "Indikatorer"): controls, time series, comparison for one year, map,
// table and downloads of the current selection. The selection lives in the query string
// (explorer/state.ts). Only the one Parquet file of the chosen indicator and level is fetched; the
// page never loads DuckDB-WASM.
import { downloadName, toCsv, toJsonStat } from "../download.js";
import { formatCell } from "../format.js";
import { BREAKDOWNS } from "../indicators.js";
import { BREAKDOWN_CODES, BREAKDOWN_NAMES, UNIT as ENHET, NIVA as LEVELS, label, OMRADE } from "../labels.js";
import { fetchPublished, indicatorPath } from "../publikation.js";
import { responsive } from "../responsive.js";
import { readCatalogue } from "./catalog.js";
import { choroplethMap, comparisonChart, timeSeriesChart } from "./charts.js";
import { rewindForD3 } from "./geo.js";
import { parquetRows, rowsToParquet } from "./parquet.js";
import { decodeState, effectiveBreakdown, encodeState, fileLevel, NIVAER, UPPDELNINGAR } from "./state.js";

// Labels come from components/labels.ts; the explorer adds its pseudo-level and "no breakdown".
const NIVA = { ...LEVELS, omradestyp: { sv: "Områdestyp", en: "Area type" } };
const UPPDELNING = { ingen: { sv: "Ingen uppdelning", en: "No breakdown" }, ...BREAKDOWN_NAMES };

/** The label of a breakdown code; age bands are their own label (`65-` → `65– år`). */
function codeLabel(column, code, lang) {
  if (column === "alder" && code !== "totalt")
    return `${code.replace("-", "–")} ${lang === "en" ? "years" : "år"}`;
  if (column === "alder") return lang === "en" ? "All ages" : "Samtliga åldrar";
  return label(BREAKDOWN_CODES[column] ?? {}, code, lang);
}

const TEXT = {
  sv: {
    area: "Område",
    indicator: "Indikator",
    level: "Nivå",
    regions: "Regioner att jämföra",
    breakdown: "Uppdelning",
    from: "Från år",
    to: "Till år",
    riket: "Riket",
    timeSeries: "Utveckling över tid",
    comparison: (year) => `Jämförelse ${year}`,
    map: (year) => `Karta ${year}`,
    table: "Tabell",
    download: "Ladda ned urvalet",
    csv: "CSV",
    csvExcel: "CSV för svenskt Excel",
    jsonstat: "JSON-stat 2.0",
    parquet: "Parquet",
    region: "Region",
    year: "År",
    value: "Värde",
    loading: "Hämtar …",
    noData: "Indikatorn publiceras inte på den här nivån.",
    legend:
      "Teckenförklaring: .. = sekretess (värdet skulle kunna röja enskilda personer), . = uppgift saknas eller ej tillämplig.",
    unit: (unit) => `Enhet: ${unit}.`,
    source: "Källa: Registerdata för integration (syntetisk befolkning).",
    selectRegions: "Håll ned Ctrl (Cmd) för att välja flera.",
    symbols: ".. = sekretess, . = uppgift saknas. Tabellen under diagrammen visar samma värden.",
    mapTotal: "Kartan visar värdet för samtliga (utan uppdelning).",
  },
  en: {
    area: "Area",
    indicator: "Indicator",
    level: "Level",
    regions: "Regions to compare",
    breakdown: "Breakdown",
    from: "From year",
    to: "To year",
    riket: "Sweden",
    timeSeries: "Over time",
    comparison: (year) => `Comparison ${year}`,
    map: (year) => `Map ${year}`,
    table: "Table",
    download: "Download the selection",
    csv: "CSV",
    csvExcel: "CSV for Swedish Excel",
    jsonstat: "JSON-stat 2.0",
    parquet: "Parquet",
    region: "Region",
    year: "Year",
    value: "Value",
    loading: "Loading …",
    noData: "The indicator is not published at this level.",
    legend:
      "Symbols: .. = suppressed for confidentiality (the value could disclose individuals), . = not available or not applicable.",
    unit: (unit) => `Unit: ${unit}.`,
    source: "Source: Registerdata för integration (synthetic population).",
    selectRegions: "Hold Ctrl (Cmd) to select several.",
    symbols: ".. = suppressed, . = not available. The table below the charts gives the same values.",
    mapTotal: "The map shows the value for all persons (no breakdown).",
  },
};

/**
 * Builds the explorer. `katalog` and `manifest` are the parsed JSON files; `geo` holds the län and
 * kommun boundaries (GeoJSON); `regionTable` optional rows of regioner.parquet.
 */
export function explorer({ lang = "sv", katalog, manifest, geo, regionTable = [] }) {
  const text = TEXT[lang] ?? TEXT.sv;
  const indicators = readCatalogue(katalog);
  const published = new Set((manifest.outputs ?? []).map((output) => output.path));
  const levelsOf = (id) => {
    const indicator = indicators.find((entry) => entry.id === id);
    const levels = ["riket", "lan", "kommun", "regso", "deso"].filter((niva) =>
      published.has(indicatorPath(id, niva)),
    );
    const ordered = indicator
      ? levels.filter((niva) => indicator.levels.length === 0 || indicator.levels.includes(niva))
      : levels;
    return NIVAER.filter((niva) =>
      niva === "omradestyp" ? ordered.includes("riket") : ordered.includes(niva),
    );
  };
  const shown = indicators.filter((indicator) => levelsOf(indicator.id).length > 0);
  const names = regionNames(regionTable, geo, text);
  const boundaries = { lan: rewindForD3(geo.lan), kommun: rewindForD3(geo.kommun) };
  const years = [...(manifest.years ?? [])].map(Number).sort((a, b) => a - b);
  const cache = new Map();
  const load = (path) => {
    if (!cache.has(path))
      cache.set(
        path,
        fetchPublished(path)
          .then((r) => r.arrayBuffer())
          .then(parquetRows),
      );
    return cache.get(path);
  };

  const root = document.createElement("div");
  root.className = "explorer";
  const form = document.createElement("form");
  form.className = "explorer-controls";
  form.addEventListener("submit", (event) => event.preventDefault());
  const output = document.createElement("div");
  output.className = "explorer-output";
  output.setAttribute("aria-live", "polite");
  root.append(form, output);

  let state = decodeState(location.search, {
    indikatorer: shown.map((indicator) => indicator.id),
    nivaer: levelsOf,
    regioner: () => [...names.keys()],
    ar: years,
  });
  let generation = 0;
  // The charts on screen, which follow the page's width until the next selection replaces them.
  let drawnCharts = [];

  const control = (id, labelText, element) => {
    const wrapper = document.createElement("div");
    wrapper.className = "explorer-control";
    const labelElement = document.createElement("label");
    labelElement.htmlFor = id;
    labelElement.textContent = labelText;
    element.id = id;
    element.name = id;
    wrapper.append(labelElement, element);
    return wrapper;
  };
  const select = (options, value, multiple = false) => {
    const element = document.createElement("select");
    element.multiple = multiple;
    if (multiple) element.size = 6;
    for (const option of options) {
      if (option.group) {
        const group = document.createElement("optgroup");
        group.label = option.group;
        for (const inner of option.options) group.append(makeOption(inner, value));
        element.append(group);
      } else element.append(makeOption(option, value));
    }
    return element;
  };
  const makeOption = ({ value, label: optionLabel }, selected) => {
    const option = document.createElement("option");
    option.value = value;
    option.textContent = optionLabel;
    option.selected = Array.isArray(selected) ? selected.includes(value) : selected === value;
    return option;
  };

  function drawControls(regionCodes) {
    const current = shown.find((indicator) => indicator.id === state.indikator);
    const areas = [...new Set(shown.map((indicator) => indicator.omrade))];
    const area = select(
      areas.map((code) => ({ value: code, label: label(OMRADE, code, lang) })),
      current?.omrade,
    );
    const indicator = select(
      shown
        .filter((entry) => entry.omrade === current?.omrade)
        .map((entry) => ({ value: entry.id, label: entry.label[lang] })),
      state.indikator,
    );
    const level = select(
      levelsOf(state.indikator).map((niva) => ({ value: niva, label: label(NIVA, niva, lang) })),
      state.niva,
    );
    const regions = select(
      regionCodes.map((code) => ({ value: code, label: names.get(code) ?? code })),
      state.regioner,
      true,
    );
    const breakdown = select(
      UPPDELNINGAR.map((code) => ({ value: code, label: label(UPPDELNING, code, lang) })),
      effectiveBreakdown(state),
    );
    breakdown.disabled = state.niva === "omradestyp";
    const from = select(
      years.map((year) => ({ value: String(year), label: String(year) })),
      String(state.fran),
    );
    const to = select(
      years.map((year) => ({ value: String(year), label: String(year) })),
      String(state.till),
    );
    area.addEventListener("change", () => {
      const first = shown.find((entry) => entry.omrade === area.value);
      if (first) update({ indikator: first.id });
    });
    indicator.addEventListener("change", () => update({ indikator: indicator.value }));
    level.addEventListener("change", () => update({ niva: level.value, regioner: [] }));
    regions.addEventListener("change", () =>
      update({ regioner: [...regions.selectedOptions].map((option) => option.value) }),
    );
    breakdown.addEventListener("change", () => update({ uppdelning: breakdown.value }));
    from.addEventListener("change", () => update({ fran: Number(from.value) }));
    to.addEventListener("change", () => update({ till: Number(to.value) }));
    const regionControl = control("explorer-regioner", text.regions, regions);
    const hint = document.createElement("small");
    hint.textContent = text.selectRegions;
    regionControl.append(hint);
    form.replaceChildren(
      control("explorer-omrade", text.area, area),
      control("explorer-indikator", text.indicator, indicator),
      control("explorer-niva", text.level, level),
      regionControl,
      control("explorer-uppdelning", text.breakdown, breakdown),
      control("explorer-fran", text.from, from),
      control("explorer-till", text.to, to),
    );
  }

  function update(change) {
    // Re-decode through the URL so that every change is checked exactly like a shared link.
    const next = { ...state, ...change };
    if (change.indikator && !levelsOf(change.indikator).includes(next.niva)) next.regioner = [];
    state = decodeState(encodeState(next), {
      indikatorer: shown.map((indicator) => indicator.id),
      nivaer: levelsOf,
      regioner: () => [...names.keys(), ...next.regioner],
      ar: years,
    });
    render();
  }

  async function render() {
    const mine = ++generation;
    root.dataset.state = "";
    const indicator = shown.find((entry) => entry.id === state.indikator);
    if (!indicator) {
      for (const item of drawnCharts) item.disconnect();
      drawnCharts = [];
      output.replaceChildren(paragraph(text.noData));
      drawControls([]);
      return;
    }
    const niva = fileLevel(state.niva);
    const rows = await load(indicatorPath(indicator.id, niva));
    if (mine !== generation) return; // a newer selection is being drawn
    const regionCodes = [...new Set(rows.map((row) => row.region))].sort();
    let regioner = state.regioner.filter((code) => regionCodes.includes(code));
    if (regioner.length === 0) regioner = regionCodes.slice(0, niva === "riket" ? 1 : 3);
    state = { ...state, regioner };
    history.replaceState(history.state, "", `${location.pathname}${encodeState(state)}${location.hash}`);
    drawControls(regionCodes);

    const split = effectiveBreakdown(state);
    const column = split === "ingen" ? null : split;
    const inRange = (row) => row.ar >= (state.fran ?? -Infinity) && row.ar <= (state.till ?? Infinity);
    const isSeries = (row) => BREAKDOWNS.every((b) => (b === column ? true : row[b] === "totalt"));
    const seriesLabel = (row) => (column ? codeLabel(column, row[column], lang) : indicator.label[lang]);
    const decorate = (row) => ({
      ...row,
      ar: Number(row.ar),
      namn: names.get(row.region) ?? row.region,
      serie: seriesLabel(row),
    });
    const selected = new Set(regioner);
    const seriesRows = rows.filter(isSeries);
    const chosen = seriesRows.filter((row) => selected.has(row.region) && inRange(row)).map(decorate);
    chosen.sort(
      (a, b) =>
        regioner.indexOf(a.region) - regioner.indexOf(b.region) || seriesOrder(column, a, b) || a.ar - b.ar,
    );
    const year = state.till;
    const comparisonRegions = regionCodes.length <= 30 && !column ? new Set(regionCodes) : selected;
    const comparison = seriesRows
      .filter((row) => row.ar === year && comparisonRegions.has(row.region))
      .map(decorate)
      .sort((a, b) =>
        column
          ? regioner.indexOf(a.region) - regioner.indexOf(b.region) || seriesOrder(column, a, b)
          : (b.varde ?? -Infinity) - (a.varde ?? -Infinity) || a.region.localeCompare(b.region),
      );

    const unit = label(ENHET, indicator.unit, lang);
    const title = `${indicator.label[lang]}, ${unit}`;
    const notes = document.createElement("div");
    notes.className = "explorer-notes";
    notes.append(
      paragraph(`${text.unit(unit)} ${text.legend}`),
      ...indicator.footnotes.map((note) => paragraph(note[lang])),
      paragraph(text.source),
    );

    // Unit and symbols under every chart; the indicator's footnotes follow the table.
    const chartNote = () => {
      const note = paragraph(`${text.unit(unit)} ${text.symbols}`);
      note.className = "explorer-chart-note";
      return note;
    };
    // Charts follow the width of their card (window resized, phone rotated): drawn once the cards are
    // in the document, redrawn when the width changes.
    const charts = [];
    const chart = (render) => {
      const item = responsive(render);
      charts.push(item);
      return item.element;
    };
    const sections = [];
    sections.push(heading(`${text.timeSeries}: ${title}`));
    const series = document.createElement("div");
    series.className = "card explorer-timeseries";
    series.append(
      chart((width) =>
        timeSeriesChart(chosen, {
          width,
          lang,
          unit: indicator.unit,
          yLabel: unit,
          ariaLabel: `${title}, ${state.fran}–${state.till}`,
        }),
      ),
    );
    series.append(chartNote());
    sections.push(series);
    sections.push(heading(`${text.comparison(year)}: ${title}`));
    const compare = document.createElement("div");
    compare.className = "card explorer-comparison";
    compare.append(
      chart((width) =>
        comparisonChart(comparison, {
          width,
          lang,
          unit: indicator.unit,
          xLabel: unit,
          ariaLabel: `${title}, ${year}`,
        }),
      ),
    );
    compare.append(chartNote());
    sections.push(compare);
    if (niva === "lan" || niva === "kommun") {
      const features = niva === "lan" ? boundaries.lan : boundaries.kommun;
      const cells = new Map(
        rows
          .filter((row) => row.ar === year && BREAKDOWNS.every((b) => row[b] === "totalt"))
          .map((row) => [row.region, row]),
      );
      sections.push(heading(`${text.map(year)}: ${title}`));
      const map = document.createElement("div");
      map.className = "card explorer-map";
      map.append(
        chart((width) =>
          choroplethMap(features, cells, {
            width: Math.min(420, width),
            lang,
            unit: indicator.unit,
            codeProperty: niva === "lan" ? "lan_kod" : "kommun_kod",
            nameProperty: niva === "lan" ? "lan" : "kommun",
            legendLabel: unit,
            ariaLabel: `${title}, ${year}, ${label(NIVA, niva, lang)}`,
          }),
        ),
      );
      if (column) map.append(paragraph(text.mapTotal));
      map.append(chartNote());
      sections.push(map);
    }
    sections.push(heading(`${text.table}: ${title}`));
    sections.push(table(chosen, column, indicator, text, lang));
    sections.push(notes);
    sections.push(downloads(chosen, column, indicator, text, lang, state));
    for (const item of drawnCharts) item.disconnect();
    output.replaceChildren(...sections);
    for (const item of charts) item.draw();
    drawnCharts = charts;
    root.dataset.state = encodeState(state);
    root.dataset.renders = String(Number(root.dataset.renders ?? 0) + 1);
  }

  render();
  return root;
}

const SERIES_ORDER = (column) => [
  "totalt",
  ...(column === "fodelseregion" ? ["sverige", "utrikes", "norden", "eu_efta", "ovriga"] : []),
];

function seriesOrder(column, a, b) {
  if (!column) return 0;
  const order = SERIES_ORDER(column);
  const rank = (code) => (order.includes(code) ? order.indexOf(code) : order.length);
  return rank(a[column]) - rank(b[column]) || String(a[column]).localeCompare(String(b[column]));
}

function regionNames(regionTable, geo, text) {
  const names = new Map([["00", text.riket]]);
  for (const feature of geo.lan?.features ?? [])
    names.set(feature.properties.lan_kod, feature.properties.lan);
  for (const feature of geo.kommun?.features ?? [])
    names.set(feature.properties.kommun_kod, feature.properties.kommun);
  for (const row of regionTable) if (row.region !== "00" && row.namn) names.set(row.region, row.namn);
  return names;
}

function paragraph(content) {
  const p = document.createElement("p");
  p.textContent = content;
  return p;
}

function heading(content) {
  const h = document.createElement("h2");
  h.textContent = content;
  return h;
}

function table(rows, column, indicator, text, lang) {
  const wrapper = document.createElement("div");
  wrapper.className = "explorer-table";
  wrapper.tabIndex = 0; // scrollable region reachable by keyboard
  const element = document.createElement("table");
  const head = [text.region, ...(column ? [label(UPPDELNING, column, lang)] : []), text.year, text.value];
  element.innerHTML = `<thead><tr>${head.map((h, i) => `<th${i === head.length - 1 ? ' class="tal"' : ""}>${escapeHtml(h)}</th>`).join("")}</tr></thead>`;
  const body = document.createElement("tbody");
  for (const row of rows) {
    const tr = document.createElement("tr");
    const cells = [
      row.namn,
      ...(column ? [row.serie] : []),
      String(row.ar),
      formatCell(row, { unit: indicator.unit, decimals: indicator.decimals, lang }),
    ];
    cells.forEach((cell, i) => {
      const td = document.createElement("td");
      td.textContent = cell;
      if (i === cells.length - 1) td.className = "tal";
      tr.append(td);
    });
    body.append(tr);
  }
  element.append(body);
  wrapper.append(element);
  return wrapper;
}

function escapeHtml(value) {
  return String(value).replace(
    /[&<>"]/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c],
  );
}

/** The selection as published rows (no decoration), in the order shown. */
function downloadRows(rows, column) {
  return rows.map((row) => ({
    indikator: row.indikator,
    ar: row.ar,
    niva: row.niva,
    region: row.region,
    regionnamn: row.namn,
    ...(column ? { [column]: row[column] } : {}),
    taljare: row.taljare ?? null,
    namnare: row.namnare ?? null,
    varde: row.varde ?? null,
    status: row.status ?? null,
  }));
}

function downloads(rows, column, indicator, text, lang, state) {
  const wrapper = document.createElement("div");
  wrapper.className = "explorer-downloads";
  wrapper.append(heading(text.download));
  const data = downloadRows(rows, column);
  const columns = [
    "indikator",
    "ar",
    "niva",
    "region",
    "regionnamn",
    ...(column ? [column] : []),
    "taljare",
    "namnare",
    "varde",
    "status",
  ];
  const base = [indicator.id, state.niva, column ?? "totalt", `${state.fran}-${state.till}`];
  const button = (labelText, make) => {
    const element = document.createElement("button");
    element.type = "button";
    element.textContent = labelText;
    element.addEventListener("click", async () => {
      const { bytes, type, name } = await make();
      const url = URL.createObjectURL(new Blob([bytes], { type }));
      const link = document.createElement("a");
      link.href = url;
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    });
    return element;
  };
  const csvColumns = columns.map((key) => ({ key, header: key }));
  wrapper.append(
    button(text.csv, () => ({
      bytes: toCsv(data, csvColumns),
      type: "text/csv;charset=utf-8",
      name: downloadName(base, "csv"),
    })),
    button(text.csvExcel, () => ({
      bytes: toCsv(data, csvColumns, { variant: "excel-sv" }),
      type: "text/csv;charset=utf-8",
      name: downloadName([...base, "excel"], "csv"),
    })),
    button(text.jsonstat, () => {
      const regionCodes = [...new Set(rows.map((row) => row.region))];
      const dimensions = [
        {
          id: "region",
          label: text.region,
          role: "geo",
          categories: regionCodes.map((code) => ({
            code,
            label: rows.find((row) => row.region === code).namn,
          })),
        },
        ...(column
          ? [
              {
                id: column,
                label: label(UPPDELNING, column, lang),
                categories: [...new Set(rows.map((row) => row[column]))].map((code) => ({
                  code,
                  label: codeLabel(column, code, lang),
                })),
              },
            ]
          : []),
        {
          id: "ar",
          label: text.year,
          role: "time",
          categories: [...new Set(rows.map((row) => row.ar))]
            .sort((a, b) => a - b)
            .map((year) => ({ code: String(year), label: String(year) })),
        },
      ];
      const dataset = toJsonStat({
        label: `${indicator.label[lang]}, ${label(ENHET, indicator.unit, lang)}`,
        indicator: {
          id: indicator.id,
          label: indicator.label[lang],
          unit: indicator.unit,
          decimals: indicator.decimals,
        },
        source: text.source,
        dimensions,
        rows,
        notes: indicator.footnotes.map((note) => note[lang]),
      });
      return {
        bytes: `${JSON.stringify(dataset, null, 1)}\n`,
        type: "application/json",
        name: downloadName(base, "json"),
      };
    }),
    button(text.parquet, async () => ({
      bytes: await rowsToParquet(
        data,
        columns.map((name) => ({
          name,
          type: name === "ar" ? "int16" : ["taljare", "namnare", "varde"].includes(name) ? "float64" : "utf8",
        })),
      ),
      type: "application/vnd.apache.parquet",
      name: downloadName(base, "parquet"),
    })),
  );
  return wrapper;
}
