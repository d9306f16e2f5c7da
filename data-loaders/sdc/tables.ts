/**
 * Descriptions of the tables that disclosure control protects. The engine (primary.ts,
 * secondary.ts, lp.ts) knows nothing about indicators or areas: everything table-specific —
 * keys, published columns, additive relations, the kind of each cell — is declared here.
 */
import { SORT_KEY } from "../engine/compute.ts";
import { INDICATORS } from "../engine/registry/index.ts";
import { RULE_NAMES, type SdcRules } from "./rules.ts";

/**
 * An additive relation between cells of the same table: a parent cell equals (eq) or is at least
 * (ge) the sum of its children. A child is any cell matching `child`; its parent is the cell with
 * the same keys except those overridden in `parent`.
 */
export interface Relation {
  name: string;
  kind: "eq" | "ge";
  /** SQL condition on the child cell (alias `c`). */
  child: string;
  /** Optional join that the parent keys need (e.g. a reference table, alias `r`). */
  join?: string;
  /** Parent key columns that differ from the child's: column → SQL expression over `c` (and `r`). */
  parent: Record<string, string>;
  /**
   * How many children a whole group has, where the categories are a closed list. A group with
   * fewer lacks a category that the table does not publish there (norden, eu_efta and ovriga at
   * DeSO level): readers cannot add up what is not published, so the group is not used — not even
   * where its sum happens to hold (nobody born abroad in a DeSO's numerator), which would pin its
   * cells as no reader can. What readers do know there comes from another relation (sverige +
   * utrikes = totalt; the indicator table has every category where a breakdown is published).
   */
  children?: number;
}

/**
 * What a cell is, which decides its primary rules and what its published columns mean:
 * - `count`: a count of persons (published in `countColumn`);
 * - `share`: numerator and denominator are counts of persons, the numerator's among the
 *   denominator's (numerator ≤ denominator);
 * - `ratio`: numerator and denominator are counts of two different groups of persons (a kvot such
 *   as employed in-movers per employed out-mover), so the numerator may exceed the denominator;
 * - `mean`: a mean, median or ratio over a population of persons (denominator = persons);
 * - `money`: a share or sum of money with contributors and a largest contribution;
 * - `measure`: a non-additive measure (segregation) with its own rules.
 */
export type CellKind = "count" | "share" | "mean" | "money" | "measure" | "ratio" | "whole";

