/**
 * Exact medians (and the person counts that go with them) for every grouping set of the
 * indicator engine, computed over typed arrays instead of DuckDB's holistic `quantile_cont` over
 * GROUPING SETS, which collects and sorts every person's value again per set (41 s per year at
 * full scale for ekonomi).
 *
 * The persons are coded once into a narrow table of numbers: the place (the tuple of g_* region
 * columns), ar, kön and each background column as small dictionary codes (ENUM casts), and each
 * aggregate's condition. That table is read once in the value order of the median most of them
 * enter; each further median's persons come from one
 * plain ORDER BY (DuckDB sorts once per median; a window over the join sorted 3–5 times slower,
 * and reading the persons in value order keeps the hot loops sequential in memory). Per cell
 * dimension every person gets a "fine" id (ar × place × value × kön); existence and counts are
 * additive and roll up from the fine ids, and per grouping set one walk over the persons in value
 * order, through a fine id → group map, picks each group's two middle values. The result equals
 * `quantile_cont(v, 0.5) FILTER (WHERE c)` bit for bit: DuckDB returns the middle value for an
 * odd count and `lo * 0.5 + hi * 0.5` of the values at floor((n-1)/2) and ceil((n-1)/2) for an
 * even one, and NULL for no value.
 */
import { availableParallelism } from "node:os";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Worker } from "node:worker_threads";
import type { Connection } from "../db.ts";
import { exec, queryRows, queryTyped, sqlString, type TypedColumn, tableExists, typedArray } from "../db.ts";
import {
  type MedianPersons,
  medianWalker,
  type SetCells,
  splitDimensions,
  valueColumn,
} from "./median-walks.ts";

/** One holistic aggregate: a median of `v_<alias>` or a count, both over persons with `c_<alias>`. */
export interface HolisticAggregate {
  alias: string;
  fn: "median" | "count";
}

export interface MedianCellsOptions {
  /** The persons: a table, or a subquery in parentheses, with the group columns, `c_<alias>`
   * (BOOLEAN) and `v_<alias>` (DOUBLE). Read three times: dictionaries, places, the coded copy. */
  input: string;
  /** Target table; created when missing (the columns of the SQL roll-up: ar … val, then the aliases). */
  target: string;
  /** Group columns present in `input`: ar, the g_* place columns, b_kon and b_* background columns. */
  groupColumns: string[];
  aggregates: HolisticAggregate[];
  /** Per cell dimension, its grouping sets (compute.ts groupingSets). */
  dimensions: { dim: string; sets: string[][] }[];
  /** Region column of each geographic level (null for riket). */
  regionOf: Record<string, string | null>;
  /** Threads (default every core); from two, half of the dimensions go to a second thread. */
  threads?: number;
  /** Persons from which the second thread is used (default PARALLEL_PERSONS). */
  parallelFrom?: number;
}

/**
 * Persons from which half of the dimensions go to a second thread: starting it costs about half a
 * second (while DuckDB sorts), and the dimensions take about 11 s for the 10.5 million persons of a
 * full-scale year on one thread.
 */
export const PARALLEL_PERSONS = 500_000;

type Value = string | number | null;

const UPPER = new Set(["riket", "lan", "kommun"]);

/** The median of a group from its two middle values, as DuckDB's quantile_cont(…, 0.5). */
export function interpolateMedian(lo: number, hi: number, n: number): number {
  if (n % 2 === 1) return lo;
  // DuckDB's weighting, not (lo + hi) / 2 nor lo + (hi - lo) / 2: those differ in the last bit
  // for some pairs (0.1 and 0.7 give 0.39999999999999997 here, 0.4 with the latter).
  return lo * 0.5 + hi * 0.5;
}

type Kind = "f64" | "i32" | "u8";

/** Where the persons' arrays are allocated: in shared memory when a median thread reads them. */
type Memory = (kind: Kind, length: number) => TypedColumn;

/** Whether a person enters a median: its condition holds and it has a value. */
const entering = (a: HolisticAggregate) => `(c_${a.alias} AND v_${a.alias} IS NOT NULL)`;

const sharedMemory: Memory = (kind, length) => typedArray(kind, length, true);

/**
 * A full collection of this thread's garbage. V8 collects SharedArrayBuffers late: without it, a
 * year's 650 MB of persons' arrays were often still held while the next year's indicators ran
 * (peak RSS 8.0 against 7.2 GB over three years' medians at full scale). Node exposes `gc` only
 * behind a V8 flag, which can be set at run time (as Jest does to find leaks).
 */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

