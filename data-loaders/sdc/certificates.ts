/**
 * Certificates: the feasible tables that protection's LPs (and its witness repairs) found,
 * handed to the audit.
 *
 * A requirement is proven by any table the attacker cannot rule out in which its quantity reaches
 * the bound (lp.ts, witness.ts). Protection finds such a table for every requirement its LPs
 * prove; solving the same LPs again in the audit doubles the cost of disclosure control and adds
 * no safety, since a table either passes a check against the published cells or it does not. So
 * protection keeps each table that proved something, as the cells it changes (cell, column, value),
 * and the audit checks each one against its own reading of the published tables — every changed
 * cell suppressed there, non-negative where the table's values are, numerators within their
 * denominators, every relation that a changed cell belongs to still holding — before it counts a
 * single requirement as proven. What no certificate proves, the audit's own LP decides.
 *
 * Cells travel between protection and audit by their packed key `code` (cells.ts), not by index:
 * the audit numbers its cells itself. A certificate that no longer fits (a cell not found, a
 * relation that breaks) simply proves nothing.
 */
import type { Connection } from "../db.ts";
import { exec, queryTyped, sqlString } from "../db.ts";
import { tableColumns } from "./cells.ts";
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
 * The tables in the order of the table (`tableOf` their first cell) they change, each table's in
 * the order found: the order a single thread finds them in per table, so certificates do not
 * depend on how the work was split between threads.
 */
export function inTableOrder(data: CertificateData, tableOf: (cell: number) => number): CertificateData {
  const n = data.start.length - 1;
  const order = Array.from({ length: n }, (_, k) => k);
  const key = order.map((k) => tableOf(data.cell[data.start[k]]));
  order.sort((a, b) => key[a] - key[b] || a - b);
  const start = new Int32Array(n + 1);
  const cell = new Int32Array(data.cell.length);
  const column = new Uint8Array(data.cell.length);
  const value = new Float64Array(data.cell.length);
  let at = 0;
  order.forEach((k, i) => {
    const from = data.start[k];
    const to = data.start[k + 1];
    cell.set(data.cell.subarray(from, to), at);
    column.set(data.column.subarray(from, to), at);
    value.set(data.value.subarray(from, to), at);
    at += to - from;
    start[i + 1] = at;
  });
  return { start, cell, column, value };
}

/** Where certificates wait between protection and audit: a temporary table of the build's connection. */
const TABLE = "sdc_certificates";

/**
 * Stores a partition's certificates under (table, partition), replacing earlier ones, with each
 * cell's packed `code` from `<prefix>_cells`.
 */
export async function storeCertificates(
  con: Connection,
  prefix: string,
  table: string,
  partition: string,
  data: CertificateData,
): Promise<void> {
  await exec(
    con,
    `CREATE TEMP TABLE IF NOT EXISTS ${TABLE}(tbl VARCHAR, part VARCHAR, cert INTEGER, code BIGINT, col UTINYINT, value DOUBLE);
     DELETE FROM ${TABLE} WHERE tbl = ${sqlString(table)} AND part = ${sqlString(partition)};
     CREATE OR REPLACE TEMP TABLE sdc_certificates_new(cert INTEGER, id INTEGER, col UTINYINT, value DOUBLE);`,
  );
  const appender = await con.createAppender("sdc_certificates_new");
  for (let k = 0; k + 1 < data.start.length; k++)
    for (let i = data.start[k]; i < data.start[k + 1]; i++) {
      appender.appendInteger(k);
      appender.appendInteger(data.cell[i] + 1);
      appender.appendUTinyInt(data.column[i]);
      appender.appendDouble(data.value[i]);
      appender.endRow();
    }
  appender.closeSync();
  await exec(
    con,
    `INSERT INTO ${TABLE}
       SELECT ${sqlString(table)}, ${sqlString(partition)}, n.cert, c.code, n.col, n.value
       FROM sdc_certificates_new n JOIN ${prefix}_cells c USING (id);
     DROP TABLE sdc_certificates_new;`,
  );
}

