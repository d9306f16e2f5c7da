/**
 * The typed-array half of medians.ts: given the persons coded and in value order, the cells of one
 * cell dimension (every grouping set: existence, counts and each median's two middle values). No
 * DuckDB, so that a worker thread (median-worker.ts) can take some of the dimensions; the persons'
 * arrays then live in shared memory and are not copied.
 */

/** The persons of one computeMedianCells call, as medians.ts reads them. */
export interface MedianPersons {
  places: number;
  /** Per person, the code of its place (the tuple of g_* columns). */
  place: Int32Array;
  /** Per non-place group column (ar, b_kon, b_* …), each person's code in its dictionary. */
  codes: Map<string, Int32Array>;
  /** Per group column, place columns too, the size of its dictionary (NULL included, last). */
  dictSize: Map<string, number>;
  /** Per place column, each place's code in that column's dictionary. */
  placeCode: Map<string, Int32Array>;
  /** Per aggregate, whether it is a count (else a median). */
  isCount: boolean[];
  /** Per aggregate, each person's condition (0 or 1). */
  conds: Uint8Array[];
  /**
   * Per median: the persons that enter it in value order (null for the median the persons are
   * read in the order of: its persons are the first n, in order), and their values in that order.
   */
  sorted: { order: Int32Array | null; values: Float64Array }[];
}

/** The cells of one grouping set: group g's column codes are ⌊g / strides[s]⌋ mod size. */
export interface SetCells {
  strides: number[];
  groups: number;
  exists: Uint8Array;
  /** Per aggregate: the count per group for a count, null for a median. */
  counts: (Float64Array | null)[];
  /** Per median: persons entering it, and the values at ⌊(n−1)/2⌋ and ⌊n/2⌋, per group. */
  middles: { size: Float64Array; lo: Float64Array; hi: Float64Array }[];
}

/** The column of a cell dimension's value: none for `none`, the place column for områdestyp. */
export function valueColumn(dim: string): string | null {
  return dim === "none" ? null : dim === "omradestyp" ? "g_omradestyp" : `b_${dim}`;
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

/** fineIdsOf for a dimension without a value of its own (none, or one the place carries). */
function fineIdsWithoutValue(
  fine: Int32Array,
  exists: Uint8Array,
  ar: Int32Array,
  place: Int32Array,
  places: number,
  kon: Int32Array,
  konSize: number,
): void {
  for (let p = 0; p < fine.length; p++) {
    const f = (ar[p] * places + place[p]) * konSize + kon[p];
    fine[p] = f;
    exists[f] = 1;
  }
}

function countInto(count: Float64Array, cond: Uint8Array, fine: Int32Array): void {
  for (let p = 0; p < fine.length; p++) if (cond[p] === 1) count[fine[p]]++;
}

function countFirst(n: Float64Array, fine: Int32Array, persons: number): void {
  for (let j = 0; j < persons; j++) n[fine[j]]++;
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

/**
 * The cells of cell dimensions over `p`, one dimension per call. Per dimension every person gets
 * a "fine" id (ar × place × value × kön); existence and counts are additive and roll up from the
 * fine ids, and per grouping set one walk over the persons in value order, through a fine id →
 * group map, picks each group's two middle values.
 */
export function medianWalker(p: MedianPersons): (dim: string, sets: string[][]) => SetCells[] {
  const persons = p.place.length;
  const fine = new Int32Array(persons);
  const arCodes = p.codes.get("ar") as Int32Array;
  const konCodes = p.codes.get("b_kon") as Int32Array;
  const arSize = p.dictSize.get("ar") as number;
  const konSize = p.dictSize.get("b_kon") as number;
  const { places } = p;

  return (dim, sets) => {
    const valColumn = valueColumn(dim);
    // The value is a fine-id component unless it is a place column (then the place carries it).
    const valCodes =
      valColumn !== null && !valColumn.startsWith("g_") ? (p.codes.get(valColumn) as Int32Array) : null;
    const valSize = valCodes === null ? 1 : (p.dictSize.get(valColumn as string) as number);
    // fine = ((ar × places + place) × values + value) × kön + kön
    const fines = arSize * places * valSize * konSize;
    if (fines > 2 ** 31 - 1) throw new Error("computeMedianCells: too many fine cells");
    const existsF = new Uint8Array(fines);
    const countsF = p.isCount.map((isCount) => (isCount ? new Float64Array(fines) : null));
    if (valCodes === null) fineIdsWithoutValue(fine, existsF, arCodes, p.place, places, konCodes, konSize);
    else fineIdsOf(fine, existsF, arCodes, p.place, places, valCodes, valSize, konCodes, konSize);
    for (const [k, count] of countsF.entries()) if (count !== null) countInto(count, p.conds[k], fine);
    // Per median: the fine ids in value order and the count per fine id.
    const sortedFine = p.sorted.map(({ order, values }) => {
      const n = new Float64Array(fines);
      if (order === null) {
        // The first persons in order: their fine ids as they are, no copy.
        countFirst(n, fine, values.length);
        return { ids: fine.subarray(0, values.length), n };
      }
      const ids = new Int32Array(order.length);
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
        else if (column.startsWith("g_")) target[e] = (p.placeCode.get(column) as Int32Array)[pl];
        else if (column === valColumn) target[e] = val;
        else throw new Error(`computeMedianCells: ${column} is not in dimension ${dim}`);
      }
    }
    const map = new Int32Array(fines);

    return sets.map((set) => {
      const strides: number[] = [];
      let groups = 1;
      for (const c of set) {
        strides.push(groups);
        groups *= p.dictSize.get(c) as number;
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
        walk(ids, p.sorted[m].values, map, loAt, hiAt, open, seen, lo, hi);
        return { size, lo, hi };
      });
      return { strides, groups, exists, counts, middles };
    });
  };
}

/**
 * The dimensions split in two for two threads, about equal in work: each costs a pass over the
 * persons for its fine ids (about as much as six walks) and a walk per grouping set per median.
 * Returns the indices of each part, largest first into the lighter part.
 */
export function splitDimensions(dimensions: { sets: string[][] }[]): [number[], number[]] {
  const cost = (k: number) => 6 + dimensions[k].sets.length;
  const order = dimensions.map((_, k) => k).sort((a, b) => cost(b) - cost(a) || a - b);
  const parts: [number[], number[]] = [[], []];
  const load = [0, 0];
  for (const k of order) {
    const to = load[0] <= load[1] ? 0 : 1;
    parts[to].push(k);
    load[to] += cost(k);
  }
  return parts;
}
