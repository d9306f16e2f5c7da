// The tables of the SQL console: every published Parquet file gets a table name, and a query loads
// only the tables it names. Pure functions, tested in tests/src/components/.

export interface PublishedTable {
  /** SQL name, e.g. `forvarvsarbetande_kommun`, `segregation_riket`, `omraden`, `regioner`. */
  name: string;
  /** Path in the publication, e.g. `indikatorer/forvarvsarbetande/kommun.parquet`. */
  path: string;
  /** `indikatorer`, `segregation`, `omraden` or `regioner`. */
  group: string;
  rows?: number;
}

/**
 * The table name of a published Parquet file (publication layout of docs/architecture.md), or
 * undefined for a file that is not a table (manifest.json, katalog.json …).
 * - `indikatorer/<id>/<niva>.parquet` → `<id>_<niva>`
 * - `segregation/<niva>.parquet` → `segregation_<niva>`
 * - `omraden/omraden.parquet` → `omraden`; `omraden/<name>.parquet` → `omraden_<name>`
 * - `<name>.parquet` → `<name>` (regioner)
 */
export function tableOf(path: string): Omit<PublishedTable, "rows"> | undefined {
  const parts = path.replace(/\.parquet$/, "").split("/");
  if (!path.endsWith(".parquet") || parts.some((part) => !/^[a-z][a-z0-9_]*$/.test(part))) return undefined;
  if (parts.length === 3 && parts[0] === "indikatorer") {
    return { name: `${parts[1]}_${parts[2]}`, path, group: "indikatorer" };
  }
  if (parts.length === 2 && parts[0] === "omraden") {
    return { name: parts[1] === "omraden" ? "omraden" : `omraden_${parts[1]}`, path, group: "omraden" };
  }
  if (parts.length === 2) return { name: `${parts[0]}_${parts[1]}`, path, group: parts[0] };
  if (parts.length === 1) return { name: parts[0], path, group: parts[0] };
  return undefined;
}

/**
 * The tables of a manifest's outputs (`[{path, rows}]`), sorted by group and name. Two files that
 * would get the same name are an error: a query must never read the wrong one.
 */
export function publishedTables(outputs: unknown): PublishedTable[] {
  if (!Array.isArray(outputs)) return [];
  const byName = new Map<string, PublishedTable>();
  for (const output of outputs as { path?: unknown; rows?: unknown }[]) {
    if (typeof output?.path !== "string") continue;
    const table = tableOf(output.path);
    if (!table) continue;
    const existing = byName.get(table.name);
    if (existing)
      throw new Error(`publishedTables: ${existing.path} and ${table.path} are both '${table.name}'`);
    byName.set(table.name, { ...table, ...(typeof output.rows === "number" ? { rows: output.rows } : {}) });
  }
  const order = ["indikatorer", "segregation", "omraden", "regioner"];
  const rank = (group: string) => (order.includes(group) ? order.indexOf(group) : order.length);
  return [...byName.values()].sort(
    (a, b) => rank(a.group) - rank(b.group) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

/**
 * The names among `names` that a query mentions as identifiers (case-insensitive; a quoted
 * identifier counts, words inside string literals and comments do not), in the order of `names`.
 */
export function tablesInQuery(sql: string, names: readonly string[]): string[] {
  const code = sql
    .replace(/--[^\n]*/g, " ")
    .replace(/\/\*[\s\S]*?\*\//g, " ")
    .replace(/'(?:[^']|'')*'/g, " ");
  const words = new Set(
    Array.from(code.matchAll(/"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_]*)/g), (m) =>
      (m[1] ?? m[2]).replaceAll('""', '"').toLowerCase(),
    ),
  );
  return names.filter((name) => words.has(name.toLowerCase()));
}
