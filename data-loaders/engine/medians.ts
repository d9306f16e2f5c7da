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
import type { Connection } from "../db.ts";
import { copyVector, exec, queryRows, sqlString } from "../db.ts";

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
}

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

/** Reads a query without NULLs into typed arrays of `rows` values (db.ts, `copyVector`). */
async function readColumns(con: Connection, sql: string, rows: number, kinds: readonly Kind[]) {
  const out = kinds.map((k) =>
    k === "f64" ? new Float64Array(rows) : k === "i32" ? new Int32Array(rows) : new Uint8Array(rows),
  );
  const result = await con.run(sql);
  let offset = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    if (offset + n > rows) throw new Error("computeMedianCells: more rows than counted");
    for (let col = 0; col < kinds.length; col++)
      copyVector(chunk.getColumnVector(col), out[col], offset, n, null);
    offset += n;
  }
  if (offset !== rows) throw new Error("computeMedianCells: fewer rows than counted");
  return out;
}

// The hot loops live in small functions of typed arrays so that V8 optimises them.

function fineIdsOf(
  fine: Int32Array,
  exists: Uint8Array,
  ar: Int32Array,
  place: Int32Array,
  places: number,
  val: Int32Array,
  valSize: number,
  kon: Int32Array,
  konSize: number,
): void {
  for (let p = 0; p < fine.length; p++) {
    const f = ((ar[p] * places + place[p]) * valSize + val[p]) * konSize + kon[p];
    fine[p] = f;
    exists[f] = 1;
  }
}

function countInto(count: Float64Array, cond: Uint8Array, fine: Int32Array): void {
  for (let p = 0; p < fine.length; p++) if (cond[p] === 1) count[fine[p]]++;
}

function gather(ids: Int32Array, n: Float64Array, order: Int32Array, fine: Int32Array): void {
  for (let j = 0; j < order.length; j++) {
    const f = fine[order[j]];
    ids[j] = f;
    n[f]++;
  }
}

/** Walks the persons in value order and keeps each group's values at positions loAt and hiAt. */
function walk(
  ids: Int32Array,
  values: Float64Array,
  map: Int32Array,
  loAt: Int32Array,
  hiAt: Int32Array,
  open: number,
  seen: Int32Array,
  lo: Float64Array,
  hi: Float64Array,
): void {
  let remaining = open;
  for (let j = 0; j < ids.length; j++) {
    const g = map[ids[j]];
    const at = seen[g]++;
    if (at === loAt[g]) lo[g] = values[j];
    if (at === hiAt[g]) {
      hi[g] = values[j];
      // Every group has its upper middle value: the rest of the walk cannot change a median.
      if (--remaining === 0) return;
    }
  }
}

