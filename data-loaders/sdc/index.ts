/**
 * Disclosure control: every `*_raw` table becomes its `*_pub` table (publication columns only,
 * suppressed cells with status '..' and null values), and an independent audit proves that no
 * suppressed value can be recovered from the published ones. docs/disclosure-control.md.
 */
import type { Connection } from "../db.ts";
import { exec, queryRows } from "../db.ts";
import { createReferenceTables } from "../reference/geography.ts";
import { boundRepairs } from "./bounds.ts";
import {
  checkColumns,
  createCells,
  createGroups,
  dropWorkTables,
  partitionFilter,
  partitions,
  quote,
  sortOrder,
  tableColumns,
} from "./cells.ts";
import { CertificateLog, dropCertificates, loadCertificates, storeCertificates } from "./certificates.ts";
import { createFamilies, createFamilyTable, familySpec, withFamilyPattern } from "./families.ts";
import { loadGraph, storeSuppression, suppress } from "./graph.ts";
import { describeExposure, type Exposure, findExposures } from "./lp.ts";
import { RULE_NAMES, resolveRules, type SdcRules } from "./rules.ts";
import { cheapestPartners, suppressForRoom, suppressNeighbour, suppressSingletons } from "./secondary.ts";
import { fordelningSpec, indikatorerSpec, omradenSpec, segregationSpec, type TableSpec } from "./tables.ts";
import { repairByWitnesses } from "./witness-repair.ts";

export { DEFAULT_RULES, RULE_NAMES, resolveRules, type SdcRules } from "./rules.ts";
export type { Relation, TableSpec } from "./tables.ts";
export { fordelningSpec, indikatorerSpec, omradenSpec, segregationSpec } from "./tables.ts";

export interface SuppressedCount {
  table: string;
  /** The partition (year) for partitioned tables, in `SdcReport.byPartition`. */
  partition?: string;
  /** Primary rule name, or `sekundar` for secondary suppression. */
  rule: string;
  cells: number;
}

export interface SdcTableReport {
  table: string;
  cells: number;
  primary: number;
  secondary: number;
  /** Extra cells suppressed beyond the group rules: hidden for witness tables, or to repair exposures. */
  repaired: number;
  seconds: number;
}

export interface SdcReport {
  rules: SdcRules;
  tables: SdcTableReport[];
  /** Per table and rule, sorted; the form the manifest records. */
  suppressed: SuppressedCount[];
  /** Per table, partition and rule, for partitioned tables (what a build caches per year). */
  byPartition: SuppressedCount[];
  format(): string;
}

export interface SdcOptions {
  rules?: Partial<SdcRules>;
  onProgress?: (message: string) => void;
  /** Table descriptions; defaults to every known table whose `*_raw` exists. */
  specs?: TableSpec[];
  /**
   * Only these partitions (e.g. years, as text) of partitioned tables; their `*_pub` then holds
   * just these. Unpartitioned tables are always processed whole. Lets a build reuse the
   * protected partitions it has already (publish/build.ts).
   */
  partitions?: ReadonlySet<string>;
}

/** The partitions of a table to process: all, or those selected for a partitioned table. */
async function selectedPartitions(
  con: Connection,
  spec: TableSpec,
  only: ReadonlySet<string> | undefined,
): Promise<(number | string | null)[]> {
  const all = await partitions(con, spec);
  return only && spec.partition ? all.filter((p) => p !== null && only.has(String(p))) : all;
}

/** The raw table restricted to the selected partitions, as a FROM item. */
function rawScope(spec: TableSpec, only: ReadonlySet<string> | undefined): string {
  if (!only || !spec.partition) return spec.raw;
  const list = [...only].map((p) => `'${p.replaceAll("'", "''")}'`).join(", ");
  return `(SELECT * FROM ${spec.raw} WHERE ${quote(spec.partition)}::VARCHAR IN (${list || "NULL"}))`;
}

