/**
 * The working tables of disclosure control, built in DuckDB for one partition (e.g. one year) of a
 * table: the cells with their primary rule, and the additive groups (parent + children) that an
 * attacker can use to difference suppressed values.
 *
 *   <prefix>_cells    id, tk, every raw column, kind, rule, cost, weak, sup
 *   <prefix>_members  grp, id, is_parent            (only groups that hold in the data)
 *   <prefix>_groups   grp, rel, valid_<a>, eq_<a>   per additive column a
 *
 * Cell ids are ordered by (weak, cost, sort keys), so the smallest id among candidates is the
 * cheapest partner for secondary suppression, deterministically.
 */
import type { Connection } from "../db.ts";
import { exec, queryRows, sqlString } from "../db.ts";
import type { SdcRules } from "./rules.ts";
import type { TableSpec } from "./tables.ts";

export const quote = (column: string) => `"${column.replaceAll('"', '""')}"`;

/** Columns of a table (or view) in the database; empty when it does not exist. */
export async function tableColumns(con: Connection, table: string): Promise<string[]> {
  const rows = await queryRows<{ column_name: string }>(
    con,
    `SELECT column_name FROM information_schema.columns WHERE table_name = ${sqlString(table)} ORDER BY ordinal_position`,
  );
  return rows.map((r) => r.column_name);
}

/** Throws a clear error when the raw table lacks a column the description needs. */
export function checkColumns(spec: TableSpec, columns: string[]): void {
  const missing = spec.requiredRaw.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    throw new Error(
      `disclosure control: table ${spec.raw} lacks column(s) ${missing.join(", ")} (rule: the raw table must have the columns of docs/architecture.md)`,
    );
  }
}

/** Distinct values of the partition column, sorted; [null] when the table is not partitioned. */
export async function partitions(con: Connection, spec: TableSpec): Promise<(number | string | null)[]> {
  if (!spec.partition) return [null];
  const col = quote(spec.partition);
  const rows = await queryRows<{ p: number | string }>(
    con,
    `SELECT DISTINCT ${col}::VARCHAR AS p FROM ${spec.raw} ORDER BY 1`,
  );
  return rows.map((r) => r.p);
}

export function partitionFilter(spec: TableSpec, value: number | string | null): string {
  if (!spec.partition || value === null) return "true";
  return `${quote(spec.partition)}::VARCHAR = ${sqlString(String(value))}`;
}

/**
 * Creates `<prefix>_cells` from the raw table (one partition). `suppressed`, when given, is a SQL
 * expression that marks the cells already suppressed (used by the audit, which reads the
 * published status instead of applying the rules).
 *
 * Every cell also gets `code`, its table and cell keys packed into one BIGINT (each key replaced
 * by its rank among the key's distinct values, in sort order), so that relations join on one
 * integer instead of a dozen strings (`createGroups`), and the cost order ties break on one column.
 */
