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
  const sort = spec.sort.map(quote).join(", ");
  const tableKeys = spec.tableKeys.map(quote).join(", ");
  await exec(
    con,
    `CREATE OR REPLACE TEMP TABLE ${prefix}_cells AS
     WITH src AS (SELECT * ${statusFill} FROM ${source} WHERE ${options.where}),
     kinded AS (SELECT *, (${spec.kind})::VARCHAR AS kind FROM src),
     ruled AS (
       SELECT *, (${spec.primary(rules)})::VARCHAR AS rule, (${spec.cost})::DOUBLE AS cost, (${spec.weak})::BOOLEAN AS weak
       FROM kinded)
     SELECT row_number() OVER (ORDER BY weak, cost, ${sort}) AS id,
            dense_rank() OVER (ORDER BY ${tableKeys}) AS tk,
            *,
            ${options.suppressed ?? "rule IS NOT NULL"} AS sup
     FROM ruled`,
  );
}

/** Creates `<prefix>_members` and `<prefix>_groups`: the additive relations that hold in the data. */
export async function createGroups(con: Connection, prefix: string, spec: TableSpec): Promise<void> {
  const R = spec.relations.length;
  await exec(con, `CREATE OR REPLACE TEMP TABLE ${prefix}_members(grp BIGINT, id BIGINT, is_parent BOOLEAN)`);
  if (R === 0 || spec.additive.length === 0) {
    await exec(con, `CREATE OR REPLACE TEMP TABLE ${prefix}_groups(grp BIGINT, rel INTEGER, valid BOOLEAN)`);
    return;
  }
  for (const [index, rel] of spec.relations.entries()) {
    const joins = spec.cellKeys
      .map((k) => `par.${quote(k)} = ${rel.parent[k] ?? `c.${quote(k)}`}`)
      .join(" AND ");
    await exec(
      con,
      `INSERT INTO ${prefix}_members
       SELECT par.id * ${R} + ${index}, c.id, false
       FROM ${prefix}_cells c ${rel.join ?? ""}
       JOIN ${prefix}_cells par ON par.tk = c.tk AND ${joins}
       WHERE ${rel.child}`,
    );
  }
  await exec(
    con,
    `INSERT INTO ${prefix}_members SELECT DISTINCT grp, grp // ${R}, true FROM ${prefix}_members`,
  );
  const kindOf = `CASE m.grp % ${R} ${spec.relations.map((r, i) => `WHEN ${i} THEN '${r.kind}'`).join(" ")} END`;
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
       SELECT m.grp, any_value(${kindOf}) AS kind, ${perColumn}
       FROM ${prefix}_members m JOIN ${prefix}_cells c ON c.id = m.id
       GROUP BY m.grp)
     SELECT grp, (grp % ${R})::INTEGER AS rel, ${validity},
            (${spec.additive.map((a) => `(complete_${a} AND (abs(resid_${a}) <= tol_${a} OR (kind = 'ge' AND resid_${a} > 0)))`).join(" OR ")}) AS valid
     FROM g;
     DELETE FROM ${prefix}_groups WHERE NOT valid;
     DELETE FROM ${prefix}_members WHERE grp NOT IN (SELECT grp FROM ${prefix}_groups);`,
  );
}

/** Drops the working tables of a prefix. */
export async function dropWorkTables(con: Connection, prefix: string): Promise<void> {
  for (const suffix of ["cells", "members", "groups", "new", "touched"]) {
    await exec(con, `DROP TABLE IF EXISTS ${prefix}_${suffix}`);
  }
}