export interface TableSpec {
  /** Short name used in reports: `indikatorer`. */
  name: string;
  raw: string;
  pub: string;
  /** Columns of the published table, in order. */
  columns: string[];
  /** Raw columns the description needs (checked before anything runs). */
  requiredRaw: string[];
  /** Sort order of the published table (a unique key). */
  sort: string[];
  /** Processed one value at a time (relations never cross it): bounds memory. */
  partition?: string;
  /** Columns that identify one independent table within a partition; relations never cross them. */
  tableKeys: string[];
  /** Columns that locate a cell within its table (region and breakdowns). */
  cellKeys: string[];
  /** Published columns set to NULL when a cell is suppressed. */
  hide: string[];
  /** Published columns that add up along `relations` (the attacker's equations). */
  additive: string[];
  relations: Relation[];
  /** SQL giving the cell kind (over the raw row). */
  kind: string;
  /** SQL: information lost by suppressing the cell (smaller is cheaper); persons in the cell. */
  cost: string;
  /** SQL: true when the cell is a poor partner for secondary suppression (e.g. an empty cell). */
  weak: string;
  /** SQL: the name of the first primary rule the raw row fails, or NULL. */
  primary(rules: SdcRules): string;
  /**
   * The published column that carries each protected quantity, when that quantity is additive:
   * `count` (persons of a count cell), `numerator` and `denominator` (persons of a share or mean).
   * Money sums are protected through `money` (the published sum).
   */
  quantities: { count?: string; numerator?: string; denominator?: string; money?: string };
  /**
   * Raw column with the persons behind a count cell, when the published count can be a net
   * quantity (inrikes/utrikes flyttnetto = in-movers − out-movers). Such a cell is protected
   * through these persons by the primary rule; the audit's "no published count in 1–4" check
   * applies where the published count is the persons themselves.
   */
  countPersons?: string;
  /**
   * Indicator tables only: indicators (column `indikator`) may share a denominator population
   * (e.g. persons 20–64); its suppression pattern is then made common to them (families.ts).
   */
  sharedDenominators?: boolean;
  /**
   * Blocks for the attacker's LP, in the order they are tried: each is SQL over the cell giving
   * the key of the block it belongs to (NULL: not in this pass). All suppressed cells of one block
   * (within one table) form one LP, with everything else fixed at its true value (lp.ts). Blocks
   * that follow the hierarchy hold what a protection depends on, unlike breadth-first
   * neighbourhoods in a graph where every cell has a dozen groups.
   */
  lpBlocks?: string[];
  /**
   * Units of work for the attacker's LP after the blocks: SQL over the cell giving a key (NULL is
   * a key too); the suppressed cells of one table with one key form a unit. Each unit's
   * neighbourhoods are decided on their own, so units run on any number of threads in any order
   * and give the same result. Without it, each table is one unit.
   */
  lpWork?: string;
  /**
   * Units for witness tables without an LP (witness.ts): SQL over a cell giving the unit it
   * belongs to (all breakdown cells of one small area; NULL: none), the unit's parent unit (NULL:
   * none; only units with a parent move), the pool of units that may exchange persons, and the
   * cell's slice within its unit (the breakdown keys).
   */
  witnessUnits?: { unit: string; parent: string; pool: string; slice: string };
}

const R = RULE_NAMES;

/** Indicators whose numerator and denominator count different groups (kind kvot), as SQL literals. */
const RATIO_INDICATORS =
  INDICATORS.filter((d) => d.kind === "kvot")
    .map((d) => `'${d.id}'`)
    .join(", ") || "NULL";

/** Cells whose share is 100 % by definition (`wholeByDefinition`), as an SQL condition. */
const WHOLE_CELLS =
  INDICATORS.flatMap((d) =>
    d.wholeByDefinition
      ? [
          `(indikator = '${d.id}' AND "${d.wholeByDefinition.breakdown}" IN (${d.wholeByDefinition.categories.map((c) => `'${c}'`).join(", ")}))`,
        ]
      : [],
  ).join(" OR ") || "false";

/** Region hierarchy: DeSO ⊂ RegSO ⊂ kommun ⊂ län ⊂ riket. Persons without DeSO make kommun ≥ Σ RegSO. */
export const REGION_RELATIONS: Relation[] = [
  {
    name: "deso_regso",
    kind: "eq",
    child: "c.niva = 'deso'",
    join: "JOIN ref_deso r ON r.deso = c.region",
    parent: { niva: "'regso'", region: "r.regso" },
  },
  {
    name: "regso_kommun",
    kind: "ge",
    child: "c.niva = 'regso'",
    join: "JOIN ref_regso r ON r.regso = c.region",
    parent: { niva: "'kommun'", region: "r.kommun" },
  },
  {
    // Redundant when RegSO cells exist; it keeps DeSO protected against the kommun when they do not.
    name: "deso_kommun",
    kind: "ge",
    child: "c.niva = 'deso'",
    join: "JOIN ref_deso r ON r.deso = c.region",
    parent: { niva: "'kommun'", region: "r.kommun" },
  },
  {
    name: "kommun_lan",
    kind: "eq",
    child: "c.niva = 'kommun'",
    join: "JOIN ref_kommun r ON r.kommun = c.region",
    parent: { niva: "'lan'", region: "r.lan" },
  },
  { name: "lan_riket", kind: "eq", child: "c.niva = 'lan'", parent: { niva: "'riket'", region: "'00'" } },
];

const list = (values: string[]) => values.map((v) => `'${v}'`).join(", ");

