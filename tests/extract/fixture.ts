/**
 * A tiny valid register extract, written with DuckDB, that the tests break one fault at a time.
 *
 * Persons lopnr 1–32 live in 2021; 1–30 still live in 2022 (an election year); 31 and 32 emigrate
 * during 2022 (utvandrade_2022). Every value is a simple function of i = lopnr, so the tests can
 * work out by hand which rows a change touches:
 *
 * - fodelsear = 2020 - 2i (ages 2021: 2i + 1, i.e. 3 … 65)
 * - fodelseland = 'SY' when i % 3 = 0, else 'FI' when i % 5 = 0, else 'SE'
 * - kommun / deso: i % 3 = 0 → Upplands Väsby (0114), 1 → Stockholm (0180), 2 → Malmö (1280)
 * - sysselsatt when i is even; foretagare when i % 6 = 0
 * - 2022: rostberattigad when aged 18+ (age 2i + 2 ≥ 18 ⇔ i ≥ 8) and born in SE;
 *   rostade when rostberattigad and i % 3 <> 1
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Connection } from "../../data-loaders/db.ts";
import { exec, openDatabase, queryRows } from "../../data-loaders/db.ts";
import { EMIGRATION_COLUMNS, PERSON_COLUMNS } from "../../data-loaders/extract/contract.ts";
import { geography } from "../../data-loaders/reference/geography.ts";

/** The smallest DeSO of a kommun, from the reference geography. */
export function firstDeso(kommun: string): string {
  const codes = geography()
    .deso.filter((d) => d.kommun === kommun)
    .map((d) => d.code)
    .sort();
  return codes[0];
}

const DESO_0114 = firstDeso("0114");
const DESO_0180 = firstDeso("0180");
const DESO_1280 = firstDeso("1280");

/** SQL for each person column, in terms of i (lopnr) and y (year). */
function personExpressions(): Record<string, string> {
  const land = "CASE WHEN i % 3 = 0 THEN 'SY' WHEN i % 5 = 0 THEN 'FI' ELSE 'SE' END";
  const employed = "i % 2 = 0";
  const entitled = `CASE WHEN y = 2022 THEN (y - (2020 - 2 * i)) >= 18 AND ${land} = 'SE' END`;
  return {
    lopnr: "i",
    ar: "y",
    kon: "1 + i % 2",
    fodelsear: "2020 - 2 * i",
    fodelseland: land,
    fodelseland_mor: land,
    fodelseland_far: `CASE WHEN i % 4 = 0 THEN NULL ELSE ${land} END`,
    senaste_invandring: `CASE WHEN ${land} <> 'SE' THEN DATE '2010-06-01' + i END`,
    grund_for_bosattning: `CASE ${land} WHEN 'SY' THEN 'skyddsbehov' END`,
    kommun: "CASE i % 3 WHEN 0 THEN '0114' WHEN 1 THEN '0180' ELSE '1280' END",
    deso: `CASE i % 3 WHEN 0 THEN '${DESO_0114}' WHEN 1 THEN '${DESO_0180}' ELSE '${DESO_1280}' END`,
    kommun_fg_ar: "CASE i % 3 WHEN 0 THEN '0114' WHEN 1 THEN '0180' ELSE '1280' END",
    hushall_id: "1000 + (i + 1) // 2",
    bostadsarea: "60 + i",
    antal_rum: "2 + i % 3",
    bor_med_foralder: "i % 2 = 0",
    upplatelseform: "['aganderatt', 'bostadsratt', 'hyresratt'][1 + i % 3]",
    utbildningsniva: "CASE WHEN i = 1 THEN NULL ELSE 1 + i % 4 END",
    studerande: "i % 5 = 1",
    sysselsatt: employed,
    foretagare: "i % 6 = 0",
    chef: `CASE WHEN ${employed} THEN i % 4 = 0 END`,
    ssyk_niva: `CASE WHEN ${employed} THEN 1 + i % 4 END`,
    af_status: "CASE i % 7 WHEN 1 THEN 'oppet_arbetslos' WHEN 2 THEN 'program_aktivitetsstod' END",
    arbetslos_manader: "CASE WHEN i % 7 IN (1, 2) THEN 6 ELSE 0 END",
    loneinkomst: `CASE WHEN ${employed} THEN 300000 + 1000 * i ELSE 0 END`,
    nettoinkomst: `CASE WHEN ${employed} THEN 310000 + 1000 * i ELSE 10000 END`,
    disp_ink: `CASE WHEN ${employed} THEN 200000 + 700 * i ELSE -5000 END`,
    sjukpenning: "CASE WHEN i % 8 = 0 THEN 5000 ELSE 0 END",
    sjuk_aktivitetsersattning: "0",
    arbetsloshetsersattning: "CASE WHEN i % 7 IN (1, 2) THEN 1000 ELSE 0 END",
    ekonomiskt_bistand: "CASE WHEN i % 9 = 0 THEN 20000 ELSE 0 END",
    etableringsersattning: "0",
    ekbistand_manader: "CASE WHEN i % 9 = 0 THEN 6 ELSE 0 END",
    ohalsodagar: "CASE WHEN i % 8 = 0 THEN 12.5 ELSE 0 END",
    behorig_gymnasiet: "NULL",
    behorig_hogskola: "NULL",
    sfi_godkand: "NULL",
    rostberattigad: entitled,
    rostade: `CASE WHEN ${entitled} THEN i % 3 <> 1 END`,
  };
}