/** The descriptions of the known tables that exist as `*_raw` in the database. */
export async function knownSpecs(con: Connection): Promise<TableSpec[]> {
  const specs: TableSpec[] = [];
  const exists = async (table: string) => (await tableColumns(con, table)).length > 0;
  if (await exists("indikatorer_raw")) specs.push(indikatorerSpec());
  if (await exists("segregation_raw")) specs.push(segregationSpec());
  const omraden = await tableColumns(con, "omraden_raw");
  if (omraden.length > 0) specs.push(omradenSpec(omraden));
  if (await exists("omraden_fordelning_raw")) specs.push(fordelningSpec());
  return specs;
}

async function ensureReferenceTables(con: Connection, specs: TableSpec[]): Promise<void> {
  if (!specs.some((s) => s.relations.some((r) => r.join))) return;
  const present = await tableColumns(con, "ref_deso");
  if (present.length === 0) await createReferenceTables(con);
}

function publishedSelect(spec: TableSpec): string {
  return spec.columns
    .map((c) => {
      if (c === "status") return `CASE WHEN sup THEN '..' ELSE status END::VARCHAR AS status`;
      if (spec.hide.includes(c)) return `CASE WHEN sup THEN NULL ELSE ${quote(c)} END AS ${quote(c)}`;
      return quote(c);
    })
    .join(", ");
}

/**
 * Suppression of one partition into `<prefix>_cells`: primary rules (or `options.suppressed`),
 * the singleton and room rules, witness tables for the cells of units (hiding more cells where
 * none exists), then repair of what bounds (and, with the LP on, the LP) find exposed until
 * nothing is. Returns the number of cells added beyond the group rules.
 */