/** Breakdown relations of the indicator table: categories add up to their total (publicering.md). */
export const BREAKDOWN_RELATIONS: Relation[] = [
  { name: "kon", kind: "eq", child: "c.kon IN ('1', '2')", parent: { kon: "'totalt'" }, children: 2 },
  { name: "alder", kind: "eq", child: "c.alder <> 'totalt'", parent: { alder: "'totalt'" } },
  {
    name: "utbildningsniva",
    kind: "eq",
    child: `c.utbildningsniva IN (${list(["forgymnasial", "gymnasial", "eftergymnasial", "saknas"])})`,
    parent: { utbildningsniva: "'totalt'" },
    children: 4,
  },
  {
    name: "fodelseregion",
    kind: "eq",
    child: `c.fodelseregion IN (${list(["sverige", "norden", "eu_efta", "ovriga"])})`,
    parent: { fodelseregion: "'totalt'" },
    children: 4,
  },
  {
    name: "fodelseregion_utrikes",
    kind: "eq",
    child: `c.fodelseregion IN (${list(["norden", "eu_efta", "ovriga"])})`,
    parent: { fodelseregion: "'utrikes'" },
    children: 3,
  },
  {
    name: "inrikes_utrikes",
    kind: "eq",
    child: `c.fodelseregion IN (${list(["sverige", "utrikes"])})`,
    parent: { fodelseregion: "'totalt'" },
    children: 2,
  },
  {
    // vistelsetid and grund describe utrikes födda only: their classes add up to fodelseregion 'utrikes'.
    name: "vistelsetid",
    kind: "eq",
    child: "c.vistelsetid <> 'totalt' AND c.fodelseregion = 'totalt'",
    parent: { vistelsetid: "'totalt'", fodelseregion: "'utrikes'" },
  },
  {
    name: "grund",
    kind: "eq",
    child: "c.grund <> 'totalt' AND c.fodelseregion = 'totalt'",
    parent: { grund: "'totalt'", fodelseregion: "'utrikes'" },
  },
  {
    name: "bakgrund",
    kind: "eq",
    child: `c.bakgrund IN (${list(["svensk", "utlandsk"])})`,
    parent: { bakgrund: "'totalt'" },
    children: 2,
  },
  // Persons without områdestyp (no RegSO, or a RegSO without index) make this an inequality.
  { name: "omradestyp", kind: "ge", child: "c.omradestyp <> 'totalt'", parent: { omradestyp: "'totalt'" } },
];

/** The breakdown columns of the indicator table, in the engine's sort order (after indikator, ar, niva, region). */
const INDIKATOR_BREAKDOWNS = SORT_KEY.slice(SORT_KEY.indexOf("region") + 1);

