import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Connection } from "../db.ts";
import { exec } from "../db.ts";

/** Folder of the reference data copied from SCB's open data (see data/SOURCES.md). */
export const REFERENCE_DIR = fileURLToPath(new URL("./data/", import.meta.url));

export function referencePath(file: string): string {
  return `${REFERENCE_DIR}${file}`;
}

export interface Lan {
  code: string;
  name: string;
}
export interface Kommun {
  code: string;
  name: string;
  lan: string;
}
export interface Deso {
  code: string;
  kommun: string;
  lan: string;
  regso: string;
}
export interface Regso {
  code: string;
  name: string;
  kommun: string;
  lan: string;
}

export interface Geography {
  lan: Lan[];
  kommuner: Kommun[];
  regso: Regso[];
  deso: Deso[];
}

/** Minimal CSV reader for the reference files (no quoted commas occur in them; checked below). */
function readCsv(file: string): Record<string, string>[] {
  const text = readFileSync(referencePath(file), "utf8").replace(/^\uFEFF/, "");
  const [header, ...lines] = text.split(/\r?\n/).filter((line) => line.length > 0);
  const columns = header.split(",");
  return lines.map((line, i) => {
    const cells = line.split(",");
    if (cells.length !== columns.length) {
      throw new Error(`${file}: line ${i + 2} has ${cells.length} fields, expected ${columns.length}`);
    }
    return Object.fromEntries(columns.map((c, j) => [c, cells[j]]));
  });
}

let cached: Geography | undefined;

/**
 * The real geography: 21 län, 290 kommuner, 3,363 RegSO and 5,984 DeSO 2018.
 *
 * RegSO have no codes in SCB's linking table (only names), so we assign our own stable codes
 * `<kommun>R<nnn>`: within each kommun the RegSO are numbered 001, 002, … in the order of their
 * smallest DeSO code. The codes depend only on the linking table, so they never change between builds.
 */
export function geography(): Geography {
  if (cached) return cached;
  const lan = readCsv("lan_21.csv").map((r) => ({ code: r.county_code, name: r.county_name }));
  const kommuner = readCsv("kommuner_290.csv").map((r) => ({
    code: r.municipality_code,
    name: r.municipality_name_short,
    lan: r.county_code,
  }));
  const links = readCsv("deso2018_regso2020_koppling.csv").sort((a, b) => (a.desokod < b.desokod ? -1 : 1));
  const regsoByKey = new Map<string, Regso>();
  const counter = new Map<string, number>();
  const deso: Deso[] = [];
  for (const row of links) {
    const key = `${row.kommunkod}|${row.regso_namn}`;
    let regso = regsoByKey.get(key);
    if (!regso) {
      const n = (counter.get(row.kommunkod) ?? 0) + 1;
      counter.set(row.kommunkod, n);
      regso = {
        code: `${row.kommunkod}R${String(n).padStart(3, "0")}`,
        name: row.regso_namn,
        kommun: row.kommunkod,
        lan: row.lanskod,
      };
      regsoByKey.set(key, regso);
    }
    deso.push({ code: row.desokod, kommun: row.kommunkod, lan: row.lanskod, regso: regso.code });
  }
  const regso = [...regsoByKey.values()].sort((a, b) => (a.code < b.code ? -1 : 1));
  cached = { lan, kommuner, regso, deso };
  return cached;
}

/** Kommun codes valid on 31 Dec of a year (the division changes since 1997, see registerutdrag.md). */
export function kommunCodesValidIn(year: number): Set<string> {
  const codes = new Set(geography().kommuner.map((k) => k.code));
  if (year < 1999) codes.delete("0140"); // Nykvarn split from Södertälje on 1 Jan 1999
  if (year < 2003) codes.delete("0330"); // Knivsta split from Uppsala on 1 Jan 2003
  if (year < 2007) {
    codes.delete("0331"); // Heby was 1917 in Västmanlands län until 1 Jan 2007
    codes.add("1917");
  }
  return codes;
}

/**
 * The kommun code of today's division that a code valid in some year became.
 * Only Heby changed code; Nykvarn and Knivsta are split off by the person's DeSO, which is geocoded
 * on DeSO 2018 and therefore always starts with today's kommun.
 */
export const KOMMUN_RECODE: Record<string, string> = { "1917": "0331" };

/**
 * Creates the reference tables in DuckDB:
 * ref_lan(lan, namn), ref_kommun(kommun, namn, lan), ref_regso(regso, namn, kommun, lan),
 * ref_deso(deso, regso, kommun, lan).
 */
export async function createReferenceTables(con: Connection): Promise<void> {
  const g = geography();
  const values = (rows: string[][]) =>
    rows.map((r) => `(${r.map((v) => `'${v.replaceAll("'", "''")}'`).join(",")})`).join(",\n");
  await exec(
    con,
    `CREATE OR REPLACE TABLE ref_lan(lan VARCHAR PRIMARY KEY, namn VARCHAR);
     INSERT INTO ref_lan VALUES ${values(g.lan.map((l) => [l.code, l.name]))};
     CREATE OR REPLACE TABLE ref_kommun(kommun VARCHAR PRIMARY KEY, namn VARCHAR, lan VARCHAR);
     INSERT INTO ref_kommun VALUES ${values(g.kommuner.map((k) => [k.code, k.name, k.lan]))};
     CREATE OR REPLACE TABLE ref_regso(regso VARCHAR PRIMARY KEY, namn VARCHAR, kommun VARCHAR, lan VARCHAR);
     INSERT INTO ref_regso VALUES ${values(g.regso.map((r) => [r.code, r.name, r.kommun, r.lan]))};
     CREATE OR REPLACE TABLE ref_deso(deso VARCHAR PRIMARY KEY, regso VARCHAR, kommun VARCHAR, lan VARCHAR);
     INSERT INTO ref_deso VALUES ${values(g.deso.map((d) => [d.code, d.regso, d.kommun, d.lan]))};`,
  );
}