/** The certificates stored for (table, partition), with the cells of `<prefix>_cells` they name. */
export async function loadCertificates(
  con: Connection,
  prefix: string,
  table: string,
  partition: string,
): Promise<CertificateData | undefined> {
  if ((await tableColumns(con, TABLE)).length === 0) return undefined;
  const [cert, cell, column, value] = await queryTyped(
    con,
    `SELECT s.cert, (c.id - 1)::INTEGER, s.col, s.value
     FROM ${TABLE} s JOIN ${prefix}_cells c USING (code)
     WHERE s.tbl = ${sqlString(table)} AND s.part = ${sqlString(partition)}
     ORDER BY s.cert, c.id, s.col`,
    ["i32", "i32", "u8", "f64"],
  );
  if (cert.length === 0) return undefined;
  const start = [0];
  for (let i = 1; i < cert.length; i++) if (cert[i] !== cert[i - 1]) start.push(i);
  start.push(cert.length);
  return {
    start: Int32Array.from(start),
    cell: cell as Int32Array,
    column: column as Uint8Array,
    value: value as Float64Array,
  };
}

/** Forgets every stored certificate (the audit has read them). */
export async function dropCertificates(con: Connection): Promise<void> {
  await exec(con, `DROP TABLE IF EXISTS ${TABLE}`);
}

/** A relation may miss by this much: what cells.ts allows the data, and above the LP's tolerance. */
function slack(magnitude: number): number {
  return 1e-6 + 1e-9 * magnitude;
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
  let count = 0;
  let passed = 0;
  const changed = new Map<number, number>();
  const valueAt = (c: number, col: number) => changed.get(c * A + col) ?? graph.values[col][c];
  for (let k = 0; k + 1 < data.start.length; k++) {
    changed.clear();
    const cells = new Set<number>();
    let fits = true;
    for (let i = data.start[k]; i < data.start[k + 1]; i++) {
      const c = data.cell[i];
      const col = data.column[i];
      if (c < 0 || c >= graph.cells || col >= A || !graph.sup[c] || Number.isNaN(graph.values[col][c])) {
        fits = false;
        break;
      }
      const v = data.value[i];
      if (!Number.isFinite(v) || (nonNegative(c, col) && v < -slack(0))) {
        fits = false;
        break;
      }
      changed.set(c * A + col, v);
      cells.add(c);
    }
    if (!fits || cells.size === 0) continue;
    const groups = new Set<number>();
    for (const c of cells) {
      if (num >= 0 && den >= 0 && num !== den && (graph.kind[c] === share || graph.kind[c] === whole)) {
        const n = valueAt(c, num);
        const d = valueAt(c, den);
        if (!Number.isNaN(n) && !Number.isNaN(d)) {
          const tol = slack(Math.abs(n) + Math.abs(d));
          if (n > d + tol || (graph.kind[c] === whole && n < d - tol)) {
            fits = false;
            break;
          }
        }
      }
      for (let j = graph.cellStart[c]; j < graph.cellStart[c + 1]; j++) groups.add(graph.cellGroup[j]);
    }
    if (!fits) continue;
    // Each relation as the LP writes it (lp.ts, NeighbourhoodLp): Σ coef · x over its members,
    // which the true table puts at `truth` (0 up to rounding), must stay between 0 and `truth`
    // for an equality, and at or above the smaller of them for a 'ge' relation.
    for (const g of groups) {
      for (let col = 0; col < A && fits; col++) {
        if (!graph.valid[col][g]) continue;
        let truth = 0;
        let now = 0;
        let magnitude = 0;
        let touched = false;
        for (let m = graph.groupStart[g]; m < graph.groupStart[g + 1]; m++) {
          const c = graph.memberCell[m];
          const coef = graph.memberIsParent[m] ? 1 : -1;
          const t = graph.values[col][c];
          if (Number.isNaN(t)) continue;
          const v = changed.get(c * A + col);
          if (v !== undefined) touched = true;
          truth += coef * t;
          now += coef * (v ?? t);
          magnitude += Math.abs(v ?? t);
        }
        if (!touched) continue;
        const tol = slack(magnitude);
        if (now < Math.min(0, truth) - tol || (graph.eq[col][g] && now > Math.max(0, truth) + tol))
          fits = false;
      }
      if (!fits) break;
    }
    if (!fits) continue;
    passed++;
    for (const c of cells)
      for (const r of byCell.get(c) ?? []) {
        if (proven[r]) continue;
        const req = requirements[r];
        let q = 0;
        for (const t of req.terms) q += t.coef * valueAt(c, spec.additive.indexOf(t.column));
        if (reaches(req, q)) {
          proven[r] = 1;
          count++;
        }
      }
  }
  return { proven: count, passed };
}