/** The indicator values: one row per indicator, year, region and breakdown cell. */
export function indikatorerSpec(): TableSpec {
  return {
    name: "indikatorer",
    raw: "indikatorer_raw",
    pub: "indikatorer_pub",
    columns: [
      "indikator",
      "ar",
      "niva",
      "region",
      ...INDIKATOR_BREAKDOWNS,
      "taljare",
      "namnare",
      "varde",
      "status",
    ],
    requiredRaw: [
      "indikator",
      "ar",
      "niva",
      "region",
      ...INDIKATOR_BREAKDOWNS,
      "taljare",
      "namnare",
      "varde",
      "status",
      "antal",
      "antal_taljare",
      "bidragsgivare",
      "storsta_bidrag",
    ],
    sort: [...SORT_KEY],
    partition: "ar",
    tableKeys: ["indikator", "ar"],
    cellKeys: ["niva", "region", ...INDIKATOR_BREAKDOWNS],
    hide: ["taljare", "namnare", "varde"],
    additive: ["taljare", "namnare"],
    relations: [...REGION_RELATIONS, ...BREAKDOWN_RELATIONS],
    kind: `CASE WHEN bidragsgivare IS NOT NULL OR storsta_bidrag IS NOT NULL THEN 'money'
                WHEN antal_taljare IS NOT NULL AND indikator IN (${RATIO_INDICATORS}) THEN 'ratio'
                WHEN antal_taljare IS NOT NULL AND (${WHOLE_CELLS}) THEN 'whole'
                WHEN antal_taljare IS NOT NULL THEN 'share'
                WHEN namnare IS NULL THEN 'count'
                ELSE 'mean' END`,
    cost: "coalesce(antal, 0)",
    weak: "(antal IS NULL OR antal = 0 OR (taljare IS NULL AND namnare IS NULL))",
    primary: (rules) => `CASE
      WHEN status IS NOT NULL OR antal IS NULL THEN NULL
      WHEN kind = 'count' THEN CASE WHEN antal > 0 AND antal < ${rules.countMin} THEN '${R.count}' END
      WHEN antal <= ${rules.denominatorAbove} THEN '${R.denominator}'
      WHEN kind IN ('share', 'ratio') THEN CASE
        WHEN antal_taljare <= ${rules.numeratorAbove} THEN '${R.numerator}'
        WHEN kind = 'share' AND antal - antal_taljare <= ${rules.numeratorAbove} THEN '${R.complement}' END
      WHEN kind = 'money' THEN CASE
        WHEN bidragsgivare > 0 AND bidragsgivare < ${rules.moneyMinContributors} THEN '${R.contributors}'
        WHEN storsta_bidrag > ${rules.moneyDominance} * abs(taljare) THEN '${R.dominance}' END
      END`,
    quantities: { count: "taljare", numerator: "taljare", denominator: "namnare", money: "taljare" },
    countPersons: "antal",
    sharedDenominators: true,
    // DeSO and RegSO of one kommun; then the kommuner of one län; then län and riket. Kommun codes
    // begin with their län code, and DeSO and RegSO codes with their kommun code.
    lpBlocks: [
      "CASE WHEN niva IN ('deso', 'regso') THEN left(region, 4) END",
      "CASE WHEN niva = 'kommun' THEN left(region, 2) END",
      "CASE WHEN niva IN ('lan', 'riket') THEN 'riket' END",
    ],
    // A län with its kommuner and small areas: neighbourhoods rarely cross a län border.
    lpWork: "left(region, 2)",
    // A DeSO moves with all its breakdowns, within its kommun, its RegSO along; DeSOs, and
    // kommuner within their län, swap and exchange persons between hidden breakdown cells (a
    // kommun's områdestyper among them).
    witnessUnits: {
      unit: "CASE WHEN niva IN ('deso', 'regso', 'kommun') THEN region END",
      parent: "CASE WHEN niva = 'deso' THEN (SELECT d.regso FROM ref_deso d WHERE d.deso = region) END",
      pool: "CASE WHEN niva IN ('deso', 'regso') THEN left(region, 4) WHEN niva = 'kommun' THEN 'lan ' || left(region, 2) END",
      slice: `concat_ws('|', ${INDIKATOR_BREAKDOWNS.map((k) => `"${k}"`).join(", ")})`,
    },
  };
}

/** Segregation measures: not additive; a measure needs populated units and a focal group that passes the count rule. */
export function segregationSpec(): TableSpec {
  const keys = ["ar", "niva", "region", "enhet", "indelning", "grupp", "matt"];
  return {
    name: "segregation",
    raw: "segregation_raw",
    pub: "segregation_pub",
    columns: [...keys, "varde", "status"],
    requiredRaw: [...keys, "varde", "status", "befolkade_enheter", "grupp_antal"],
    sort: keys,
    tableKeys: ["ar", "enhet", "indelning", "grupp", "matt"],
    cellKeys: ["niva", "region"],
    hide: ["varde"],
    additive: [],
    relations: [],
    kind: "'measure'",
    cost: "0",
    weak: "true",
    primary: (rules) => `CASE
      WHEN status IS NOT NULL THEN NULL
      WHEN befolkade_enheter IS NULL OR befolkade_enheter < ${rules.segregationMinUnits} THEN '${R.units}'
      WHEN grupp_antal > 0 AND grupp_antal < ${rules.countMin} THEN '${R.count}'
      END`,
    quantities: {},
  };
}

