/**
 * Certificates: the feasible tables that protection's witness step and LPs found, handed to the
 * audit.
 *
 * A requirement is proven by any table the attacker cannot rule out in which its quantity reaches
 * the bound (lp.ts, witness.ts). Protection finds such a table for every requirement its LPs
 * prove; solving the same LPs again in the audit doubles the cost of disclosure control and adds
 * no safety, since a table either passes a check against the published cells or it does not. So
 * protection keeps each table that proved something, as the cells it changes (cell, column, value),
 * and the audit checks each one against its own reading of the published tables — every changed
 * cell suppressed there, non-negative where the table's values are, numerators within their
 * denominators, every relation that a changed cell belongs to still holding — before it counts a
 * single requirement as proven. What no certificate proves, the audit's own witness search and
 * LP decide.
 *
 * Cells travel between protection and audit with their packed keys `code` (cells.ts): the audit
 * numbers its cells itself, and where its numbering differs from protection's the cells are found
 * by key. A certificate that no longer fits (a cell not found, a relation that breaks) simply
 * proves nothing.
 */
import { randomUUID } from "node:crypto";
import { closeSync, openSync, readSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Connection } from "../db.ts";
import { queryTyped } from "../db.ts";
import { KINDS, type SdcGraph } from "./graph.ts";
import { type LpGraph, type LpSpec, type Requirement, reaches } from "./lp.ts";

/** Certificates packed flat: certificate k changes entries start[k] … start[k + 1]). */
export interface CertificateData {
  start: Int32Array;
  cell: Int32Array;
  column: Uint8Array;
  value: Float64Array;
}

/** A change smaller than this (relative to the true value) is not one: LP solutions carry noise. */
const CHANGE = 1e-9;

/** Collects the tables that proved something, as the suppressed cells they change. Typed arrays
 * that double when full: a full-scale year's tables change about 8 million cells, which plain
 * arrays would hold in about twice the memory. */
export class CertificateLog {
  private start = new Int32Array(1024);
  private tables = 0;
  private cell = new Int32Array(1024);
  private column = new Uint8Array(1024);
  private value = new Float64Array(1024);
  private length = 0;

  get size(): number {
    return this.tables;
  }

  get entries(): number {
    return this.length;
  }

  private push(cell: number, column: number, value: number): void {
    if (this.length === this.cell.length) {
      const grow = <T extends Int32Array | Uint8Array | Float64Array>(from: T, to: T) => {
        to.set(from);
        return to;
      };
      this.cell = grow(this.cell, new Int32Array(2 * this.length));
      this.column = grow(this.column, new Uint8Array(2 * this.length));
      this.value = grow(this.value, new Float64Array(2 * this.length));
    }
    this.cell[this.length] = cell;
    this.column[this.length] = column;
    this.value[this.length++] = value;
  }

  /** Ends a table at the entries pushed so far (none: no table). */
  private end(): void {
    if (this.length === this.start[this.tables]) return;
    if (this.tables + 1 === this.start.length) {
      const start = new Int32Array(2 * this.start.length);
      start.set(this.start);
      this.start = start;
    }
    this.start[++this.tables] = this.length;
  }

  /**
   * Adds the table x of an LP whose variable `local.get(cell · A + column)` is that cell's value;
   * cells not suppressed in `graph` are left out (they are in no relation of the LP).
   */
  add(graph: LpGraph, columns: number, local: ReadonlyMap<number, number>, x: Float64Array | number[]): void {
    for (const [key, v] of local) {
      const c = Math.floor(key / columns);
      const col = key % columns;
      if (!graph.sup[c]) continue;
      const truth = graph.values[col][c];
      if (Math.abs(x[v] - truth) <= CHANGE * Math.max(1, Math.abs(truth))) continue;
      this.push(c, col, x[v]);
    }
    this.end();
  }

  /** Adds a table given by its changes: cell `cells[i]` takes `values[i]` in column `columns[i]`
   * (a witness table, witness.ts). */
  addChanges(cells: number[], columns: number[], values: number[]): void {
    for (let i = 0; i < cells.length; i++) this.push(cells[i], columns[i], values[i]);
    this.end();
  }