export async function createCells(
  con: Connection,
  prefix: string,
  spec: TableSpec,
  rules: SdcRules,
  options: { where: string; source?: string; suppressed?: string },
): Promise<void> {
  const rawColumns = await tableColumns(con, spec.raw);
  const statusFill = rawColumns.includes("status") ? "" : ", NULL::VARCHAR AS status";
  const source = options.source ?? spec.raw;
  const tableKeys = spec.tableKeys.map(quote).join(", ");
  await exec(
    con,
    `CREATE OR REPLACE TEMP TABLE ${prefix}_ruled AS
     WITH src AS (SELECT * ${statusFill} FROM ${source} WHERE ${options.where}),
     kinded AS (SELECT *, (${spec.kind})::VARCHAR AS kind FROM src)
     SELECT *, (${spec.primary(rules)})::VARCHAR AS rule, (${spec.cost})::DOUBLE AS cost, (${spec.weak})::BOOLEAN AS weak
     FROM kinded;
     CREATE OR REPLACE TEMP TABLE ${prefix}_dict_tk AS
       SELECT ${tableKeys}, (row_number() OVER (ORDER BY ${tableKeys}) - 1)::BIGINT AS code
       FROM (SELECT DISTINCT ${tableKeys} FROM ${prefix}_ruled);`,
  );
  await createDictionaries(con, prefix, spec);
  const layout = await keyLayout(con, prefix, spec);
  // Each key's rank by an ENUM cast of the dictionary (in rank order) rather than a join per key
  // (ten joins on a year of the indicator table); NULL takes the rank the dictionary gives it.
  const rankOf: string[] = [];
  for (const [i, k] of spec.cellKeys.entries()) {
    const [{ nullCode, first }] = await queryRows<{ nullCode: number | null; first: number | null }>(
      con,
      `SELECT (SELECT code FROM ${prefix}_dict_${i} WHERE v IS NULL)::INTEGER AS nullCode,
              (SELECT min(code) FROM ${prefix}_dict_${i} WHERE v IS NOT NULL)::INTEGER AS first`,
    );
    await exec(
      con,
      `DROP TYPE IF EXISTS ${prefix}_enum_${i};
       CREATE TYPE ${prefix}_enum_${i} AS ENUM (SELECT v::VARCHAR FROM ${prefix}_dict_${i} WHERE v IS NOT NULL ORDER BY code)`,
    );
    // The ENUM numbers the non-NULL values from 0; the dictionary from `first` (1 if NULL sorts first).
    const rank = `(enum_code(s.${quote(k)}::VARCHAR::${prefix}_enum_${i})::BIGINT + ${first ?? 0})`;
    rankOf.push(nullCode === null ? rank : `coalesce(${rank}, ${nullCode})`);
  }
  const code = [
    `(t.code << ${layout.tkShift})`,
    ...rankOf.map((rank, i) => `(${rank} << ${layout.shifts[i]})`),
  ].join(" | ");
  // Ids in cost order; ties by the sort keys, which the code orders the same way when the sort is
  // (table keys, cell keys).
  const tieBreak = sortOrder(spec);
  // The ranking sorts only the narrow (weak, cost, tie-break, code) rows and is joined back on the
  // unique code: a window over the wide rows would carry every column through the sort (2.5 times
  // slower on a year of the indicator table).
  await exec(
    con,
    `CREATE OR REPLACE TEMP TABLE ${prefix}_coded AS
       SELECT s.*, (t.code + 1)::BIGINT AS tk, (${code})::BIGINT AS code
       FROM ${prefix}_ruled s JOIN ${prefix}_dict_tk t USING (${tableKeys});
     DROP TABLE ${prefix}_ruled;
     CREATE OR REPLACE TEMP TABLE ${prefix}_cells AS
     WITH ranked AS (SELECT code, row_number() OVER (ORDER BY weak, cost, ${tieBreak}) AS id FROM ${prefix}_coded)
     SELECT r.id, c.*, ${options.suppressed ?? "rule IS NOT NULL"} AS sup
     FROM ${prefix}_coded c JOIN ranked r USING (code);
     DROP TABLE ${prefix}_coded;`,
  );
  for (const i of spec.cellKeys.keys()) await exec(con, `DROP TYPE ${prefix}_enum_${i}`);
}

/**
 * ORDER BY list that puts one partition's cells in the table's sort order: the packed `code` when
 * the sort is (table keys, cell keys), which the code orders the same way and one integer sorts
 * much faster than a dozen text columns; else the sort columns themselves.
 */
export function sortOrder(spec: TableSpec): string {
  const sortIsCode = spec.sort.join(",") === [...spec.tableKeys, ...spec.cellKeys].join(",");
  return sortIsCode ? "code" : spec.sort.map(quote).join(", ");
}

interface KeyLayout {
  /** Bit offset of each cell key's rank in `code`, in the order of `spec.cellKeys`. */
  shifts: number[];
  /** Bits of each cell key's rank. */
  bits: number[];
  tkShift: number;
}

/** Creates `<prefix>_dict_<i>(v, code)` per cell key: the key's distinct values ranked in sort order. */
async function createDictionaries(con: Connection, prefix: string, spec: TableSpec): Promise<void> {
  for (const [i, k] of spec.cellKeys.entries()) {
    await exec(
      con,
      `CREATE OR REPLACE TEMP TABLE ${prefix}_dict_${i} AS
       SELECT v, (row_number() OVER (ORDER BY v) - 1)::BIGINT AS code
       FROM (SELECT DISTINCT ${quote(k)} AS v FROM ${prefix}_ruled)`,
    );
  }
}

/** Where each key's rank sits in `code`, from the sizes of the dictionaries. */
async function keyLayout(con: Connection, prefix: string, spec: TableSpec): Promise<KeyLayout> {
  const bits: number[] = [];
  for (const i of spec.cellKeys.keys()) {
    const [{ n }] = await queryRows<{ n: number }>(
      con,
      `SELECT count(*)::INTEGER AS n FROM ${prefix}_dict_${i}`,
    );
    bits.push(Math.max(1, Math.ceil(Math.log2(Math.max(2, n)))));
  }
  const [{ n: tables }] = await queryRows<{ n: number }>(
    con,
    `SELECT count(*)::INTEGER AS n FROM ${prefix}_dict_tk`,
  );
  // Most significant first: table keys, then the cell keys in order, as the sort order has them.
  const shifts: number[] = new Array(bits.length);
  let offset = 0;
  for (let i = bits.length - 1; i >= 0; i--) {
    shifts[i] = offset;
    offset += bits[i];
  }
  const tkBits = Math.max(1, Math.ceil(Math.log2(Math.max(2, tables))));
  if (offset + tkBits > 62)
    throw new Error(
      `disclosure control: ${spec.name} has too many distinct keys to pack a cell into 62 bits (${offset + tkBits} needed)`,
    );
  return { shifts, bits, tkShift: offset };
}