async function protectPartition(
  con: Connection,
  prefix: string,
  spec: TableSpec,
  rules: SdcRules,
  options: {
    where: string;
    source?: string;
    suppressed?: string;
    label: string;
    progress: (m: string) => void;
    /** Where the LP's tables are stored for the audit (certificates.ts): table and partition. */
    certify: { table: string; partition: string };
  },
): Promise<number> {
  const t0 = performance.now();
  const seconds = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
  const laps: string[] = [];
  let lapStart = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    laps.push(`${name} ${((now - lapStart) / 1000).toFixed(1)} s`);
    lapStart = now;
  };
  await createCells(con, prefix, spec, rules, options);
  await exec(con, `UPDATE ${prefix}_cells SET rule = '${RULE_NAMES.secondary}' WHERE sup AND rule IS NULL`);
  lap("cells");
  await createGroups(con, prefix, spec);
  lap("groups");
  const graph = await loadGraph(con, prefix, spec);
  lap("graph");
  const singles = suppressSingletons(graph).length;
  const room = suppressForRoom(graph, spec, rules);
  lap("rules");
  await storeSuppression(con, prefix, graph);
  lap("store");
  options.progress(
    `disclosure control: ${options.label}: singleton rule +${singles}, room rule +${room} (${seconds()}: ${laps.join(", ")})`,
  );
  // Cells of small areas and kommuner: a witness table for every requirement, hiding a few
  // published cells where none exists yet (witness-repair.ts). What it proves needs no LP.
  let repaired = 0;
  /** Suppresses `cells`, runs the group rules on the groups they changed (only those can change
   * their verdict) and stores the pattern; returns how many cells the group rules added. */
  const hideForGood = async (cells: number[]): Promise<number> => {
    for (const c of cells) suppress(graph, c);
    const followers = suppressSingletons(graph, cells);
    suppressForRoom(graph, spec, rules, [...cells, ...followers]);
    await storeSuppression(con, prefix, graph);
    return followers.length;
  };
  const lpOn = rules.lpMaxVariables > 0;
  // The audit checks protection's tables: the witness step's, and with the LP on the LP rounds'
  // too; all the step's proofs go on to round 1. The audit's own witness search is then left with
  // what protection's tables do not prove (with the LP on, about a thousand requirements a
  // full-scale year; with it off, what the witness step left to the bounds).
  const witnessed = await repairByWitnesses(con, prefix, spec, rules, graph, { certify: true });
  if (witnessed.requirements > 0) {
    const followers = await hideForGood(witnessed.hidden);
    repaired += witnessed.hidden.length + followers;
    lap("witnesses");
    options.progress(
      `disclosure control: ${options.label}: witness tables for ${witnessed.witnessed + witnessed.repaired} of ${witnessed.requirements} intervals of small areas and kommuner, ${witnessed.repaired} of them after hiding ${witnessed.hidden.length} more cells (+${followers} by the group rules); ${witnessed.open} left to the ${rules.lpMaxVariables > 0 ? "LP" : "bounds"} (${seconds()})`,
    );
  }
  // The witness step's tables go to the audit now (replacing any of an earlier protection of the
  // same partition), the LP's join them at the end: no need to hold both through the LP.
  const keptAt = performance.now();
  const kept = witnessed.certificates ?? new CertificateLog().data();
  await storeCertificates(con, prefix, options.certify.table, options.certify.partition, kept);
  witnessed.certificates = undefined;
  if (kept.start.length > 1)
    options.progress(
      `disclosure control: ${options.label}: ${kept.start.length - 1} tables of the witness step (${kept.cell.length} changed cells) kept for the audit (${((performance.now() - keptAt) / 1000).toFixed(1)} s)`,
    );
  // The singleton rule is necessary, not sufficient: find what is still exposed — on bounds
  // propagated over the relations, and with the LP on by the attacker's LP — suppress a neighbour
  // of each such cell and repeat until nothing is. Suppressing more cells only widens intervals,
  // so later rounds re-check only the exposed cells. With the LP off, what the bounds cannot
  // decide is left to the audit (the witness step's tables, then its own witness search).
  const certificates = lpOn ? new CertificateLog() : undefined;
  let only: Set<number> | undefined;
  // With the LP off, the rounds after the first check bounds near the exposed cells only, which
  // is cheaper and may miss what lies further out; when such a round finds nothing, a full one
  // over every cell ever exposed confirms it (suppressing more never exposes anything new).
  const everExposed = new Set<number>();
  let near = false;
  for (let round = 1; ; round++) {
    const few = only !== undefined && only.size < FEW_CELLS;
    const {
      exposures,
      stats,
      bounds,
      failing,
      hidden,
      seconds: took,
    } = await findExposures(con, prefix, spec, rules, {
      only: lpOn || near || !only ? only : everExposed,
      // With the LP on, the bounds only shortcut what the LP decides anyway, so after the first
      // round they are propagated near the exposed cells only (a full propagation costs seconds).
      near: near || (lpOn && round > 1),
      graph,
      // A round that re-checks a few exposed cells leaves them to the LP's balls: witness tables
      // and block LPs cost about a second a round however few cells they are for (the witness
      // search sets up over the whole graph, a block LP holds a whole kommun). On the full-scale
      // 2023, rounds 2–7 took 17 s instead of 29 s, with the same exposures each round.
      witnesses: lpOn && !few,
      blocks: !few,
      // What the witness step proved before it hid anything needs no second search in round 1.
      witnessed: round === 1 ? witnessed.proofs : undefined,
      hide: lpOn,
      certificates,
      onProgress: (m) => options.progress(`disclosure control: ${options.label}: LP: ${m}`),
    });
    // What the LP hid to prove what it could not otherwise (lp.ts, `pursue`) is hidden for good:
    // its proofs assume it, and hiding more only widens every interval, so they stay proofs.
    if (hidden.length > 0) repaired += hidden.length + (await hideForGood(hidden));
    options.progress(
      lpOn
        ? `disclosure control: ${options.label}: LP round ${round}: ${stats.requirements} intervals, ${stats.witnessed} proven by witness tables, ${stats.bounded} exposed on bounds, ${stats.lps} LPs (${stats.outOfReach} neighbourhoods without one: their seed out of reach on bounds), ${hidden.length} cells hidden inside the LP, ${exposures.length} exposed (${seconds()}; this round: bounds ${took.bounds.toFixed(1)} s, witness tables ${(took.certificates + took.witnesses).toFixed(1)} s, LP blocks ${took.blocks.toFixed(1)} s, neighbourhoods ${took.bulk.toFixed(1)} s, one by one ${took.single.toFixed(1)} s)`
        : `disclosure control: ${options.label}: bounds round ${round}${near ? " (near the exposed)" : ""}: ${stats.requirements} intervals, ${exposures.length} exposed on bounds (LP off; ${seconds()})`,
    );
    only = new Set(exposures.map((e) => e.cell));
    for (const id of only) everExposed.add(id);
    if (exposures.length === 0 && !near) {
      // The tables that proved something wait for the audit, which checks them (certificates.ts).
      if (certificates && certificates.size > 0) {
        const t = performance.now();
        const { table, partition } = options.certify;
        await storeCertificates(con, prefix, table, partition, certificates.data(), { append: true });
        options.progress(
          `disclosure control: ${options.label}: ${certificates.size} tables of the LP rounds (LPs and witness tables; ${certificates.entries} changed cells) kept for the audit (${((performance.now() - t) / 1000).toFixed(1)} s)`,
        );
      }
      return repaired;
    }
    near = !lpOn && exposures.length > 0;
    if (exposures.length === 0) continue;
    if (round > 100)
      throw new Error(`disclosure control: ${spec.name} still exposed after 100 repair rounds`);
    // Every exposed cell proposes the cheapest published member of its groups. Exposed cells next
    // to each other often propose the same cell: it is added once, and the next round's LP tells
    // whether it was enough. When every group around them is hidden already, look further out.
    const exposed = [...only].map((id) => id - 1).sort((x, y) => x - y);
    // Exposures on bounds name the relations to blame: hide a published member of each. The LP's
    // exposures, and those no single relation explains, take the cheapest neighbour.
    const blamed = bounds && failing ? boundRepairs(graph, spec, bounds, failing) : undefined;
    // The LP names, for each exposure it found, the cheapest published member of the relations
    // that bound the attacker's optimum (Exposure.repair): hiding it relaxes what exposed the cell.
    const lpPicks = new Map<number, number>();
    for (const e of exposures)
      if (e.repair !== undefined && e.repair >= 0 && !blamed?.answered.has(e.cell - 1))
        lpPicks.set(e.cell - 1, Math.min(e.repair, lpPicks.get(e.cell - 1) ?? e.repair));
    const rest = exposed.filter((c) => !blamed?.answered.has(c) && !lpPicks.has(c));
    let added = [
      ...new Set([...(blamed?.picks ?? []), ...lpPicks.values(), ...cheapestPartners(graph, rest)]),
    ].sort((x, y) => x - y);
    for (const c of added) suppress(graph, c);
    if (added.length === 0) added = exposed.map((c) => suppressNeighbour(graph, c)).filter((c) => c >= 0);
    if (added.length === 0)
      throw new Error(`disclosure control cannot protect: ${describeExposure(exposures[0])}`);
    repaired += added.length;
    await hideForGood(added);
  }
}