  /** Appends certificates found elsewhere (a worker thread's). */
  append(data: CertificateData): void {
    for (let k = 0; k + 1 < data.start.length; k++) {
      for (let i = data.start[k]; i < data.start[k + 1]; i++)
        this.push(data.cell[i], data.column[i], data.value[i]);
      this.end();
    }
  }

  data(): CertificateData {
    return {
      start: this.start.slice(0, this.tables + 1),
      cell: this.cell.slice(0, this.length),
      column: this.column.slice(0, this.length),
      value: this.value.slice(0, this.length),
    };
  }
}

/**
 * The tables of `parts`, one after the other, in the order of the table (`tableOf` their first
 * cell) they change, each table's in the order found: the order a single thread finds them in per
 * table, so certificates do not depend on how the work was split between threads. One allocation
 * for the result, however many parts (a full-scale year's witness step keeps about 90 MB of tables).
 */
export function inTableOrder(
  parts: readonly CertificateData[],
  tableOf: (cell: number) => number,
): CertificateData {
  const n = parts.reduce((sum, p) => sum + p.start.length - 1, 0);
  const entries = parts.reduce((sum, p) => sum + p.cell.length, 0);
  // Table g of the whole is table k of part partOf[g].
  const partOf = new Int32Array(n);
  const indexIn = new Int32Array(n);
  const key = new Int32Array(n);
  let g = 0;
  parts.forEach((p, part) => {
    for (let k = 0; k < p.start.length - 1; k++, g++) {
      partOf[g] = part;
      indexIn[g] = k;
      key[g] = tableOf(p.cell[p.start[k]]);
    }
  });
  const order = Array.from({ length: n }, (_, k) => k);
  order.sort((a, b) => key[a] - key[b] || a - b);
  const start = new Int32Array(n + 1);
  const cell = new Int32Array(entries);
  const column = new Uint8Array(entries);
  const value = new Float64Array(entries);
  let at = 0;
  order.forEach((t, i) => {
    const p = parts[partOf[t]];
    const from = p.start[indexIn[t]];
    const to = p.start[indexIn[t] + 1];
    cell.set(p.cell.subarray(from, to), at);
    column.set(p.column.subarray(from, to), at);
    value.set(p.value.subarray(from, to), at);
    at += to - from;
    start[i + 1] = at;
  });
  return { start, cell, column, value };
}

/**
 * Where certificates wait between protection and audit: temporary files, per (table, partition)
 * one of the cells' codes and one per part stored (the witness step's tables, then the LP's). A
 * full-scale year's tables change millions of cells: written as typed arrays they take a fraction
 * of a second, where a DuckDB table took seconds to fill and to join back, and they hold no memory
 * between the steps. Each file is unlinked as soon as it is opened and lives on as its descriptor
 * only: nothing is left on disk when a process stops between protection and audit (a test that
 * protects without auditing, a failed build, a killed one); `dropCertificates`, or the
 * connection's collection, closes them.
 */
interface Stored {
  /** Protection's codes of its cells by index (`codesOf`). */
  codes: number;
  parts: number[];
}
const stores = new WeakMap<Connection, Map<string, Stored>>();
const closeOnCollect = new FinalizationRegistry<Map<string, Stored>>(closeAll);

function closeAll(files: Map<string, Stored>): void {
  for (const { codes, parts } of files.values()) for (const fd of [codes, ...parts]) closeSync(fd);
  files.clear();
}

function storeOf(con: Connection): Map<string, Stored> {
  let files = stores.get(con);
  if (!files) {
    files = new Map();
    stores.set(con, files);
    closeOnCollect.register(con, files, con);
  }
  return files;
}

/** A new temporary file, readable and writable by this process only, already unlinked. */
function anonymousFile(): number {
  const path = join(tmpdir(), `rdi-certificates-${process.pid}-${randomUUID()}`);
  const fd = openSync(path, "wx+", 0o600);
  unlinkSync(path);
  return fd;
}

/** Each cell's packed key `code` (cells.ts) by index, as two exact halves (codes fit in 62 bits). */
async function codesOf(
  con: Connection,
  prefix: string,
): Promise<{ id: Int32Array; hi: Int32Array; lo: Int32Array }> {
  const [id, hi, lo] = (await queryTyped(
    con,
    `SELECT id::INTEGER, (code >> 31)::INTEGER, (code & 2147483647)::INTEGER FROM ${prefix}_cells ORDER BY id`,
    ["i32", "i32", "i32"],
  )) as Int32Array[];
  return { id, hi, lo };
}