/** Reads a query without NULLs into typed arrays of `rows` values (db.ts `queryTyped`). */
async function readColumns(
  con: Connection,
  sql: string,
  rows: number,
  kinds: readonly Kind[],
  memory: Memory,
) {
  const out = await queryTyped(con, sql, kinds, { noNulls: true, allocate: memory, release: true });
  if (out[0].length !== rows)
    throw new Error(`computeMedianCells: ${out[0].length} rows read where ${rows} were counted`);
  return out;
}

/** Computes the median cells of one year's persons in `input` and appends them to `target`. */
export async function computeMedianCells(con: Connection, options: MedianCellsOptions): Promise<void> {
  const otherColumns = options.groupColumns.filter((c) => !c.startsWith("g_"));
  // Dictionaries of the non-place columns: distinct non-NULL values coded 0…k-1, NULL coded k,
  // all from one pass over the persons (list_sort orders as ORDER BY does).
  const [distinct] = await queryRows<Record<string, Value[] | null> & { persons: number }>(
    con,
    `SELECT ${otherColumns.map((c, i) => `list_sort(list(DISTINCT ${c}) FILTER (WHERE ${c} IS NOT NULL)) AS d${i}`).join(", ")},
            count(*)::DOUBLE AS persons
     FROM ${options.input}`,
  );
  // A thread for half of the dimensions starts now, while DuckDB codes and sorts the persons.
  const dimensions = options.dimensions.filter((d) => d.sets.length > 0);
  const thread =
    distinct.persons >= (options.parallelFrom ?? PARALLEL_PERSONS) &&
    (options.threads ?? availableParallelism()) >= 2 &&
    dimensions.length >= 2
      ? new Worker(new URL("../typescript-worker.mjs", import.meta.url), {
          workerData: { entry: new URL("./median-worker.ts", import.meta.url).href },
        })
      : null;
  try {
    await computeCells(con, options, dimensions, distinct, thread, thread ? sharedMemory : typedArray);
  } finally {
    await thread?.terminate();
    // The persons' arrays are garbage now; shared, they would otherwise outlive the next stages.
    if (thread) collectGarbage();
  }
}