/** Exposed cells below which a repair round skips witness tables and block LPs (above). */
const FEW_CELLS = 1000;

/** How the audit proved a table's protection intervals, and what it left open. */
function proofs(t: AuditTableReport): string {
  const byLp = t.requirements - t.unchecked - t.witnessed - t.certified;
  const certified =
    t.certified > 0 ? `${t.certified} by protection's tables (witness step and LP) checked here, ` : "";
  return `${t.requirements - t.unchecked} protection intervals proven (${t.witnessed} by witness tables, ${certified}${byLp} by ${t.lps} LPs), ${undecided(t.unchecked)}`;
}

/** The audit's words for the intervals it left open: only the LP-off build leaves any. */
function undecided(n: number): string {
  return n > 0 ? `${n} not decided (LP off: no witness table, and no exposure on bounds)` : "none undecided";
}

/** Primary and secondary suppression of one table (all partitions); writes `spec.pub`. */
async function protectTable(
  con: Connection,
  spec: TableSpec,
  rules: SdcRules,
  progress: (message: string) => void,
  only?: ReadonlySet<string>,
): Promise<{ report: SdcTableReport; counts: SuppressedCount[]; byPartition: SuppressedCount[] }> {
  const t0 = performance.now();
  checkColumns(spec, await tableColumns(con, spec.raw));
  const prefix = `sdc_${spec.name}`;
  const counts = new Map<string, number>();
  const report: SdcTableReport = {
    table: spec.name,
    cells: 0,
    primary: 0,
    secondary: 0,
    repaired: 0,
    seconds: 0,
  };
  const families = spec.sharedDenominators ? await createFamilies(con, spec) : 0;
  if (families > 0)
    progress(`disclosure control: ${spec.name}: ${families} families of indicators share a denominator`);
  let first = true;
  let written = 0;
  const byPartition: SuppressedCount[] = [];
  for (const part of await selectedPartitions(con, spec, only)) {
    const where = partitionFilter(spec, part);
    if (families > 0) {
      // The denominators first, once per family; then every member starts from that pattern.
      await createFamilyTable(con, spec, part);
      const family = familySpec(spec);
      report.repaired += await protectPartition(con, "sdc_family", family, rules, {
        where: "true",
        label: `${spec.name} ${part} shared denominators`,
        progress,
        certify: { table: family.name, partition: String(part) },
      });
      const keys = [...spec.tableKeys.filter((k) => k !== "indikator"), ...spec.cellKeys]
        .map(quote)
        .join(", ");
      await exec(
        con,
        `CREATE OR REPLACE TEMP TABLE sdc_family_hidden AS SELECT indikator AS familj, ${keys} FROM sdc_family_cells WHERE sup`,
      );
      report.repaired += await protectPartition(con, prefix, spec, rules, {
        where,
        source: withFamilyPattern(spec),
        suppressed: "rule IS NOT NULL OR familj_sup",
        label: `${spec.name} ${part}`,
        progress,
        certify: { table: spec.name, partition: String(part) },
      });
    } else {
      report.repaired += await protectPartition(con, prefix, spec, rules, {
        where,
        label: part === null ? spec.name : `${spec.name} ${part}`,
        progress,
        certify: { table: spec.name, partition: String(part) },
      });
    }
    const rows = await queryRows<{ rule: string; n: number }>(
      con,
      `SELECT rule, count(*)::INTEGER AS n FROM ${prefix}_cells WHERE sup GROUP BY rule ORDER BY rule`,
    );
    for (const r of rows) {
      counts.set(r.rule, (counts.get(r.rule) ?? 0) + r.n);
      if (part !== null)
        byPartition.push({ table: spec.name, partition: String(part), rule: r.rule, cells: r.n });
    }
    const [{ n }] = await queryRows<{ n: number }>(con, `SELECT count(*)::INTEGER AS n FROM ${prefix}_cells`);
    report.cells += n;
    const target = first ? `CREATE OR REPLACE TABLE ${spec.pub} AS` : `INSERT INTO ${spec.pub}`;
    await exec(
      con,
      `${target} SELECT ${publishedSelect(spec)} FROM ${prefix}_cells ORDER BY ${sortOrder(spec)}`,
    );
    first = false;
    written++;
    if (part !== null) progress(`disclosure control: ${spec.name} ${spec.partition} ${part}: ${n} cells`);
  }
  if (first) {
    // No partition selected: an empty table of the published shape.
    await exec(
      con,
      `CREATE OR REPLACE TABLE ${spec.pub} AS SELECT ${publishedSelect(spec)} FROM (SELECT *, false AS sup FROM ${spec.raw}) WHERE false`,
    );
  }
  // One partition is already in order; only several need the sort by the dozen text keys (5 s
  // per year of the indicator table).
  if (written > 1)
    await exec(
      con,
      `CREATE OR REPLACE TABLE ${spec.pub} AS SELECT * FROM ${spec.pub} ORDER BY ${spec.sort.map(quote).join(", ")}`,
    );
  await dropWorkTables(con, prefix);
  await dropWorkTables(con, "sdc_family");
  for (const table of ["sdc_family_map", "sdc_family_raw", "sdc_family_hidden"]) {
    await exec(con, `DROP TABLE IF EXISTS ${table}`);
  }
  for (const [rule, cells] of counts) {
    if (rule === RULE_NAMES.secondary) report.secondary += cells;
    else report.primary += cells;
  }
  report.seconds = (performance.now() - t0) / 1000;
  const list = [...counts.entries()].map(([rule, cells]) => ({ table: spec.name, rule, cells }));
  return { report, counts: list, byPartition };
}

