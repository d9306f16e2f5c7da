/**
 * Secondary suppression in DuckDB SQL.
 *
 * The heuristic: no additive group (a parent and its children) may hold exactly one suppressed
 * cell, because that cell would follow from the others by subtraction. Whenever a group has one,
 * the cheapest other member is suppressed too (smallest population first: ids are ordered by
 * (weak, cost, keys), see cells.ts). Newly suppressed cells can make other groups singletons, so
 * this runs to a fixed point; only groups touched by the last round are examined again.
 */
import type { Connection } from "../db.ts";
import { exec, queryRows } from "../db.ts";
import { quote } from "./cells.ts";
import { RULE_NAMES, type SdcRules } from "./rules.ts";
import type { TableSpec } from "./tables.ts";

/** Runs the singleton rule to a fixed point; returns the number of cells it suppressed. */
export async function suppressSingletons(
  con: Connection,
  prefix: string,
  seed: string = `SELECT id FROM ${prefix}_cells WHERE sup`,
): Promise<number> {
  const cells = `${prefix}_cells`;
  const members = `${prefix}_members`;
  await exec(con, `CREATE OR REPLACE TEMP TABLE ${prefix}_new AS ${seed}`);
  let total = 0;
  for (let round = 0; ; round++) {
    if (round > 10_000) throw new Error("disclosure control: secondary suppression did not converge");
    await exec(
      con,
      `CREATE OR REPLACE TEMP TABLE ${prefix}_touched AS
         SELECT DISTINCT m.grp FROM ${members} m SEMI JOIN ${prefix}_new n ON m.id = n.id;
       CREATE OR REPLACE TEMP TABLE ${prefix}_new AS
         SELECT DISTINCT pick AS id FROM (
           SELECT m.grp, min(c.id) FILTER (WHERE NOT c.sup) AS pick
           FROM ${members} m SEMI JOIN ${prefix}_touched t ON m.grp = t.grp
           JOIN ${cells} c ON c.id = m.id
           GROUP BY m.grp
           HAVING count(*) FILTER (WHERE c.sup) = 1)
         WHERE pick IS NOT NULL;
       UPDATE ${cells} SET sup = true, rule = '${RULE_NAMES.secondary}' WHERE id IN (SELECT id FROM ${prefix}_new);`,
    );
    const [{ n }] = await queryRows<{ n: number }>(con, `SELECT count(*)::INTEGER AS n FROM ${prefix}_new`);
    if (n === 0) return total;
    total += n;
  }
}

/**
 * Repairs an exposed cell: suppresses the cheapest published member of the groups around it,
 * widening the search through suppressed neighbours when all its own groups are fully suppressed.
 * Returns the id suppressed, or null when nothing is left to suppress (the whole connected part
 * of the table is already suppressed).
 */
export async function suppressNeighbour(
  con: Connection,
  prefix: string,
  cellId: number,
): Promise<number | null> {
  const cells = `${prefix}_cells`;
  const members = `${prefix}_members`;
  let frontier = [cellId];
  const seen = new Set<number>(frontier);
  for (let depth = 0; depth < 50 && frontier.length > 0; depth++) {
    const ids = frontier.join(",");
    const [pick] = await queryRows<{ id: number | null }>(
      con,
      `SELECT min(c.id)::BIGINT::DOUBLE AS id
       FROM ${members} m JOIN ${cells} c ON c.id = m.id
       WHERE NOT c.sup AND m.grp IN (SELECT grp FROM ${members} WHERE id IN (${ids}))`,
    );
    if (pick.id !== null) {
      await exec(
        con,
        `UPDATE ${cells} SET sup = true, rule = '${RULE_NAMES.secondary}' WHERE id = ${pick.id}`,
      );
      return pick.id;
    }
    const next = await queryRows<{ id: number }>(
      con,
      `SELECT DISTINCT m.id::DOUBLE AS id FROM ${members} m
       WHERE m.grp IN (SELECT grp FROM ${members} WHERE id IN (${ids})) ORDER BY 1`,
    );
    frontier = next.map((r) => r.id).filter((id) => !seen.has(id));
    for (const id of frontier) seen.add(id);
  }
  return null;
}

