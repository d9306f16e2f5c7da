/**
 * Shared denominators across indicators. All 20–64 indicators share one denominator population
 * (persons 20–64), so the namnare of a cell is published by every one of them: hiding it in one
 * indicator protects nothing if another publishes it, and two indicators that chose different
 * secondary cells would together reveal what each hides. Indicators with the same denominator
 * population form a family; the suppression pattern that protects the denominator is computed
 * once per family, on the family's own table of denominators, and imposed on every member.
 *
 * A family is recognised from the data: the members' denominator populations (`antal`) agree in
 * every year at riket level, and then in every cell they share (checked; a family whose members
 * disagree anywhere is dissolved).
 */
import type { Connection } from "../db.ts";
import { exec, queryRows, sqlString } from "../db.ts";
import { quote } from "./cells.ts";
import type { TableSpec } from "./tables.ts";

/** Kinds whose denominator population is protected by the denominator rule. */
const DENOMINATOR_KINDS = "('share', 'mean', 'money', 'ratio', 'whole')";

/**
 * Creates `sdc_family_map(indikator, familj)` for the indicators that share a denominator
 * population with at least one other indicator; returns the number of families.
 */
export async function createFamilies(con: Connection, spec: TableSpec): Promise<number> {
  const totals = spec.cellKeys
    .filter((k) => k !== "niva" && k !== "region")
    .map((k) => `${quote(k)} = 'totalt'`)
    .join(" AND ");
  const cellKeys = spec.cellKeys.map(quote).join(", ");
  await exec(
    con,
    `CREATE OR REPLACE TEMP TABLE sdc_family_map AS
     WITH kinded AS (SELECT *, (${spec.kind}) AS kind FROM ${spec.raw}),
     fingerprint AS (
       SELECT indikator, string_agg(ar || ':' || antal, ',' ORDER BY ar) AS fp
       FROM kinded WHERE niva = 'riket' AND ${totals} AND kind IN ${DENOMINATOR_KINDS} AND antal IS NOT NULL
       GROUP BY indikator),
     candidate AS (
       SELECT indikator, 'familj_' || dense_rank() OVER (ORDER BY fp) AS familj,
              count(*) OVER (PARTITION BY fp) AS members
       FROM fingerprint),
     disagreeing AS (
       SELECT DISTINCT c.familj
       FROM kinded k JOIN candidate c USING (indikator)
       WHERE c.members > 1 AND k.kind IN ${DENOMINATOR_KINDS} AND k.antal IS NOT NULL
       GROUP BY c.familj, k.ar, ${cellKeys}
       HAVING min(k.antal) <> max(k.antal))
     SELECT indikator, familj FROM candidate
     WHERE members > 1 AND familj NOT IN (SELECT familj FROM disagreeing)
     ORDER BY indikator`,
  );
  const [{ n }] = await queryRows<{ n: number }>(
    con,
    "SELECT count(DISTINCT familj)::INTEGER AS n FROM sdc_family_map",
  );
  return n;
}

/**
 * Creates `sdc_family_raw`: one table per family (as `indikator`) holding the denominator of
 * every cell any member has, in the raw table's own columns, so that the ordinary machinery
 * protects it (kind `mean`: only the denominator rule applies). `publishedFrom`, when given, is a
 * published table: the family's denominator then counts as published where any member publishes it
 * (column `familj_published`), which is what the audit needs.
 */
export async function createFamilyTable(
  con: Connection,
  spec: TableSpec,
  partition: number | string | null,
  publishedFrom?: string,
): Promise<void> {
  const where =
    spec.partition && partition !== null
      ? `r.${quote(spec.partition)}::VARCHAR = ${sqlString(String(partition))}`
      : "true";
  const cellKeys = spec.cellKeys.map((k) => `r.${quote(k)}`).join(", ");
  const keyJoin = spec.sort.map((k) => `p.${quote(k)} = r.${quote(k)}`).join(" AND ");
  const published = publishedFrom
    ? `, bool_or(p.status IS NULL AND p.namnare IS NOT NULL) AS familj_published`
    : "";
  const join = publishedFrom ? `JOIN ${publishedFrom} p ON ${keyJoin}` : "";
  await exec(
    con,
    `CREATE OR REPLACE TEMP TABLE sdc_family_raw AS
     SELECT f.familj AS indikator, r.ar, ${cellKeys},
            NULL::DOUBLE AS taljare, max(r.antal)::DOUBLE AS namnare, NULL::DOUBLE AS varde,
            NULL::VARCHAR AS status, max(r.antal) AS antal, NULL::BIGINT AS antal_taljare,
            NULL::BIGINT AS bidragsgivare, NULL::DOUBLE AS storsta_bidrag ${published}
     FROM (SELECT *, (${spec.kind}) AS kind FROM ${spec.raw}) r
     JOIN sdc_family_map f USING (indikator) ${join}
     WHERE ${where} AND r.kind IN ${DENOMINATOR_KINDS} AND r.antal IS NOT NULL
     GROUP BY f.familj, r.ar, ${cellKeys}`,
  );
}

/**
 * SQL for the indicator table with a column `familj_sup`: true where the cell's family hides the
 * denominator (from `sdc_family_hidden(familj, <tableKeys without indikator>, <cellKeys>)`).
 */
export function withFamilyPattern(spec: TableSpec): string {
  const keys = [...spec.tableKeys.filter((k) => k !== "indikator"), ...spec.cellKeys];
  const on = keys.map((k) => `h.${quote(k)} = r.${quote(k)}`).join(" AND ");
  return `(SELECT r.*, h.familj IS NOT NULL AS familj_sup
           FROM ${spec.raw} r LEFT JOIN sdc_family_map m USING (indikator)
           LEFT JOIN sdc_family_hidden h ON h.familj = m.familj AND ${on})`;
}

/** The description of a family table: the indicator table's, reading `sdc_family_raw`. */
export function familySpec(spec: TableSpec): TableSpec {
  return { ...spec, name: `${spec.name}_familjer`, raw: "sdc_family_raw", pub: "sdc_family_pub" };
}