/** Writes typed arrays one after another, from a header of 32-bit counts, each 8-aligned. */
function writeArrays(fd: number, header: number[], arrays: ArrayBufferView[]): void {
  let at = 0;
  for (const view of [Int32Array.from(header), ...arrays]) {
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    for (let done = 0; done < bytes.length; )
      done += writeSync(fd, bytes, done, bytes.length - done, at + done);
    at += Math.ceil(view.byteLength / 8) * 8;
  }
}

/** The header of `counts` numbers that writeArrays wrote first. */
function readHeader(fd: number, counts: number): Int32Array {
  const header = new Int32Array(counts);
  readSync(fd, new Uint8Array(header.buffer), 0, 4 * counts, 0);
  return header;
}

/** Reads the array at byte `at` into `target`; returns where the next one starts. */
function readInto(fd: number, at: number, target: ArrayBufferView): number {
  const bytes = new Uint8Array(target.buffer, target.byteOffset, target.byteLength);
  for (let read = 0; read < bytes.length; ) {
    const n = readSync(fd, bytes, read, bytes.length - read, at + read);
    if (n === 0) throw new Error("certificates: a stored file ends before its arrays do");
    read += n;
  }
  return at + Math.ceil(bytes.length / 8) * 8;
}

/** A part's file: its counts, then start, cell, column and value (`CertificateData`). */
function readPart(fd: number, into?: { data: CertificateData; tables: number; entries: number }) {
  const [tables, entries] = readHeader(fd, 2);
  if (!into) return { tables, entries };
  const { data } = into;
  let at = 8;
  const start = new Int32Array(tables + 1);
  at = readInto(fd, at, start);
  for (let k = 1; k <= tables; k++) data.start[into.tables + k] = into.entries + start[k];
  at = readInto(fd, at, data.cell.subarray(into.entries, into.entries + entries));
  at = readInto(fd, at, data.column.subarray(into.entries, into.entries + entries));
  readInto(fd, at, data.value.subarray(into.entries, into.entries + entries));
  return { tables, entries };
}

/**
 * Stores certificates of a partition under (table, partition) with the packed key `code` of every
 * cell of `<prefix>_cells`, by which the audit finds its own; replaces what was stored there
 * before, or with `append` adds to it (a later step of the same protection, on the same cells).
 */
export async function storeCertificates(
  con: Connection,
  prefix: string,
  table: string,
  partition: string,
  data: CertificateData,
  options: { append?: boolean } = {},
): Promise<void> {
  const files = storeOf(con);
  const key = JSON.stringify([table, partition]);
  let stored = options.append ? files.get(key) : undefined;
  if (!stored) {
    const old = files.get(key);
    for (const fd of old ? [old.codes, ...old.parts] : []) closeSync(fd);
    const codes = await codesOf(con, prefix);
    codes.id.forEach((id, i) => {
      if (id !== i + 1)
        throw new Error(`storeCertificates: ${prefix}_cells is not numbered 1 … ${codes.id.length}`);
    });
    stored = { codes: anonymousFile(), parts: [] };
    files.set(key, stored);
    writeArrays(stored.codes, [codes.id.length], [codes.hi, codes.lo]);
  }
  const tables = data.start.length - 1;
  if (tables === 0) return;
  const fd = anonymousFile();
  stored.parts.push(fd);
  writeArrays(fd, [tables, data.cell.length], [data.start, data.cell, data.column, data.value]);
}

/** Changes the values of every stored certificate in place: how the tests spoil the tables
 * protection kept, to see the audit reject them. */
export function editStoredCertificates(con: Connection, edit: (value: Float64Array) => void): void {
  for (const { parts } of stores.get(con)?.values() ?? [])
    for (const fd of parts) {
      const sizes = readPart(fd);
      const data: CertificateData = {
        start: new Int32Array(sizes.tables + 1),
        cell: new Int32Array(sizes.entries),
        column: new Uint8Array(sizes.entries),
        value: new Float64Array(sizes.entries),
      };
      readPart(fd, { data, tables: 0, entries: 0 });
      edit(data.value);
      writeArrays(fd, [sizes.tables, sizes.entries], [data.start, data.cell, data.column, data.value]);
    }
}