/** computeMedianCells once the persons are counted and the thread, if any, started. */
async function computeCells(
  con: Connection,
  options: MedianCellsOptions,
  dimensions: MedianCellsOptions["dimensions"],
  distinct: Record<string, Value[] | null>,
  thread: Worker | null,
  memory: Memory,
): Promise<void> {
  const { input, target, aggregates } = options;
  const placeColumns = options.groupColumns.filter((c) => c.startsWith("g_"));
  const otherColumns = options.groupColumns.filter((c) => !c.startsWith("g_"));
  // Each dictionary becomes an ENUM type, so that a person's code is a cast, not a join.
  const dicts = new Map<string, Value[]>();
  const enumTypes: string[] = [];
  for (const [i, column] of otherColumns.entries()) {
    const values = distinct[`d${i}`] ?? [];
    dicts.set(column, [...values, null]);
    const type = `rdi_median_enum_${i}`;
    enumTypes.push(type);
    await exec(
      con,
      `DROP TYPE IF EXISTS ${type}; CREATE TYPE ${type} AS ENUM (${values.map((v) => sqlString(String(v))).join(", ")})`,
    );
  }
  // Places: the distinct tuples of the place columns (NULLs included), coded 0…P-1.
  await exec(
    con,
    `CREATE OR REPLACE TEMP TABLE rdi_median_places AS
     SELECT *, (row_number() OVER (ORDER BY ${placeColumns.join(", ")}) - 1)::INTEGER AS code
     FROM (SELECT DISTINCT ${placeColumns.join(", ")} FROM ${input})`,
  );
  // The persons once more, coded: the place's code and each column's ENUM code instead of their
  // values. Every later read is of this narrow table of numbers (writing the persons' strings
  // to a table cost 6–7 s a full-scale year).
  const coded = "rdi_median_coded";
  await exec(
    con,
    `CREATE OR REPLACE TEMP TABLE ${coded} AS
     SELECT pl.code AS place,
            ${otherColumns.map((c, i) => `enum_code(i.${c}::VARCHAR::${enumTypes[i]}) AS ${c}`).join(", ")},
            ${aggregates.map((a) => `i.c_${a.alias}`).join(", ")}
            ${aggregates.flatMap((a) => (a.fn === "median" ? [`, i.v_${a.alias}`] : [])).join("")}
     FROM ${input} i
     JOIN rdi_median_places pl ON ${placeColumns.map((c) => `pl.${c} IS NOT DISTINCT FROM i.${c}`).join(" AND ")}`,
  );
  const placeRows = await queryRows<Record<string, Value>>(
    con,
    `SELECT ${placeColumns.join(", ")} FROM rdi_median_places ORDER BY code`,
  );
  // Each place column's own dictionary, and each place's code in it.
  const placeCode = new Map<string, Int32Array>();
  for (const column of placeColumns) {
    const values = [...new Set(placeRows.map((r) => r[column]).filter((v) => v !== null))].sort();
    const dict: Value[] = [...values, null];
    const index = new Map(dict.map((v, i) => [v, i]));
    dicts.set(column, dict);
    placeCode.set(
      column,
      Int32Array.from(placeRows, (r) => index.get(r[column]) as number),
    );
  }

  // Per median, how many persons enter it (condition true, value not NULL).
  const medians = aggregates.filter((a) => a.fn === "median");
  const [counted] = await queryRows<Record<string, number>>(
    con,
    `SELECT ${["count(*)::INTEGER AS n", ...medians.map((a) => `count(*) FILTER (WHERE ${entering(a)})::INTEGER AS ${a.alias}`)].join(", ")}
     FROM ${coded}`,
  );
  // The persons, read in the value order of the median most of them enter (so that its walks
  // and the fine ids of that order run through memory in sequence); `rowid` links them to the
  // value orders of the other medians.
  const primary = medians.reduce<HolisticAggregate | null>(
    (best, a) => (best === null || counted[a.alias] > counted[best.alias] ? a : best),
    null,
  );
  const kinds: Kind[] = ["i32", "i32"];
  const selects = ["rowid::INTEGER", "place"];
  for (const column of otherColumns) {
    const size = (dicts.get(column) as Value[]).length;
    selects.push(`coalesce(${column}::INTEGER, ${size - 1})`);
    kinds.push("i32");
  }
  for (const a of aggregates) {
    selects.push(`c_${a.alias}::UTINYINT`);
    kinds.push("u8");
  }
  if (primary !== null) {
    selects.push(`coalesce(v_${primary.alias}, 0)`);
    kinds.push("f64");
  }
  const columns = await readColumns(
    con,
    `SELECT ${selects.join(", ")} FROM ${coded}
     ${primary === null ? "" : `ORDER BY ${entering(primary)} DESC, v_${primary.alias}`}`,
    counted.n,
    kinds,
    memory,
  );
  await exec(con, "DROP TABLE rdi_median_places");

  // The row ids leave `columns`, so that they and the map built from them are garbage once the
  // medians' orders are (84 MB at full scale, held through the walks before).
  const rowid = columns.shift() as Int32Array;
  const place = columns[0] as Int32Array;
  const codes = new Map(otherColumns.map((c, i) => [c, columns[1 + i] as Int32Array]));
  const conds = aggregates.map((_, k) => columns[1 + otherColumns.length + k] as Uint8Array);
  const sorted = await medianOrders(con, coded, medians, primary, counted, rowid, columns.at(-1), memory);
  await exec(con, `DROP TABLE ${coded}`);
  for (const type of enumTypes) await exec(con, `DROP TYPE ${type}`);

  if (!(await tableExists(con, target))) {
    const aggColumns = aggregates.map((a) => `${a.alias} ${a.fn === "median" ? "DOUBLE" : "BIGINT"}`);
    await exec(
      con,
      `CREATE TABLE ${target} (ar SMALLINT, niva VARCHAR, region VARCHAR, kon VARCHAR, dim VARCHAR, val VARCHAR,
         ${aggColumns.join(", ")})`,
    );
  }
  // The cells of each dimension: half of the dimensions on the thread (the persons' arrays are
  // shared, not copied), the other half here meanwhile; the rows are appended in dimension order.
  const byPerson: MedianPersons = {
    places: placeRows.length,
    place,
    codes,
    dictSize: new Map([...dicts].map(([column, dict]) => [column, dict.length])),
    placeCode,
    isCount: aggregates.map((a) => a.fn === "count"),
    conds,
    sorted,
  };
  const [here, there] = thread ? splitDimensions(dimensions) : [dimensions.map((_, k) => k), []];
  const elsewhere = thread
    ? onThread(
        thread,
        byPerson,
        there.map((k) => dimensions[k]),
      )
    : null;
  const cellsOf = medianWalker(byPerson);
  const cells = new Map<number, SetCells[]>(
    here.map((k) => [k, cellsOf(dimensions[k].dim, dimensions[k].sets)]),
  );
  if (elsewhere) for (const [i, c] of (await elsewhere).entries()) cells.set(there[i], c);

  const appender = await con.createAppender(target);
  const levelOfColumn = new Map(
    Object.entries(options.regionOf)
      .filter((e): e is [string, string] => e[1] !== null)
      .map(([level, column]) => [column, level]),
  );
  for (const [k, { dim, sets }] of dimensions.entries()) {
    const valColumn = valueColumn(dim);
    for (const [s, set] of sets.entries()) {
      const { strides, groups, exists, counts, middles } = (cells.get(k) as SetCells[])[s];
      const level = set.map((c) => levelOfColumn.get(c)).find((l) => l !== undefined) ?? "riket";
      const regionColumn = options.regionOf[level];
      const decode = (g: number, column: string): Value => {
        const at = set.indexOf(column);
        const dict = dicts.get(column) as Value[];
        return dict[Math.floor(g / strides[at]) % dict.length];
      };
      for (let g = 0; g < groups; g++) {
        if (exists[g] === 0) continue;
        const region = regionColumn === null ? "00" : decode(g, regionColumn);
        const kon = set.includes("b_kon") ? decode(g, "b_kon") : "totalt";
        const val = valColumn === null ? null : decode(g, valColumn);
        // The cells the SQL roll-up keeps (compute.ts cellsSql).
        if (kon === null || region === null) continue;
        if (valColumn !== null && val === null) continue;
        if (dim === "inrikes_utrikes" && UPPER.has(level) && val === "sverige") continue;
        const ar = decode(g, "ar");
        if (ar === null) appender.appendNull();
        else appender.appendSmallInt(Number(ar));
        appender.appendVarchar(level);
        appender.appendVarchar(String(region));
        appender.appendVarchar(String(kon));
        appender.appendVarchar(dim);
        if (val === null) appender.appendNull();
        else appender.appendVarchar(String(val));
        let m = 0;
        for (const [a, aggregate] of aggregates.entries()) {
          if (aggregate.fn === "count") {
            appender.appendBigInt(BigInt((counts[a] as Float64Array)[g]));
            continue;
          }
          const { size, lo, hi } = middles[m++];
          if (size[g] === 0) appender.appendNull();
          else appender.appendDouble(interpolateMedian(lo[g], hi[g], size[g]));
        }
        appender.endRow();
      }
    }
  }
  appender.closeSync();
}