/** Computes the median cells of one year's persons in `input` and appends them to `target`. */
export async function computeMedianCells(con: Connection, options: MedianCellsOptions): Promise<void> {
  const { input, target, aggregates } = options;
  const placeColumns = options.groupColumns.filter((c) => c.startsWith("g_"));
  const otherColumns = options.groupColumns.filter((c) => !c.startsWith("g_"));

  // Dictionaries of the non-place columns: distinct non-NULL values coded 0…k-1, NULL coded k,
  // all from one pass over the persons (list_sort orders as ORDER BY does). Each becomes an ENUM
  // type, so that a person's code is a cast, not a join.
  const dicts = new Map<string, Value[]>();
  const enumTypes: string[] = [];
  const [distinct] = await queryRows<Record<string, Value[] | null>>(
    con,
    `SELECT ${otherColumns.map((c, i) => `list_sort(list(DISTINCT ${c}) FILTER (WHERE ${c} IS NOT NULL)) AS d${i}`).join(", ")}
     FROM ${input}`,
  );
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
  const entering = (a: HolisticAggregate) => `(c_${a.alias} AND v_${a.alias} IS NOT NULL)`;
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
  );
  await exec(con, "DROP TABLE rdi_median_places");

  const rowid = columns[0] as Int32Array;
  const place = columns[1] as Int32Array;
  const persons = place.length;
  const personOfRow = new Int32Array(persons);
  for (let p = 0; p < persons; p++) {
    // A fresh table numbers its rows 0…n-1; anything else would mix persons up.
    if (rowid[p] < 0 || rowid[p] >= persons)
      throw new Error(`computeMedianCells: ${coded} has a rowid out of 0…n-1`);
    personOfRow[rowid[p]] = p;
  }
  const codes = new Map(otherColumns.map((c, i) => [c, columns[2 + i] as Int32Array]));
  const conds = aggregates.map((_, k) => columns[2 + otherColumns.length + k] as Uint8Array);
  // Per median: the persons that enter it in value order, and their values in that order.
  const sorted: { order: Int32Array; values: Float64Array }[] = [];
  for (const a of medians) {
    const n = counted[a.alias];
    if (a === primary) {
      // The first n persons read, in order (a plain loop: Int32Array.from with a mapping
      // function took 0.4 s for 10.5 million).
      const order = new Int32Array(n);
      for (let j = 0; j < n; j++) order[j] = j;
      sorted.push({ order, values: (columns.at(-1) as Float64Array).slice(0, n) });
      continue;
    }
    const [rows, values] = (await readColumns(
      con,
      `SELECT rowid::INTEGER, v_${a.alias} FROM ${coded} WHERE ${entering(a)} ORDER BY v_${a.alias}`,
      n,
      ["i32", "f64"],
    )) as [Int32Array, Float64Array];
    const order = new Int32Array(n);
    for (let j = 0; j < n; j++) order[j] = personOfRow[rows[j]];
    sorted.push({ order, values });
  }
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
  const appender = await con.createAppender(target);
  const levelOfColumn = new Map(
    Object.entries(options.regionOf)
      .filter((e): e is [string, string] => e[1] !== null)
      .map(([level, column]) => [column, level]),
  );
  const places = placeRows.length;
  const arCodes = codes.get("ar") as Int32Array;
  const konCodes = codes.get("b_kon") as Int32Array;
  const arSize = (dicts.get("ar") as Value[]).length;
  const konSize = (dicts.get("b_kon") as Value[]).length;
  const fine = new Int32Array(persons);
  let zeros: Int32Array | null = null;

  for (const { dim, sets } of options.dimensions) {
    if (sets.length === 0) continue;
    const valColumn = dim === "none" ? null : dim === "omradestyp" ? "g_omradestyp" : `b_${dim}`;
    // The value is a fine-id component unless it is a place column (then the place carries it).
    const valCodes =
      valColumn !== null && !valColumn.startsWith("g_") ? (codes.get(valColumn) as Int32Array) : null;
    const valSize = valCodes === null ? 1 : (dicts.get(valColumn as string) as Value[]).length;
    // fine = ((ar × places + place) × values + value) × kön + kön
    const fines = arSize * places * valSize * konSize;
    if (fines > 2 ** 31 - 1) throw new Error("computeMedianCells: too many fine cells");
    const existsF = new Uint8Array(fines);
    const countsF = aggregates.map((a) => (a.fn === "count" ? new Float64Array(fines) : null));
    if (valCodes === null && zeros === null) zeros = new Int32Array(persons);
    fineIdsOf(
      fine,
      existsF,
      arCodes,
      place,
      places,
      valCodes ?? (zeros as Int32Array),
      valSize,
      konCodes,
      konSize,
    );
    for (const [k, count] of countsF.entries()) if (count !== null) countInto(count, conds[k], fine);
    // Per median: the fine ids in value order and the count per fine id.
    const sortedFine = sorted.map(({ order }) => {
      const ids = new Int32Array(order.length);
      const n = new Float64Array(fines);
      gather(ids, n, order, fine);
      return { ids, n };
    });
    // The fine ids that occur, and per column the code of each (place columns via the place).
    let present = 0;
    for (let f = 0; f < fines; f++) present += existsF[f];
    const fineIds = new Int32Array(present);
    for (let f = 0, e = 0; f < fines; f++) if (existsF[f] === 1) fineIds[e++] = f;
    const componentCodes = new Map<string, Int32Array>();
    const columnsOfDim = [...new Set(sets.flat())];
    for (const column of columnsOfDim) componentCodes.set(column, new Int32Array(present));
    for (let e = 0; e < present; e++) {
      const f = fineIds[e];
      const kon = f % konSize;
      const rest = (f - kon) / konSize;
      const val = rest % valSize;
      const rest2 = (rest - val) / valSize;
      const pl = rest2 % places;
      const ar = (rest2 - pl) / places;
      for (const column of columnsOfDim) {
        const target = componentCodes.get(column) as Int32Array;
        if (column === "ar") target[e] = ar;
        else if (column === "b_kon") target[e] = kon;
        else if (column.startsWith("g_")) target[e] = (placeCode.get(column) as Int32Array)[pl];
        else if (column === valColumn) target[e] = val;
        else throw new Error(`computeMedianCells: ${column} is not in dimension ${dim}`);
      }
    }
    const map = new Int32Array(fines);

    for (const set of sets) {
      const strides: number[] = [];
      let groups = 1;
      for (const c of set) {
        strides.push(groups);
        groups *= (dicts.get(c) as Value[]).length;
      }
      if (groups > 2 ** 31 - 1) throw new Error("computeMedianCells: too many groups in one grouping set");
      // Fine id → group id, and the additive parts rolled up.
      const groupOf = new Int32Array(present);
      for (const [s, c] of set.entries()) {
        const codesOfColumn = componentCodes.get(c) as Int32Array;
        const stride = strides[s];
        for (let e = 0; e < present; e++) groupOf[e] += codesOfColumn[e] * stride;
      }
      const exists = new Uint8Array(groups);
      for (let e = 0; e < present; e++) {
        map[fineIds[e]] = groupOf[e];
        exists[groupOf[e]] = 1;
      }
      const counts = countsF.map((c) => {
        if (c === null) return null;
        const rolled = new Float64Array(groups);
        for (let e = 0; e < present; e++) rolled[groupOf[e]] += c[fineIds[e]];
        return rolled;
      });
      // One walk in value order per median: positions floor((n-1)/2) and ceil((n-1)/2).
      const middles = sortedFine.map(({ ids, n: nF }, m) => {
        const size = new Float64Array(groups);
        for (let e = 0; e < present; e++) size[groupOf[e]] += nF[fineIds[e]];
        const loAt = new Int32Array(groups);
        const hiAt = new Int32Array(groups);
        let open = 0;
        for (let g = 0; g < groups; g++) {
          loAt[g] = Math.floor((size[g] - 1) / 2);
          hiAt[g] = Math.floor(size[g] / 2);
          if (size[g] > 0) open++;
        }
        const seen = new Int32Array(groups);
        const lo = new Float64Array(groups);
        const hi = new Float64Array(groups);
        walk(ids, sorted[m].values, map, loAt, hiAt, open, seen, lo, hi);
        return { size, lo, hi };
      });

      const level = set.map((c) => levelOfColumn.get(c)).find((l) => l !== undefined) ?? "riket";
      const regionColumn = options.regionOf[level];
      const decode = (g: number, column: string): Value => {
        const s = set.indexOf(column);
        const dict = dicts.get(column) as Value[];
        return dict[Math.floor(g / strides[s]) % dict.length];
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
        for (const [k, a] of aggregates.entries()) {
          if (a.fn === "count") {
            appender.appendBigInt(BigInt((counts[k] as Float64Array)[g]));
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

async function tableExists(con: Connection, name: string): Promise<boolean> {
  const rows = await queryRows<{ n: number }>(
    con,
    `SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = '${name.replaceAll("'", "''")}'`,
  );
  return rows[0].n > 0;
}