/**
 * Creates the tables personer_2021 (lopnr 1–32), personer_2022 (1–30) and utvandrade_2022
 * (31 on 2022-03-15 from 0114, 32 on 2022-08-01 from 1280) in `con`, with exactly the contract's
 * types plus one extra column `extra_info` that the validator must ignore.
 */
export async function createValidTables(con: Connection): Promise<void> {
  const expr = personExpressions();
  const select = PERSON_COLUMNS.map((c) => `CAST(${expr[c.name]} AS ${c.type}) AS ${c.name}`).join(",\n");
  for (const [year, persons] of [
    [2021, 32],
    [2022, 30],
  ]) {
    await exec(
      con,
      `CREATE OR REPLACE TABLE personer_${year} AS
       SELECT ${select}, 'x' || i AS extra_info
       FROM (SELECT range::INTEGER AS i, ${year} AS y FROM range(1, ${persons + 1})) ORDER BY lopnr`,
    );
  }
  const emigrationTypes = Object.fromEntries(EMIGRATION_COLUMNS.map((c) => [c.name, c.type]));
  await exec(
    con,
    `CREATE OR REPLACE TABLE utvandrade_2022 AS
     SELECT lopnr::${emigrationTypes.lopnr} AS lopnr, datum::${emigrationTypes.datum} AS datum,
            kommun::VARCHAR AS kommun, deso::VARCHAR AS deso
     FROM (VALUES (31, DATE '2022-03-15', '0114', '${DESO_0114}'),
                  (32, DATE '2022-08-01', '1280', '${DESO_1280}')) t(lopnr, datum, kommun, deso)`,
  );
}

export interface Extract {
  dir: string;
  cleanup: () => void;
}

/** A fresh temporary directory. */
export function tempDir(): Extract {
  const dir = mkdtempSync(join(tmpdir(), "rdi-extract-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Writes the valid extract, after `mutate` (SQL run against the tables) has broken it.
 * Every table named personer_YYYY / utvandrade_YYYY is written to <name>.parquet, or for personer
 * to <name>.csv when `format` is csv (booleans as 0/1, empty field = null).
 */
export async function writeExtract(
  options: { mutate?: string; format?: "parquet" | "csv" } = {},
): Promise<Extract> {
  const con = await openDatabase({ threads: 1 });
  await createValidTables(con);
  if (options.mutate) await exec(con, options.mutate);
  const extract = tempDir();
  const tables = await queryRows<{ name: string }>(
    con,
    "SELECT table_name AS name FROM information_schema.tables WHERE regexp_matches(table_name, '^(personer|utvandrade)_[0-9]{4}$') ORDER BY 1",
  );
  for (const { name } of tables) {
    if (options.format === "csv" && name.startsWith("personer")) {
      await writeCsv(con, name, join(extract.dir, `${name}.csv`));
    } else {
      await exec(
        con,
        `COPY (SELECT * FROM ${name} ORDER BY 1) TO '${join(extract.dir, `${name}.parquet`)}' (FORMAT parquet)`,
      );
    }
  }
  con.closeSync();
  return extract;
}

/** Writes a table as contract CSV: header, comma, booleans 0/1, empty field = null. */
export async function writeCsv(con: Connection, table: string, path: string): Promise<void> {
  const columns = await queryRows<{ name: string; type: string }>(
    con,
    `SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_name = '${table}' ORDER BY ordinal_position`,
  );
  const select = columns
    .map((c) =>
      c.type === "BOOLEAN"
        ? `CASE WHEN "${c.name}" THEN 1 WHEN NOT "${c.name}" THEN 0 END AS "${c.name}"`
        : `"${c.name}"`,
    )
    .join(", ");
  await exec(
    con,
    `COPY (SELECT ${select} FROM ${table} ORDER BY 1) TO '${path}' (FORMAT csv, HEADER, DELIMITER ',')`,
  );
}
