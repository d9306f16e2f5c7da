// Writers for the explorer's downloads: CSV (comma and decimal point, or the Swedish-Excel variant
// with semicolon and decimal comma; both UTF-8 with BOM) and JSON-stat 2.0 as SCB's PxWebApi 2 gives
// it. Pure functions (tested in tests/src/components/); Parquet is written in the browser
// (components/explorer/parquet.js).

export type CsvVariant = "standard" | "excel-sv";

/** A column of a CSV file: the row key and the header text. */
export interface CsvColumn {
  key: string;
  header: string;
}

const BOM = "\ufeff";

/**
 * A CSV file as text: BOM, header line, one line per row, CRLF line ends (RFC 4180). Numbers are
 * written with all their digits (`12.5`, or `12,5` in the `excel-sv` variant); null is an empty field.
 * A text field that holds `,`, `;`, a quote or a line break is quoted, quotes doubled.
 */
export function toCsv(
  rows: readonly Record<string, unknown>[],
  columns: readonly CsvColumn[],
  { variant = "standard" }: { variant?: CsvVariant } = {},
): string {
  const separator = variant === "excel-sv" ? ";" : ",";
  const field = (value: unknown): string => {
    if (value == null) return "";
    // A number never holds the separator: the decimal comma only appears with `;` as separator.
    if (typeof value === "number") {
      if (!Number.isFinite(value)) return "";
      return variant === "excel-sv" ? String(value).replace(".", ",") : String(value);
    }
    // Text with either separator is quoted in both variants, so a file opens the same everywhere.
    const text = String(value);
    return /[",;\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [columns.map((column) => field(column.header)).join(separator)];
  for (const row of rows) lines.push(columns.map((column) => field(row[column.key])).join(separator));
  return `${BOM}${lines.join("\r\n")}\r\n`;
}

/** A dimension of a JSON-stat dataset: the row key it is read from and its categories in order. */
export interface JsonStatDimension {
  id: string;
  label: string;
  role?: "time" | "geo";
  categories: readonly { code: string; label: string }[];
}

export interface JsonStatInput {
  /** Dataset label, e.g. "Förvärvsarbetande, procent". */
  label: string;
  /** The indicator: the single category of the metric dimension `ContentsCode`. */
  indicator: { id: string; label: string; unit: string; decimals: number };
  source: string;
  dimensions: readonly JsonStatDimension[];
  rows: readonly Record<string, unknown>[];
  /** Footnotes (JSON-stat `note`). */
  notes?: readonly string[];
}

export interface JsonStatDataset {
  version: "2.0";
  class: "dataset";
  label: string;
  source: string;
  note?: string[];
  id: string[];
  size: number[];
  role: { time: string[]; geo: string[]; metric: string[] };
  dimension: Record<
    string,
    {
      label: string;
      category: {
        index: Record<string, number>;
        label: Record<string, string>;
        unit?: Record<string, { label: string; decimals: number }>;
      };
      extension?: Record<string, unknown>;
    }
  >;
  value: (number | null)[];
  status: Record<string, string>;
  extension: { px: { decimals: number }; enhet: string };
}

/**
 * A JSON-stat 2.0 dataset of published cells. The dimensions are those given (in that order) and a
 * last metric dimension `ContentsCode` with the indicator; `value` is in row-major order (the last
 * dimension varies fastest). A cell with status `..` (suppressed) or `.` (not available) has value
 * null and its status in the sparse `status` object; a combination without a row is `.`.
 */
export function toJsonStat(input: JsonStatInput): JsonStatDataset {
  const dimensions = input.dimensions;
  const sizes = dimensions.map((dimension) => dimension.categories.length);
  const total = sizes.reduce((product, size) => product * size, 1);
  const positions = dimensions.map(
    (dimension) => new Map(dimension.categories.map((category, index) => [category.code, index])),
  );
  const value: (number | null)[] = new Array(total).fill(null);
  const filled: boolean[] = new Array(total).fill(false);
  const status: Record<string, string> = {};
  for (const row of input.rows) {
    let index = 0;
    for (let d = 0; d < dimensions.length; d++) {
      const position = positions[d].get(String(row[dimensions[d].id]));
      if (position === undefined) {
        throw new Error(
          `toJsonStat: '${row[dimensions[d].id]}' is not a category of dimension ${dimensions[d].id}`,
        );
      }
      index = index * sizes[d] + position;
    }
    if (filled[index]) throw new Error(`toJsonStat: two rows for the same cell (value index ${index})`);
    filled[index] = true;
    const rowStatus = row.status == null ? null : String(row.status);
    const rowValue = typeof row.varde === "number" && Number.isFinite(row.varde) ? row.varde : null;
    value[index] = rowStatus == null ? rowValue : null;
    if (rowStatus != null) status[String(index)] = rowStatus;
    else if (rowValue == null) status[String(index)] = ".";
  }
  for (let index = 0; index < total; index++) if (!filled[index]) status[String(index)] = ".";

  const dimension: JsonStatDataset["dimension"] = {};
  for (const d of dimensions) {
    dimension[d.id] = {
      label: d.label,
      category: {
        index: Object.fromEntries(d.categories.map((category, index) => [category.code, index])),
        label: Object.fromEntries(d.categories.map((category) => [category.code, category.label])),
      },
    };
  }
  const { indicator } = input;
  dimension.ContentsCode = {
    label: "tabellinnehåll",
    category: {
      index: { [indicator.id]: 0 },
      label: { [indicator.id]: indicator.label },
      unit: { [indicator.id]: { label: indicator.unit, decimals: indicator.decimals } },
    },
  };
  // Status keys in numeric order, so that the same cells always give the same text.
  const sortedStatus = Object.fromEntries(Object.entries(status).sort(([a], [b]) => Number(a) - Number(b)));
  return {
    version: "2.0",
    class: "dataset",
    label: input.label,
    source: input.source,
    ...(input.notes && input.notes.length > 0 ? { note: [...input.notes] } : {}),
    id: [...dimensions.map((d) => d.id), "ContentsCode"],
    size: [...sizes, 1],
    role: {
      time: dimensions.filter((d) => d.role === "time").map((d) => d.id),
      geo: dimensions.filter((d) => d.role === "geo").map((d) => d.id),
      metric: ["ContentsCode"],
    },
    dimension,
    value,
    status: sortedStatus,
    extension: { px: { decimals: indicator.decimals }, enhet: indicator.unit },
  };
}

/** A file name safe on every system: `forvarvsarbetande_lan_2019-2023.csv`. */
export function downloadName(parts: readonly (string | number)[], extension: string): string {
  const base = parts
    .map((part) => String(part).replace(/[^A-Za-z0-9_-]+/g, "-"))
    .filter((part) => part !== "")
    .join("_");
  return `${base}.${extension}`;
}