/** The certificates stored for (table, partition), all parts in the order stored, with the cells
 * of `<prefix>_cells` they name (a cell whose code is not there becomes -1, and its certificate
 * proves nothing). */
export async function loadCertificates(
  con: Connection,
  prefix: string,
  table: string,
  partition: string,
): Promise<CertificateData | undefined> {
  const stored = stores.get(con)?.get(JSON.stringify([table, partition]));
  if (!stored || stored.parts.length === 0) return undefined;
  // Read straight into arrays of the whole size: a year's tables take hundreds of megabytes.
  const sizes = stored.parts.map((fd) => readPart(fd));
  const tables = sizes.reduce((n, s) => n + s.tables, 0);
  const entries = sizes.reduce((n, s) => n + s.entries, 0);
  const data: CertificateData = {
    start: new Int32Array(tables + 1),
    cell: new Int32Array(entries),
    column: new Uint8Array(entries),
    value: new Float64Array(entries),
  };
  let into = { data, tables: 0, entries: 0 };
  for (const fd of stored.parts) {
    const { tables: t, entries: e } = readPart(fd, into);
    into = { data, tables: into.tables + t, entries: into.entries + e };
  }
  const [cells] = readHeader(stored.codes, 1);
  const hi = new Int32Array(cells);
  const lo = new Int32Array(cells);
  readInto(stored.codes, readInto(stored.codes, 8, hi), lo);
  // The audit numbers its cells itself; where it numbers them as protection did (the same cost
  // order of the same cells), the indices carry over, else each is found by its code.
  const own = await codesOf(con, prefix);
  const same =
    own.id.length === cells &&
    own.id.every((id, i) => id === i + 1 && own.hi[i] === hi[i] && own.lo[i] === lo[i]);
  if (!same) {
    const key = (h: number, l: number) => (BigInt(h) << 31n) | BigInt(l);
    const index = new Map<bigint, number>();
    own.id.forEach((id, i) => {
      index.set(key(own.hi[i], own.lo[i]), id - 1);
    });
    const map = new Int32Array(cells);
    for (let c = 0; c < cells; c++) map[c] = index.get(key(hi[c], lo[c])) ?? -1;
    for (let i = 0; i < entries; i++)
      data.cell[i] = data.cell[i] >= 0 && data.cell[i] < cells ? map[data.cell[i]] : -1;
  }
  return data;
}

/** Forgets every stored certificate (the audit has read them). */
export async function dropCertificates(con: Connection): Promise<void> {
  const files = stores.get(con);
  if (!files) return;
  closeAll(files);
  closeOnCollect.unregister(con);
  stores.delete(con);
}

/**
 * What checking one certificate needs, as typed arrays indexed by cell or relation (relation key
 * g · A + column) and never cleared: `slot[c · A + col]` is the index + 1 of the entry that last
 * set that value (a change of the certificate being checked only when that entry is one of its
 * own; a later entry for the same cell and column wins); `cellMark` and
 * `relationMark` hold k + 1 for what certificate k touches; `moved` and `movedAbs` are what its
 * changes add to each relation's Σ coef · x and Σ |x|; `truth` and `absolute` those sums over the
 * true table, taken when a relation is first touched (`known`).
 */
interface CheckScratch {
  A: number;
  parent: Int32Array;
  slot: Int32Array;
  cellMark: Int32Array;
  relationMark: Int32Array;
  moved: Float64Array;
  movedAbs: Float64Array;
  known: Uint8Array;
  truth: Float64Array;
  absolute: Float64Array;
  cells: number[];
  relations: number[];
}

/** A relation may miss by this much: what cells.ts allows the data, and above the LP's tolerance. */
function slack(magnitude: number): number {
  return 1e-6 + 1e-9 * magnitude;
}

/** Σ coef · t and Σ |t| of relation g in column col over the true table (NULL members left out). */
function relationSums(graph: SdcGraph, x: CheckScratch, g: number, col: number): void {
  const values = graph.values[col];
  let sum = 0;
  let abs = 0;
  for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1]; m++) {
    const t = values[graph.memberCell[m]];
    if (Number.isNaN(t)) continue;
    sum += graph.memberIsParent[m] ? t : -t;
    abs += Math.abs(t);
  }
  const key = g * x.A + col;
  x.truth[key] = sum;
  x.absolute[key] = abs;
  x.known[key] = 1;
}

