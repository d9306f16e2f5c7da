// Områdestyper on the site: counting RegSO and persons by type. Pure functions (tested in
// tests/src/components/areatypes/). The type names come from data/omradestyper.json (areas/config.ts).

export interface OmradeRow {
  ar: number;
  region: string;
  omradestyp: string | null;
  status: string | null;
}

export interface TypeCount {
  ar: number;
  omradestyp: string;
  antal: number;
  /** Share of the year's RegSO that have a type, in %; null for `saknas`. */
  andel: number | null;
}

/** RegSO without a type (no index) are counted under this code. */
export const UTAN_TYP = "saknas";

/**
 * Number and share of RegSO per year and type. The share is of the RegSO that have a type; RegSO
 * without a type are counted under `saknas` (share null). Sorted by year, then type (`saknas` last).
 */
export function countByType(rows: readonly OmradeRow[]): TypeCount[] {
  const counts = new Map<string, number>();
  const typed = new Map<number, number>();
  for (const row of rows) {
    const typ = row.omradestyp ?? UTAN_TYP;
    const k = `${row.ar}|${typ}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
    if (typ !== UTAN_TYP) typed.set(row.ar, (typed.get(row.ar) ?? 0) + 1);
  }
  const result: TypeCount[] = [];
  for (const [k, antal] of counts) {
    const [ar, omradestyp] = k.split("|");
    const total = typed.get(Number(ar)) ?? 0;
    result.push({
      ar: Number(ar),
      omradestyp,
      antal,
      andel: omradestyp === UTAN_TYP || total === 0 ? null : (100 * antal) / total,
    });
  }
  // Codes compare by code unit (not locale), `saknas` after every type.
  const order = (typ: string) => (typ === UTAN_TYP ? "\uffff" : typ);
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return result.sort((a, b) => a.ar - b.ar || compare(order(a.omradestyp), order(b.omradestyp)));
}

/** A 5 × 5 (from × to) matrix of transitions from rows of omraden/overgangar.parquet (one per RegSO). */
export function transitionMatrix(
  rows: readonly { fran_typ: string; till_typ: string }[],
  types: readonly string[] = ["1", "2", "3", "4", "5", UTAN_TYP],
): { fran: string; till: string; antal: number }[] {
  const counts = new Map<string, number>();
  for (const row of rows)
    counts.set(`${row.fran_typ}|${row.till_typ}`, (counts.get(`${row.fran_typ}|${row.till_typ}`) ?? 0) + 1);
  return types.flatMap((fran) =>
    types.map((till) => ({ fran, till, antal: counts.get(`${fran}|${till}`) ?? 0 })),
  );
}