/** Creates `<prefix>_members` and `<prefix>_groups`: the additive relations that hold in the data. */
export async function createGroups(con: Connection, prefix: string, spec: TableSpec): Promise<void> {
  const R = spec.relations.length;
  await exec(con, `CREATE OR REPLACE TEMP TABLE ${prefix}_members(grp BIGINT, id BIGINT, is_parent BOOLEAN)`);
  if (R === 0 || spec.additive.length === 0) {
    await exec(con, `CREATE OR REPLACE TEMP TABLE ${prefix}_groups(grp BIGINT, rel INTEGER, valid BOOLEAN)`);
    return;
  }
  const layout = await keyLayout(con, prefix, spec);
  for (const [index, rel] of spec.relations.entries()) {
    // The parent's code is the child's with the overridden keys' ranks replaced.
    const overridden = Object.entries(rel.parent).map(([k, expr]) => {
      const i = spec.cellKeys.indexOf(k);
      if (i < 0)
        throw new Error(
          `disclosure control: relation ${rel.name} overrides ${k}, not a cell key of ${spec.name}`,
        );
      return { i, expr };
    });
    let keep = (1n << 62n) - 1n;
    for (const { i } of overridden)
      keep &= ~(((1n << BigInt(layout.bits[i])) - 1n) << BigInt(layout.shifts[i]));
    const joins = overridden
      .map(({ i, expr }) => `JOIN ${prefix}_dict_${i} p${i} ON p${i}.v = (${expr})`)
      .join(" ");
    const parentCode = [
      `(c.code & ${keep})`,
      ...overridden.map(({ i }) => `(p${i}.code << ${layout.shifts[i]})`),
    ].join(" | ");
    await exec(
      con,
      `INSERT INTO ${prefix}_members
       SELECT par.id * ${R} + ${index}, x.id, false
       FROM (SELECT c.id, (${parentCode})::BIGINT AS parent_code
             FROM ${prefix}_cells c ${rel.join ?? ""} ${joins}
             WHERE ${rel.child}) x
       JOIN ${prefix}_cells par ON par.code = x.parent_code`,
    );
  }
  await exec(
    con,
    `INSERT INTO ${prefix}_members SELECT DISTINCT grp, grp // ${R}, true FROM ${prefix}_members`,
  );
  const kindOf = `CASE m.grp % ${R} ${spec.relations.map((r, i) => `WHEN ${i} THEN '${r.kind}'`).join(" ")} END`;
  // A group short of its relation's declared children (Relation.children) is not that relation.
  const wholeCount = `CASE m.grp % ${R} ${spec.relations.map((r, i) => `WHEN ${i} THEN ${r.children ?? 0}`).join(" ")} END`;
  const perColumn = spec.additive
    .map((a) => {
      const col = `c.${quote(a)}`;
      return `count(*) FILTER (WHERE ${col} IS NULL) = 0 AS complete_${a},
              sum(CASE WHEN m.is_parent THEN ${col} ELSE -${col} END) AS resid_${a},
              1e-6 + 1e-9 * sum(abs(${col})) AS tol_${a}`;
    })
    .join(",\n");
  const validity = spec.additive
    .map(
      (
        a,
      ) => `complete_${a} AND (abs(resid_${a}) <= tol_${a} OR (kind = 'ge' AND resid_${a} > 0)) AS valid_${a},
              complete_${a} AND abs(resid_${a}) <= tol_${a} AS eq_${a}`,
    )
    .join(",\n");
  await exec(
    con,
    `CREATE OR REPLACE TEMP TABLE ${prefix}_groups AS
     WITH g AS (
       SELECT m.grp, any_value(${kindOf}) AS kind,
              count(*) FILTER (WHERE NOT m.is_parent) < any_value(${wholeCount}) AS short, ${perColumn}
       FROM ${prefix}_members m JOIN ${prefix}_cells c ON c.id = m.id
       GROUP BY m.grp)
     SELECT grp, (grp % ${R})::INTEGER AS rel, ${validity},
            NOT short AND (${spec.additive.map((a) => `(complete_${a} AND (abs(resid_${a}) <= tol_${a} OR (kind = 'ge' AND resid_${a} > 0)))`).join(" OR ")}) AS valid
     FROM g;
     DELETE FROM ${prefix}_groups WHERE NOT valid;
     DELETE FROM ${prefix}_members WHERE grp NOT IN (SELECT grp FROM ${prefix}_groups);`,
  );
}

/** Drops the working tables of a prefix. */
export async function dropWorkTables(con: Connection, prefix: string): Promise<void> {
  const dictionaries = await queryRows<{ name: string }>(
    con,
    `SELECT table_name AS name FROM information_schema.tables WHERE table_name LIKE ${sqlString(`${prefix}_dict_%`)}`,
  );
  for (const suffix of [
    "cells",
    "members",
    "groups",
    "new",
    "touched",
    "ruled",
    ...dictionaries.map((d) => d.name.slice(prefix.length + 1)),
  ]) {
    await exec(con, `DROP TABLE IF EXISTS ${prefix}_${suffix}`);
  }
}