/** Each relation's parent cell, read in the members' own order (cell-major lookups of the
 * members would wait on memory for each): −2 where a relation has more than one parent member or a
 * cell twice, which `coefficientOf` then works out from its members. */
function parentsOf(graph: SdcGraph): Int32Array {
  const parent = new Int32Array(graph.groups).fill(-1);
  for (let g = 0; g < graph.groups; g++)
    for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1]; m++) {
      if (m > graph.groupStart[g] && graph.memberCell[m] === graph.memberCell[m - 1]) parent[g] = -2;
      if (graph.memberIsParent[m] && parent[g] !== -2)
        parent[g] = parent[g] === -1 ? graph.memberCell[m] : -2;
    }
  return parent;
}

/** The coefficient of cell c in relation g: +1 as its parent, −1 as a member (summed should it be
 * listed twice); the members are sorted by cell. */
function coefficientOf(graph: SdcGraph, parent: Int32Array, c: number, g: number): number {
  if (parent[g] !== -2) return parent[g] === c ? 1 : -1;
  let lo = graph.groupStart[g];
  let hi = graph.groupStart[g + 1];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (graph.memberCell[mid] < c) lo = mid + 1;
    else hi = mid;
  }
  let coef = 0;
  for (let m = lo; m < graph.groupStart[g + 1] && graph.memberCell[m] === c; m++)
    coef += graph.memberIsParent[m] ? 1 : -1;
  return coef;
}

/**
 * Sets certificate k's changes into `x.slot` and lists its cells; false when an entry names a cell
 * that is not suppressed (or has no value in that column) or a value out of bounds.
 */
function setChanges(
  graph: SdcGraph,
  nonNegative: (cell: number, column: number) => boolean,
  data: CertificateData,
  k: number,
  x: CheckScratch,
): boolean {
  const stamp = k + 1;
  const to = data.start[k + 1];
  for (let i = data.start[k]; i < to; i++) {
    const c = data.cell[i];
    const col = data.column[i];
    if (c < 0 || c >= graph.cells || col >= x.A || !graph.sup[c] || Number.isNaN(graph.values[col][c]))
      return false;
    const v = data.value[i];
    if (!Number.isFinite(v) || (nonNegative(c, col) && v < -slack(0))) return false;
    x.slot[c * x.A + col] = i + 1;
    if (x.cellMark[c] !== stamp) {
      x.cellMark[c] = stamp;
      x.cells.push(c);
    }
  }
  return true;
}

/**
 * Whether every relation that certificate k changes still holds, as the LP writes it (lp.ts,
 * NeighbourhoodLp): Σ coef · x, which the true table puts at `truth` (0 up to rounding), must stay
 * between 0 and `truth` for an equality, and at or above the smaller of them for a 'ge' relation,
 * within a tolerance that grows with Σ |x|. A certificate moves both sums by its changes only, so
 * the check costs what it changes, not the size of the relations.
 */
function relationsHold(graph: SdcGraph, data: CertificateData, k: number, x: CheckScratch): boolean {
  const { A, slot, relationMark, moved, movedAbs, relations } = x;
  const stamp = k + 1;
  for (let i = data.start[k]; i < data.start[k + 1]; i++) {
    const c = data.cell[i];
    const col = data.column[i];
    if (slot[c * A + col] !== i + 1) continue;
    const t = graph.values[col][c];
    const v = data.value[i];
    for (let j = graph.cellStart[c]; j < graph.cellStart[c + 1]; j++) {
      const g = graph.cellGroup[j];
      const key = g * A + col;
      if (relationMark[key] !== stamp) {
        relationMark[key] = stamp;
        moved[key] = 0;
        movedAbs[key] = 0;
        relations.push(key);
      }
      moved[key] += coefficientOf(graph, x.parent, c, g) * (v - t);
      movedAbs[key] += Math.abs(v) - Math.abs(t);
    }
  }
  for (const key of relations) {
    const g = Math.floor(key / A);
    const col = key - g * A;
    if (!graph.valid[col][g]) continue;
    if (!x.known[key]) relationSums(graph, x, g, col);
    const was = x.truth[key];
    const now = was + moved[key];
    const tol = slack(x.absolute[key] + movedAbs[key]);
    if (now < Math.min(0, was) - tol || (graph.eq[col][g] && now > Math.max(0, was) + tol)) return false;
  }
  return true;
}