/**
 * Socio-economic index per RegSO: the V1–V3 shares need a denominator population of more than
 * `denominatorAbove` persons (all ages for V1, 20–64 for V2 and V3). The områdestyp itself stays
 * published, as SCB publishes the type of every RegSO.
 */
export function omradenSpec(columns: string[]): TableSpec {
  const keys = ["ar", "niva", "region"];
  const published = columns.filter(
    (c) => !["antal", "antal_20_64"].includes(c) && !/_taljare$|^antal_/.test(c),
  );
  const hide = published.filter((c) => /^v\d_|^index$/.test(c));
  return {
    name: "omraden",
    raw: "omraden_raw",
    pub: "omraden_pub",
    columns: published,
    requiredRaw: [...keys, "status", "antal", "antal_20_64", ...hide],
    sort: keys,
    tableKeys: ["ar"],
    cellKeys: ["niva", "region"],
    hide,
    additive: [],
    relations: [],
    kind: "'mean'",
    cost: "coalesce(antal, 0)",
    weak: "true",
    primary: (rules) => `CASE
      WHEN status IS NOT NULL THEN NULL
      WHEN antal_20_64 <= ${rules.denominatorAbove} OR antal <= ${rules.denominatorAbove} THEN '${R.denominator}'
      END`,
    quantities: {},
  };
}

/** Population of a group by områdestyp: counts that add up over regions and over the groups of fodelseregion. */
export function fordelningSpec(): TableSpec {
  const keys = ["ar", "niva", "region", "indelning", "grupp", "omradestyp"];
  return {
    name: "omraden_fordelning",
    raw: "omraden_fordelning_raw",
    pub: "omraden_fordelning_pub",
    columns: [...keys, "antal", "andel", "status"],
    requiredRaw: [...keys, "antal", "andel"],
    sort: keys,
    tableKeys: ["ar"],
    cellKeys: ["niva", "region", "indelning", "grupp", "omradestyp"],
    hide: ["antal", "andel"],
    additive: ["antal"],
    relations: [
      ...REGION_RELATIONS.filter((r) => r.name === "kommun_lan" || r.name === "lan_riket"),
      {
        name: "fodelseregion_utrikes",
        kind: "eq",
        child: `c.indelning = 'fodelseregion' AND c.grupp IN (${list(["norden", "eu_efta", "ovriga"])})`,
        parent: { grupp: "'utrikes'" },
        children: 3,
      },
      {
        name: "fodelseregion_alla",
        kind: "eq",
        child: `c.indelning = 'fodelseregion' AND c.grupp IN (${list(["sverige", "utrikes"])})`,
        parent: { indelning: "'totalt'", grupp: "'alla'" },
        children: 2,
      },
      {
        name: "bakgrund_alla",
        kind: "eq",
        child: "c.indelning = 'bakgrund'",
        parent: { indelning: "'totalt'", grupp: "'alla'" },
      },
      {
        name: "vistelsetid_utrikes",
        kind: "eq",
        child: "c.indelning = 'vistelsetid'",
        parent: { indelning: "'fodelseregion'", grupp: "'utrikes'" },
      },
      {
        name: "grund_utrikes",
        kind: "ge",
        child: "c.indelning = 'grund'",
        parent: { indelning: "'fodelseregion'", grupp: "'utrikes'" },
      },
      {
        name: "omradestyp",
        kind: "ge",
        child: "c.omradestyp <> 'totalt'",
        parent: { omradestyp: "'totalt'" },
      },
    ],
    kind: "'count'",
    cost: "coalesce(antal, 0)",
    weak: "(antal IS NULL OR antal = 0)",
    primary: (rules) => `CASE
      WHEN status IS NOT NULL THEN NULL
      WHEN antal > 0 AND antal < ${rules.countMin} THEN '${R.count}'
      END`,
    quantities: { count: "antal" },
  };
}