/**
 * The cheap part of protection sufficiency, in SQL: in a group whose parent is published, the
 * suppressed children add up to a known total, so none of them can exceed it. When that total is
 * below what a suppressed child's rule requires (e.g. two hidden counts of 2: together 4 < 5), the
 * cheapest published child (else the parent) is suppressed too. Runs to a fixed point together with
 * the singleton rule; the LP then only has to deal with what needs several groups at once.
 * Returns the number of cells suppressed.
 */
export async function suppressForRoom(
  con: Connection,
  prefix: string,
  spec: TableSpec,
  rules: SdcRules,
): Promise<number> {
  const q = spec.quantities;
  const child = (expr: string) => `sum(CASE WHEN NOT m.is_parent AND c.sup THEN ${expr} END)`;
  const need = (cases: string) => `max(CASE WHEN NOT m.is_parent AND c.sup THEN CASE ${cases} END END)`;
  const tests: string[] = [];
  const parts: string[] = [];
  const numeratorColumn = q.count ?? q.numerator;
  if (numeratorColumn && spec.additive.includes(numeratorColumn)) {
    const col = `c.${quote(numeratorColumn)}`;
    parts.push(`${child(col)} AS hidden_t`);
    const cases = [
      q.count ? `WHEN c.rule = '${RULE_NAMES.count}' THEN ${rules.countMin}` : "",
      q.numerator ? `WHEN c.rule = '${RULE_NAMES.numerator}' THEN ${rules.numeratorAbove + 1}` : "",
    ].join(" ");
    parts.push(`${need(cases)} AS need_t`, `bool_and(g.valid_${numeratorColumn}) AS valid_t`);
    tests.push("(valid_t AND hidden_t < need_t)");
  }
  if (q.denominator && spec.additive.includes(q.denominator)) {
    const den = `c.${quote(q.denominator)}`;
    parts.push(
      `${child(den)} AS hidden_n`,
      `${need(`WHEN c.rule = '${RULE_NAMES.denominator}' AND c.kind IN ('share', 'mean') THEN ${rules.denominatorAbove + 1}`)} AS need_n`,
      `bool_and(g.valid_${q.denominator}) AS valid_n`,
    );
    tests.push("(valid_n AND hidden_n < need_n)");
    if (q.numerator && q.numerator !== q.denominator && spec.additive.includes(q.numerator)) {
      parts.push(
        `${child(`${den} - c.${quote(q.numerator)}`)} AS hidden_c`,
        `${need(`WHEN c.rule = '${RULE_NAMES.complement}' THEN ${rules.numeratorAbove + 1}`)} AS need_c`,
      );
      tests.push(`(valid_t AND valid_n AND hidden_c < need_c)`);
    }
  }
  if (tests.length === 0) return 0;
  let total = 0;
  for (let round = 0; round < 10_000; round++) {
    await exec(
      con,
      `CREATE OR REPLACE TEMP TABLE ${prefix}_new AS
       WITH per_group AS (
         SELECT m.grp, bool_or(m.is_parent AND c.sup) AS parent_sup,
                min(c.id) FILTER (WHERE NOT c.sup AND NOT m.is_parent) AS child_pick,
                min(c.id) FILTER (WHERE NOT c.sup) AS any_pick,
                ${parts.join(",\n")}
         FROM ${prefix}_members m JOIN ${prefix}_cells c ON c.id = m.id JOIN ${prefix}_groups g ON g.grp = m.grp
         WHERE m.grp IN (SELECT m2.grp FROM ${prefix}_members m2 JOIN ${prefix}_cells c2 ON c2.id = m2.id
                         WHERE c2.sup AND NOT m2.is_parent AND c2.rule <> '${RULE_NAMES.secondary}')
         GROUP BY m.grp)
       SELECT DISTINCT coalesce(child_pick, any_pick) AS id FROM per_group
       WHERE NOT parent_sup AND (${tests.join(" OR ")}) AND coalesce(child_pick, any_pick) IS NOT NULL`,
    );
    const [{ n }] = await queryRows<{ n: number }>(con, `SELECT count(*)::INTEGER AS n FROM ${prefix}_new`);
    if (n === 0) return total;
    await exec(
      con,
      `UPDATE ${prefix}_cells SET sup = true, rule = '${RULE_NAMES.secondary}' WHERE id IN (SELECT id FROM ${prefix}_new)`,
    );
    total += n + (await suppressSingletons(con, prefix, `SELECT id FROM ${prefix}_new`));
  }
  throw new Error("disclosure control: room repair did not converge");
}
