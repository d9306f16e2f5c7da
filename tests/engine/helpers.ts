/** Runs the person frame and the engine on a tiny population and looks up published cells. */
import type { Connection } from "../../data-loaders/db.ts";
import { exec, openDatabase, queryRows, sqlString } from "../../data-loaders/db.ts";
import { computeIndicators } from "../../data-loaders/engine/compute.ts";
import { createPersonFrame } from "../../data-loaders/engine/derived.ts";
import { createPersoner, createUtvandrade, type Person } from "./fixture.ts";

export interface Cell {
  indikator: string;
  ar: number;
  niva: string;
  region: string;
  kon: string;
  alder: string;
  fodelseregion: string;
  vistelsetid: string;
  grund: string;
  utbildningsniva: string;
  bakgrund: string;
  omradestyp: string;
  taljare: number | null;
  namnare: number | null;
  varde: number | null;
  status: string | null;
  antal: number | null;
  antal_taljare: number | null;
  bidragsgivare: number | null;
  storsta_bidrag: number | null;
}

export interface EngineRun {
  con: Connection;
  cells: Cell[];
}

export async function runEngine(options: {
  persons: Person[];
  /** Years in the person frame. */
  frameYears: number[];
  /** Years computed. */
  years: number[];
  emigrationYears?: number[];
  utvandrade?: { lopnr: number; datum: string; kommun: string; deso: string | null }[];
  indicators?: string[];
  /** Områdestyp per RegSO, set as the areas step would. */
  omradestyp?: Record<string, string>;
}): Promise<EngineRun> {
  const con = await openDatabase({ threads: 1 });
  await createPersoner(con, options.persons);
  await createUtvandrade(con, options.utvandrade ?? []);
  await createPersonFrame(con, { years: options.frameYears });
  for (const [regso, typ] of Object.entries(options.omradestyp ?? {})) {
    await exec(con, `UPDATE person_ar SET omradestyp = ${sqlString(typ)} WHERE regso = ${sqlString(regso)}`);
  }
  await computeIndicators(con, {
    years: options.years,
    emigrationYears: options.emigrationYears ?? [],
    indicators: options.indicators,
  });
  const cells = await queryRows<Cell>(
    con,
    `SELECT * REPLACE (ar::INTEGER AS ar, antal::INTEGER AS antal, antal_taljare::INTEGER AS antal_taljare,
                       bidragsgivare::INTEGER AS bidragsgivare)
     FROM indikatorer_raw`,
  );
  return { con, cells };
}

const TOTALS = {
  kon: "totalt",
  alder: "totalt",
  fodelseregion: "totalt",
  vistelsetid: "totalt",
  grund: "totalt",
  utbildningsniva: "totalt",
  bakgrund: "totalt",
  omradestyp: "totalt",
};

export type CellKey = { indikator: string; ar: number } & Partial<Omit<Cell, "indikator" | "ar">>;

/** The one cell matching the key (breakdowns default to `totalt`, level to riket); throws if not exactly one. */
export function cell(cells: Cell[], key: CellKey): Cell {
  const full = { niva: "riket", region: "00", ...TOTALS, ...key } as Record<string, unknown>;
  const names = [
    "indikator",
    "ar",
    "niva",
    "region",
    "kon",
    "alder",
    "fodelseregion",
    "vistelsetid",
    "grund",
    "utbildningsniva",
    "bakgrund",
    "omradestyp",
  ];
  const found = cells.filter((c) =>
    names.every((n) => (c as unknown as Record<string, unknown>)[n] === full[n]),
  );
  if (found.length !== 1)
    throw new Error(`expected one cell for ${JSON.stringify(key)}, found ${found.length}`);
  return found[0];
}

/** Whether any cell matches the key (same defaults as `cell`). */
export function hasCell(cells: Cell[], key: CellKey): boolean {
  try {
    cell(cells, key);
    return true;
  } catch {
    return false;
  }
}

/** The published value of a cell. */
export function value(cells: Cell[], key: CellKey): number | null {
  return cell(cells, key).varde;
}