/**
 * Reads every existing `*_raw` table (indikatorer, segregation, omraden, omraden_fordelning) and
 * writes the matching `*_pub` table: publication columns only, suppressed cells with status '..'
 * and null values.
 */
export async function protectTables(con: Connection, options: SdcOptions = {}): Promise<SdcReport> {
  const rules = resolveRules(options.rules);
  const progress = options.onProgress ?? (() => {});
  const specs = options.specs ?? (await knownSpecs(con));
  await ensureReferenceTables(con, specs);
  const tables: SdcTableReport[] = [];
  const suppressed: SuppressedCount[] = [];
  const byPartition: SuppressedCount[] = [];
  for (const spec of specs) {
    const {
      report,
      counts,
      byPartition: parts,
    } = await protectTable(con, spec, rules, progress, options.partitions);
    tables.push(report);
    suppressed.push(...counts);
    byPartition.push(...parts);
    progress(
      `disclosure control: ${spec.name}: ${report.primary} primary and ${report.secondary} secondary of ${report.cells} cells suppressed (${report.seconds.toFixed(1)} s)`,
    );
  }
  suppressed.sort((a, b) => (a.table === b.table ? (a.rule < b.rule ? -1 : 1) : a.table < b.table ? -1 : 1));
  return { rules, tables, suppressed, byPartition, format: () => formatReport(tables, suppressed) };
}

