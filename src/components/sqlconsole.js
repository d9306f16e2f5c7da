// The SQL console: a query over the published tables, run in the browser with DuckDB-WASM. Tables are
// loaded lazily: a query loads only the Parquet files of the tables it names (components/sqltables.ts).
// Plain form controls (select, textarea, button), so the console works with the keyboard alone:
// Ctrl+Enter (⌘+Enter) in the text area runs the query.
import { loadTables, openDuckDB } from "./duckdb.js";
import { formatNumber, NBSP } from "./format.js";
import { fetchPublished } from "./publikation.js";
import { tablesInQuery } from "./sqltables.js";

const TEXT = {
  sv: {
    example: "Exempelfråga",
    query: "SQL-fråga",
    run: "Kör frågan",
    hint: "Ctrl+Enter kör frågan. Tabellerna läses in när en fråga nämner dem.",
    loading: (names) => `Läser in ${names.join(", ")} …`,
    running: "Kör …",
    rows: (n, shown) =>
      `${formatNumber(n, 0, "sv")} rader${shown < n ? `, de första ${formatNumber(shown, 0, "sv")} visas` : ""}.`,
    noTable: "Frågan nämner ingen av de publicerade tabellerna nedan.",
    error: "Fel",
  },
  en: {
    example: "Example query",
    query: "SQL query",
    run: "Run query",
    hint: "Ctrl+Enter runs the query. Tables are loaded when a query names them.",
    loading: (names) => `Loading ${names.join(", ")} …`,
    running: "Running …",
    rows: (n, shown) =>
      `${formatNumber(n, 0, "en")} rows${shown < n ? `, the first ${formatNumber(shown, 0, "en")} shown` : ""}.`,
    noTable: "The query names none of the published tables below.",
    error: "Error",
  },
};

/** Rows shown at most; the count says how many the query returned. */
const MAX_ROWS = 500;

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}

/** A value of a result cell as text: numbers with a decimal comma (sv), NULL as `NULL`. */
function cellText(value, lang) {
  if (value == null) return "NULL";
  if (typeof value === "number" || typeof value === "bigint") {
    const text = String(value).replace("-", "\u2212");
    return lang === "sv" ? text.replace(".", ",") : text;
  }
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

function resultTable(table, lang) {
  const fields = table.schema.fields.map((field) => field.name);
  const rows = table.toArray().slice(0, MAX_ROWS);
  const numeric = fields.map((_, i) =>
    rows.some((row) => typeof row[fields[i]] === "number" || typeof row[fields[i]] === "bigint"),
  );
  const head = element(
    "tr",
    {},
    ...fields.map((name, i) =>
      element("th", { scope: "col", ...(numeric[i] ? { class: "tal" } : {}) }, name),
    ),
  );
  const body = rows.map((row) =>
    element(
      "tr",
      {},
      ...fields.map((name, i) =>
        element("td", numeric[i] ? { class: "tal" } : {}, cellText(row[name], lang).replaceAll(" ", NBSP)),
      ),
    ),
  );
  return element(
    "div",
    { class: "tabell-rullning" },
    element("table", { class: "tabell" }, element("thead", {}, head), element("tbody", {}, ...body)),
  );
}

/**
 * The console as one element. `tables`: publishedTables(manifest.outputs); `examples`: [{title, sql}]
 * (the first is shown and run at once, so the page opens with a result).
 */
export function sqlConsole({ tables, examples, lang = "sv" }) {
  const text = TEXT[lang] ?? TEXT.sv;
  const byName = new Map(tables.map((table) => [table.name, table]));
  const loaded = new Set();
  let database;

  const select = element(
    "select",
    { id: "sql-exempel" },
    ...examples.map((example, i) => element("option", { value: String(i) }, example.title)),
  );
  const textarea = element("textarea", { id: "sql-fraga", spellcheck: "false", rows: "9" });
  textarea.value = examples[0]?.sql ?? "";
  const button = element("button", { type: "submit" }, text.run);
  const status = element("p", { id: "sql-status", role: "status", "aria-live": "polite" });
  const output = element("div", { id: "sql-resultat" });
  const form = element(
    "form",
    { class: "sql-konsol" },
    element("p", {}, element("label", { for: "sql-exempel" }, `${text.example} `), select),
    element("label", { for: "sql-fraga" }, text.query),
    textarea,
    element("p", {}, button, ` ${text.hint}`),
    status,
  );

  async function run() {
    const sql = textarea.value;
    output.replaceChildren();
    button.disabled = true;
    try {
      database ??= await openDuckDB();
      const names = tablesInQuery(sql, [...byName.keys()]);
      const missing = names.filter((name) => !loaded.has(name));
      if (names.length === 0) status.textContent = text.noTable;
      if (missing.length > 0) {
        status.textContent = text.loading(missing);
        await loadTables(
          database,
          Object.fromEntries(missing.map((name) => [name, fetchPublished(byName.get(name).path)])),
        );
        for (const name of missing) loaded.add(name);
      }
      status.textContent = text.running;
      const result = await database.query(sql);
      status.textContent = text.rows(result.numRows, Math.min(result.numRows, MAX_ROWS));
      output.replaceChildren(resultTable(result, lang));
    } catch (error) {
      // A wrong query is the analyst's everyday business: say what DuckDB said, without a console error.
      status.textContent = "";
      output.replaceChildren(
        element("p", { class: "sql-fel", role: "alert" }, `${text.error}: ${error?.message ?? error}`),
      );
    } finally {
      button.disabled = false;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  });
  select.addEventListener("change", () => {
    textarea.value = examples[Number(select.value)]?.sql ?? "";
    run();
  });
  if (textarea.value) run();
  return element("div", {}, form, output);
}
