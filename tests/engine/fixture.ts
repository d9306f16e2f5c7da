/**
 * Tiny populations for the engine tests: a `personer` table with exactly the contract columns of
 * registerutdrag.md, filled from partial rows with neutral defaults.
 */
import type { Connection } from "../../data-loaders/db.ts";
import { exec, sqlString } from "../../data-loaders/db.ts";

export interface Person {
  lopnr: number;
  ar: number;
  kon: 1 | 2;
  fodelsear: number;
  fodelseland: string;
  fodelseland_mor: string | null;
  fodelseland_far: string | null;
  senaste_invandring: string | null;
  grund_for_bosattning: string | null;
  kommun: string;
  deso: string | null;
  kommun_fg_ar: string | null;
  hushall_id: number | null;
  bostadsarea: number | null;
  antal_rum: number | null;
  bor_med_foralder: boolean | null;
  upplatelseform: string | null;
  utbildningsniva: number | null;
  studerande: boolean;
  sysselsatt: boolean;
  foretagare: boolean;
  chef: boolean | null;
  ssyk_niva: number | null;
  af_status: string | null;
  arbetslos_manader: number;
  loneinkomst: number;
  nettoinkomst: number;
  disp_ink: number;
  sjukpenning: number;
  sjuk_aktivitetsersattning: number;
  arbetsloshetsersattning: number;
  ekonomiskt_bistand: number;
  etableringsersattning: number;
  ekbistand_manader: number;
  ohalsodagar: number;
  behorig_gymnasiet: boolean | null;
  behorig_hogskola: boolean | null;
  sfi_godkand: boolean | null;
  rostberattigad: boolean | null;
  rostade: boolean | null;
}

export const COLUMNS: [keyof Person, string][] = [
  ["lopnr", "BIGINT"],
  ["ar", "SMALLINT"],
  ["kon", "TINYINT"],
  ["fodelsear", "SMALLINT"],
  ["fodelseland", "VARCHAR"],
  ["fodelseland_mor", "VARCHAR"],
  ["fodelseland_far", "VARCHAR"],
  ["senaste_invandring", "DATE"],
  ["grund_for_bosattning", "VARCHAR"],
  ["kommun", "VARCHAR"],
  ["deso", "VARCHAR"],
  ["kommun_fg_ar", "VARCHAR"],
  ["hushall_id", "BIGINT"],
  ["bostadsarea", "SMALLINT"],
  ["antal_rum", "SMALLINT"],
  ["bor_med_foralder", "BOOLEAN"],
  ["upplatelseform", "VARCHAR"],
  ["utbildningsniva", "TINYINT"],
  ["studerande", "BOOLEAN"],
  ["sysselsatt", "BOOLEAN"],
  ["foretagare", "BOOLEAN"],
  ["chef", "BOOLEAN"],
  ["ssyk_niva", "TINYINT"],
  ["af_status", "VARCHAR"],
  ["arbetslos_manader", "TINYINT"],
  ["loneinkomst", "INTEGER"],
  ["nettoinkomst", "INTEGER"],
  ["disp_ink", "INTEGER"],
  ["sjukpenning", "INTEGER"],
  ["sjuk_aktivitetsersattning", "INTEGER"],
  ["arbetsloshetsersattning", "INTEGER"],
  ["ekonomiskt_bistand", "INTEGER"],
  ["etableringsersattning", "INTEGER"],
  ["ekbistand_manader", "TINYINT"],
  ["ohalsodagar", "REAL"],
  ["behorig_gymnasiet", "BOOLEAN"],
  ["behorig_hogskola", "BOOLEAN"],
  ["sfi_godkand", "BOOLEAN"],
  ["rostberattigad", "BOOLEAN"],
  ["rostade", "BOOLEAN"],
];

/** A Swedish-born man aged 40 in Upplands Väsby (0114C1010), nothing else recorded. */
export function person(overrides: Partial<Person> & { lopnr: number; ar: number }): Person {
  return {
    kon: 1,
    fodelsear: overrides.ar - 40,
    fodelseland: "SE",
    fodelseland_mor: "SE",
    fodelseland_far: "SE",
    senaste_invandring: null,
    grund_for_bosattning: null,
    kommun: "0114",
    deso: "0114C1010",
    kommun_fg_ar: null,
    hushall_id: null,
    bostadsarea: null,
    antal_rum: null,
    bor_med_foralder: null,
    upplatelseform: null,
    utbildningsniva: 2,
    studerande: false,
    sysselsatt: false,
    foretagare: false,
    chef: null,
    ssyk_niva: null,
    af_status: null,
    arbetslos_manader: 0,
    loneinkomst: 0,
    nettoinkomst: 0,
    disp_ink: 0,
    sjukpenning: 0,
    sjuk_aktivitetsersattning: 0,
    arbetsloshetsersattning: 0,
    ekonomiskt_bistand: 0,
    etableringsersattning: 0,
    ekbistand_manader: 0,
    ohalsodagar: 0,
    behorig_gymnasiet: null,
    behorig_hogskola: null,
    sfi_godkand: null,
    rostberattigad: null,
    rostade: null,
    ...overrides,
  };
}

function literal(value: unknown, type: string): string {
  if (value === null || value === undefined) return `NULL::${type}`;
  if (typeof value === "string") return `${sqlString(value)}::${type}`;
  return `${String(value)}::${type}`;
}

/** Creates the table `personer` with the contract columns and the given rows. */
export async function createPersoner(con: Connection, rows: Person[]): Promise<void> {
  const columns = COLUMNS.map(([name, type]) => `${name} ${type}`).join(", ");
  await exec(con, `CREATE OR REPLACE TABLE personer (${columns})`);
  if (rows.length === 0) return;
  const values = rows
    .map((row) => `(${COLUMNS.map(([name, type]) => literal(row[name], type)).join(", ")})`)
    .join(",\n");
  await exec(con, `INSERT INTO personer VALUES ${values}`);
}

/** Creates the table `utvandrade` (lopnr, datum, kommun, deso, ar) as the extract reader's view has it. */
export async function createUtvandrade(
  con: Connection,
  rows: { lopnr: number; datum: string; kommun: string; deso: string | null }[],
): Promise<void> {
  await exec(
    con,
    "CREATE OR REPLACE TABLE utvandrade (lopnr BIGINT, datum DATE, kommun VARCHAR, deso VARCHAR, ar SMALLINT)",
  );
  if (rows.length === 0) return;
  const values = rows
    .map(
      (r) =>
        `(${r.lopnr}, DATE ${sqlString(r.datum)}, ${sqlString(r.kommun)}, ${r.deso === null ? "NULL" : sqlString(r.deso)}, ${Number(r.datum.slice(0, 4))})`,
    )
    .join(", ");
  await exec(con, `INSERT INTO utvandrade VALUES ${values}`);
}
