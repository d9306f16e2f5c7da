// Selecting cells of a published indicator table (publicering.md) for a chart or a table.

/** Breakdown columns of the `indikatorer/` tables. */
export const BREAKDOWNS: readonly string[] = [
  "kon",
  "alder",
  "fodelseregion",
  "vistelsetid",
  "grund",
  "utbildningsniva",
  "bakgrund",
  "omradestyp",
];

/**
 * The cells split by at most the given breakdowns: `fixed` pins breakdowns to a code (e.g.
 * `{kon: "2"}`), `split` names breakdowns that may take any code; every other breakdown must be
 * `totalt`. Rows are plain objects; the result keeps their order.
 */
export function selectCells<Row extends Record<string, unknown>>(
  rows: readonly Row[],
  { fixed = {}, split = [] }: { fixed?: Record<string, string>; split?: readonly string[] } = {},
): Row[] {
  for (const column of [...Object.keys(fixed), ...split]) {
    if (!BREAKDOWNS.includes(column)) throw new Error(`selectCells: '${column}' is not a breakdown column`);
  }
  return rows.filter((row) =>
    BREAKDOWNS.every((column) => {
      if (column in fixed) return row[column] === fixed[column];
      if (split.includes(column)) return true;
      return row[column] === "totalt";
    }),
  );
}

/** Arrow table (from FileAttachment.parquet() or a DuckDB query) → array of plain objects. */
export function arrowRows(table: Iterable<{ toJSON(): Record<string, unknown> }>): Record<string, unknown>[] {
  return Array.from(table, (row) => row.toJSON());
}