function formatReport(tables: SdcTableReport[], suppressed: SuppressedCount[]): string {
  const lines = ["Disclosure control: suppressed cells per table and rule"];
  for (const t of tables) {
    const share = t.cells > 0 ? (100 * (t.primary + t.secondary)) / t.cells : 0;
    lines.push(
      `  ${t.table}: ${t.cells} cells, ${t.primary} primary, ${t.secondary} secondary (${share.toFixed(1)} %)` +
        (t.repaired > 0
          ? `, of which ${t.repaired} added for witness tables and to repair exposures (bounds, LP)`
          : ""),
    );
    for (const s of suppressed.filter((x) => x.table === t.table)) {
      lines.push(`    ${s.rule.padEnd(14)} ${s.cells}`);
    }
  }
  return lines.join("\n");
}

export interface AuditTableReport {
  table: string;
  cells: number;
  suppressed: number;
  /** Interval requirements checked with the LP, and LPs run. */
  requirements: number;
  lps: number;
  /** Intervals proven by witness tables without an LP (witness.ts). */
  witnessed: number;
  /** Intervals proven by protection's tables (witness step and LP), checked by the audit (certificates.ts). */
  certified: number;
  /** Intervals left unproven because the LP is off, protected by the group rules only. */
  unchecked: number;
  seconds: number;
}

export interface AuditReport {
  tables: AuditTableReport[];
  format(): string;
}

/** Published values must be the raw values; suppressed ones null; no primary cell published. */
async function checkPublishedCells(
  con: Connection,
  spec: TableSpec,
  prefix: string,
  rules: SdcRules,
): Promise<string[]> {
  const problems: string[] = [];
  const countColumn = spec.quantities.count;
  const checks: { rule: string; where: string }[] = [
    { rule: "a published cell fails a primary rule", where: "NOT sup AND rule IS NOT NULL" },
    {
      rule: "a published value differs from the raw value",
      where: `NOT sup AND NOT (${spec.hide.map((c) => `${quote(c)} IS NOT DISTINCT FROM ${quote(`pub_${c}`)}`).join(" AND ")})`,
    },
    {
      rule: "a suppressed cell shows a value",
      where: `sup AND NOT (${spec.hide.map((c) => `${quote(`pub_${c}`)} IS NULL`).join(" AND ")})`,
    },
  ];
  if (countColumn) {
    checks.push({
      rule: `a published count lies in 1–${rules.countMin - 1}`,
      where:
        `NOT sup AND kind = 'count' AND ${quote(`pub_${countColumn}`)} > 0 AND ${quote(`pub_${countColumn}`)} < ${rules.countMin}` +
        (spec.countPersons ? ` AND ${quote(spec.countPersons)} = ${quote(countColumn)}` : ""),
    });
  }
  const keyText = [...spec.tableKeys, ...spec.cellKeys]
    .map((k) => `'${k}=' || coalesce(${quote(k)}::VARCHAR, 'NULL')`)
    .join(" || ',' || ");
  for (const check of checks) {
    const rows = await queryRows<{ n: number; example: string }>(
      con,
      `SELECT count(*)::INTEGER AS n, min(${keyText}) AS example FROM ${prefix}_cells WHERE ${check.where}`,
    );
    if (rows[0].n > 0)
      problems.push(`${spec.pub}: ${check.rule} in ${rows[0].n} cell(s), e.g. (${rows[0].example})`);
  }
  return problems;
}