/**
 * Per median: the persons that enter it in value order, and their values in that order. The first
 * `counted[primary]` persons as read are the primary's, with their values in `primaryValues`.
 */
async function medianOrders(
  con: Connection,
  coded: string,
  medians: HolisticAggregate[],
  primary: HolisticAggregate | null,
  counted: Record<string, number>,
  rowid: Int32Array,
  primaryValues: TypedColumn | undefined,
  memory: Memory,
): Promise<MedianPersons["sorted"]> {
  const persons = rowid.length;
  const personOfRow = new Int32Array(persons);
  for (let p = 0; p < persons; p++) {
    // A fresh table numbers its rows 0…n-1; anything else would mix persons up.
    if (rowid[p] < 0 || rowid[p] >= persons)
      throw new Error(`computeMedianCells: ${coded} has a rowid out of 0…n-1`);
    personOfRow[rowid[p]] = p;
  }
  const sorted: MedianPersons["sorted"] = [];
  for (const a of medians) {
    const n = counted[a.alias];
    if (a === primary) {
      // The first n persons read, in order: no order array needed.
      sorted.push({ order: null, values: (primaryValues as Float64Array).subarray(0, n) });
      continue;
    }
    const [rows, values] = (await readColumns(
      con,
      `SELECT rowid::INTEGER, v_${a.alias} FROM ${coded} WHERE ${entering(a)} ORDER BY v_${a.alias}`,
      n,
      ["i32", "f64"],
      memory,
    )) as [Int32Array, Float64Array];
    const order = memory("i32", n) as Int32Array;
    for (let j = 0; j < n; j++) order[j] = personOfRow[rows[j]];
    sorted.push({ order, values });
  }
  return sorted;
}

/** The cells of `dimensions` computed on the median thread (median-worker.ts). */
function onThread(
  thread: Worker,
  persons: MedianPersons,
  dimensions: MedianCellsOptions["dimensions"],
): Promise<SetCells[][]> {
  const result = new Promise<SetCells[][]>((resolve, reject) => {
    thread.once("message", resolve);
    thread.once("error", reject);
    thread.once("exit", (code) =>
      reject(new Error(`computeMedianCells: the median thread stopped with code ${code}`)),
    );
  });
  // Awaited only after this thread's half: should that fail first, the thread's failure must not
  // surface on its own as an unhandled rejection.
  result.catch(() => undefined);
  thread.postMessage({ persons, dimensions });
  return result;
}