/**
 * Checks each certificate against the graph's published cells and relations and marks the open
 * requirements (`proven[r]` = 0) that a table passing the check meets; returns how many. A table
 * passes when every cell it changes is suppressed, keeps its sign where the table's values are
 * non-negative, keeps a share's numerator within its denominator (equal for a whole), and every
 * relation of a changed cell still holds within the data's rounding.
 */
export function proveByCertificates(
  graph: SdcGraph,
  spec: LpSpec,
  nonNegative: (cell: number, column: number) => boolean,
  data: CertificateData,
  requirements: Requirement[],
  byCell: ReadonlyMap<number, number[]>,
  proven: Uint8Array,
): { proven: number; passed: number } {
  const A = spec.additive.length;
  const num = spec.quantities.numerator ? spec.additive.indexOf(spec.quantities.numerator) : -1;
  const den = spec.quantities.denominator ? spec.additive.indexOf(spec.quantities.denominator) : -1;
  const share = KINDS.indexOf("share");
  const whole = KINDS.indexOf("whole");
  const relationKeys = graph.groups * A;
  const x: CheckScratch = {
    A,
    parent: parentsOf(graph),
    slot: new Int32Array(graph.cells * A),
    cellMark: new Int32Array(graph.cells),
    relationMark: new Int32Array(relationKeys),
    moved: new Float64Array(relationKeys),
    movedAbs: new Float64Array(relationKeys),
    known: new Uint8Array(relationKeys),
    truth: new Float64Array(relationKeys),
    absolute: new Float64Array(relationKeys),
    cells: [],
    relations: [],
  };
  // The certificate being checked runs from entry `from` to `to`; slots set by earlier ones are
  // older entries, so they never count as changes of this one.
  let from = 0;
  let to = 0;
  const valueAt = (c: number, col: number) => {
    const s = x.slot[c * A + col];
    return s > from && s <= to ? data.value[s - 1] : graph.values[col][c];
  };
  /** A share's numerator within its denominator (equal for a whole) in the certificate's table. */
  const sharesHold = () => {
    if (num < 0 || den < 0 || num === den) return true;
    for (const c of x.cells) {
      if (graph.kind[c] !== share && graph.kind[c] !== whole) continue;
      const n = valueAt(c, num);
      const d = valueAt(c, den);
      if (Number.isNaN(n) || Number.isNaN(d)) continue;
      const tol = slack(Math.abs(n) + Math.abs(d));
      if (n > d + tol || (graph.kind[c] === whole && n < d - tol)) return false;
    }
    return true;
  };
  const columnOf = new Map(spec.additive.map((c, i) => [c, i]));
  // The requirements by cell as offsets into one array: a Map lookup per changed cell cost
  // seconds a year.
  const ownStart = new Int32Array(graph.cells + 1);
  for (const [c, own] of byCell) ownStart[c + 1] = own.length;
  for (let c = 0; c < graph.cells; c++) ownStart[c + 1] += ownStart[c];
  const own = new Int32Array(ownStart[graph.cells]);
  for (const [c, rs] of byCell) own.set(rs, ownStart[c]);
  let count = 0;
  let passed = 0;
  for (let k = 0; k + 1 < data.start.length; k++) {
    x.cells.length = 0;
    x.relations.length = 0;
    from = data.start[k];
    to = data.start[k + 1];
    const fits = setChanges(graph, nonNegative, data, k, x);
    if (fits && x.cells.length > 0 && sharesHold() && relationsHold(graph, data, k, x)) {
      passed++;
      for (const c of x.cells)
        for (let i = ownStart[c]; i < ownStart[c + 1]; i++) {
          const r = own[i];
          if (proven[r]) continue;
          const req = requirements[r];
          let q = 0;
          for (const t of req.terms) q += t.coef * valueAt(c, columnOf.get(t.column) as number);
          if (reaches(req, q)) {
            proven[r] = 1;
            count++;
          }
        }
    }
  }
  return { proven: count, passed };
}