/**
 * The independent audit: from the published tables alone (and the raw values, to know which rule
 * each cell answers to) it checks that every published cell passes the primary rules, that no
 * count in 1–4 is published, that every published table has exactly the publication columns, and
 * — by linear programming over all additive relations — that the feasible interval of every
 * suppressed cell is as wide as its rule requires. Throws an Error naming table, cell and interval
 * when anything is exposed.
 */
export async function auditTables(
  con: Connection,
  options: {
    rules?: Partial<SdcRules>;
    specs?: TableSpec[];
    onProgress?: (message: string) => void;
    /** Only these partitions of partitioned tables (see SdcOptions.partitions). */
    partitions?: ReadonlySet<string>;
    /** Check the tables protection's LPs found (certificates.ts) before solving LPs of its own
     * (default true); false solves every LP again. */
    certificates?: boolean;
  } = {},
): Promise<AuditReport> {
  const rules = resolveRules(options.rules);
  const progress = options.onProgress ?? (() => {});
  const specs = options.specs ?? (await knownSpecs(con));
  await ensureReferenceTables(con, specs);
  const tables: AuditTableReport[] = [];
  const problems: string[] = [];
  const exposures: Exposure[] = [];
  for (const spec of specs) {
    const t0 = performance.now();
    const pubColumns = await tableColumns(con, spec.pub);
    if (pubColumns.length === 0) {
      problems.push(`${spec.pub}: missing (run protectTables first)`);
      continue;
    }
    if (pubColumns.join(",") !== spec.columns.join(",")) {
      problems.push(
        `${spec.pub}: columns are (${pubColumns.join(", ")}), expected exactly (${spec.columns.join(", ")})`,
      );
      continue;
    }
    const keys = spec.sort.map(quote).join(", ");
    const raw = rawScope(spec, options.partitions);
    const [counts] = await queryRows<{ raw: number; pub: number; matched: number }>(
      con,
      `SELECT (SELECT count(*) FROM ${raw})::INTEGER AS raw, (SELECT count(*) FROM ${spec.pub})::INTEGER AS pub,
              (SELECT count(*) FROM ${raw} JOIN ${spec.pub} USING (${keys}))::INTEGER AS matched`,
    );
    if (counts.raw !== counts.pub || counts.matched !== counts.raw) {
      problems.push(
        `${spec.pub}: ${counts.pub} rows for ${counts.raw} raw rows (${counts.matched} matched by key): every raw cell must be published exactly once`,
      );
      continue;
    }
    const prefix = `sdc_audit_${spec.name}`;
    const source = `(SELECT r.*, ${spec.hide.map((c) => `p.${quote(c)} AS ${quote(`pub_${c}`)}`).join(", ")}, p.status AS pub_status
                     FROM ${raw} r JOIN ${spec.pub} p USING (${keys}))`;
    const report: AuditTableReport = {
      table: spec.name,
      cells: 0,
      suppressed: 0,
      requirements: 0,
      lps: 0,
      witnessed: 0,
      certified: 0,
      unchecked: 0,
      seconds: 0,
    };
    const useCertificates = options.certificates ?? true;
    for (const part of await selectedPartitions(con, spec, options.partitions)) {
      const started = performance.now();
      await createCells(con, prefix, spec, rules, {
        where: partitionFilter(spec, part),
        source,
        suppressed: "coalesce(pub_status = '..', false)",
      });
      problems.push(...(await checkPublishedCells(con, spec, prefix, rules)));
      await createGroups(con, prefix, spec);
      const prepared = performance.now();
      const {
        exposures: found,
        stats,
        seconds: took,
      } = await findExposures(con, prefix, spec, rules, {
        onProgress: (m) => progress(`audit: ${m}`),
        certified: useCertificates ? await loadCertificates(con, prefix, spec.name, String(part)) : undefined,
        boundsLast: true,
        // What protection's tables leave is a handful of cells: neighbourhoods suffice.
        blocksFrom: FEW_CELLS,
      });
      const lps = took.blocks + took.bulk + took.single;
      progress(
        `audit: ${spec.name} ${part}: cells and published values ${((prepared - started) / 1000).toFixed(1)} s, graph ${took.graph.toFixed(1)} s, bounds ${took.bounds.toFixed(1)} s, certificates ${took.certificates.toFixed(1)} s, witness tables ${took.witnesses.toFixed(1)} s, LPs ${lps.toFixed(1)} s`,
      );
      for (const e of found) exposures.push(e);
      const [{ n, s }] = await queryRows<{ n: number; s: number }>(
        con,
        `SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE sup)::INTEGER AS s FROM ${prefix}_cells`,
      );
      report.cells += n;
      report.suppressed += s;
      report.requirements += stats.requirements;
      report.lps += stats.lps;
      report.witnessed += stats.witnessed;
      report.certified += stats.certified;
      report.unchecked += stats.unchecked;
    }
    await dropWorkTables(con, prefix);
    if (spec.sharedDenominators && (await createFamilies(con, spec)) > 0) {
      // Across indicators: a family's denominator is known wherever any member publishes it.
      for (const part of await selectedPartitions(con, spec, options.partitions)) {
        await createFamilyTable(con, spec, part, spec.pub);
        const family = familySpec(spec);
        await createCells(con, "sdc_audit_family", family, rules, {
          where: "true",
          suppressed: "NOT familj_published",
        });
        const [{ n }] = await queryRows<{ n: number }>(
          con,
          "SELECT count(*)::INTEGER AS n FROM sdc_audit_family_cells WHERE NOT sup AND rule IS NOT NULL",
        );
        if (n > 0)
          problems.push(
            `${spec.pub}: ${n} denominator(s) of at most ${rules.denominatorAbove} persons are published by some indicator`,
          );
        await createGroups(con, "sdc_audit_family", family);
        const { exposures: found, stats } = await findExposures(con, "sdc_audit_family", family, rules, {
          onProgress: (m) => progress(`audit: ${m}`),
          certified: useCertificates
            ? await loadCertificates(con, "sdc_audit_family", family.name, String(part))
            : undefined,
          boundsLast: true,
          blocksFrom: FEW_CELLS,
        });
        for (const e of found) exposures.push(e);
        report.requirements += stats.requirements;
        report.lps += stats.lps;
        report.witnessed += stats.witnessed;
        report.certified += stats.certified;
        report.unchecked += stats.unchecked;
      }
      await dropWorkTables(con, "sdc_audit_family");
      for (const table of ["sdc_family_map", "sdc_family_raw"])
        await exec(con, `DROP TABLE IF EXISTS ${table}`);
    }
    report.seconds = (performance.now() - t0) / 1000;
    tables.push(report);
    progress(
      `audit: ${spec.name}: ${report.suppressed} suppressed cells, ${proofs(report)} (${report.seconds.toFixed(1)} s)`,
    );
  }
  await dropCertificates(con);
  for (const e of exposures) problems.push(describeExposure(e));
  if (problems.length > 0) {
    const shown = problems.slice(0, 10).join("\n  ");
    const more = problems.length > 10 ? `\n  … and ${problems.length - 10} more` : "";
    throw new Error(`disclosure audit failed (${problems.length} problem(s)):\n  ${shown}${more}`);
  }
  return {
    tables,
    format: () =>
      [
        "Disclosure audit: passed",
        ...tables.map((t) => `  ${t.table}: ${t.cells} cells, ${t.suppressed} suppressed, ${proofs(t)}`),
      ].join("\n"),
  };
}

/**
 * Which indicators share a denominator population (families.ts), as text: the one thing about
 * the other years that one year's protection of the indicator table depends on. A build keys its
 * cached protected years on it.
 */
export async function familySignature(con: Connection): Promise<string> {
  if ((await tableColumns(con, "indikatorer_raw")).length === 0) return "";
  await createFamilies(con, indikatorerSpec());
  const [{ text }] = await queryRows<{ text: string | null }>(
    con,
    "SELECT string_agg(indikator || '=' || familj, ',' ORDER BY indikator) AS text FROM sdc_family_map",
  );
  await exec(con, "DROP TABLE IF EXISTS sdc_family_map");
  return text ?? "";
}
