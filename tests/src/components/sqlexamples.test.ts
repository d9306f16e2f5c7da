// The example queries of the SQL console run in DuckDB against tiny tables with the columns of
// publicering.md (the console runs them in DuckDB-WASM, the same SQL dialect).
import { describe, expect, it } from "vitest";
import { exec, openDatabase, queryRows } from "../../../data-loaders/db.ts";
import { SQL_EXAMPLES } from "../../../src/components/sqlexamples.ts";

const INDICATOR_COLUMNS = `indikator VARCHAR, ar SMALLINT, niva VARCHAR, region VARCHAR, kon VARCHAR, alder VARCHAR,
  fodelseregion VARCHAR, vistelsetid VARCHAR, grund VARCHAR, utbildningsniva VARCHAR, bakgrund VARCHAR,
  omradestyp VARCHAR, taljare DOUBLE, namnare DOUBLE, varde DOUBLE, status VARCHAR`;

/** A row with every breakdown `totalt` except `fodelseregion`. */
const cell = (
  ar: number,
  niva: string,
  region: string,
  fodelseregion: string,
  varde: number | null,
  status: string | null,
) =>
  `('x', ${ar}, '${niva}', '${region}', 'totalt', 'totalt', '${fodelseregion}', 'totalt', 'totalt', 'totalt', 'totalt', 'totalt', NULL, NULL, ${varde ?? "NULL"}, ${status ? `'${status}'` : "NULL"})`;

async function database() {
  const connection = await openDatabase();
  for (const table of [
    "forvarvsarbetande_riket",
    "forvarvsarbetande_lan",
    "forvarvsarbetande_kommun",
    "andel_utrikes_fodda_kommun",
  ]) {
    await exec(connection, `CREATE TABLE ${table} (${INDICATOR_COLUMNS})`);
  }
  await exec(
    connection,
    `INSERT INTO forvarvsarbetande_riket VALUES ${[cell(2023, "riket", "00", "sverige", 80, null), cell(2023, "riket", "00", "utrikes", 65, null), cell(2022, "riket", "00", "sverige", 79, null)].join(", ")};
     INSERT INTO forvarvsarbetande_lan VALUES ${[cell(2023, "lan", "01", "totalt", 75, null), cell(2023, "lan", "03", "totalt", null, "..")].join(", ")};
     INSERT INTO forvarvsarbetande_kommun VALUES ${[cell(2023, "kommun", "0114", "totalt", null, ".."), cell(2023, "kommun", "0115", "totalt", null, ".."), cell(2023, "kommun", "0117", "totalt", 70, null), cell(2023, "kommun", "0120", "totalt", 71, null)].join(", ")};
     INSERT INTO andel_utrikes_fodda_kommun VALUES ${[cell(2022, "kommun", "0114", "totalt", 50, null), cell(2023, "kommun", "0114", "totalt", 30, null), cell(2023, "kommun", "0115", "totalt", 40, null), cell(2023, "kommun", "0117", "totalt", null, "..")].join(", ")};
     CREATE TABLE regioner (niva VARCHAR, region VARCHAR, namn VARCHAR, kommun VARCHAR, lan VARCHAR);
     INSERT INTO regioner VALUES ('kommun', '0114', 'Upplands Väsby', '0114', '01'), ('kommun', '0115', 'Vallentuna', '0115', '01'), ('lan', '01', 'Stockholms län', NULL, '01');
     CREATE TABLE segregation_riket (ar SMALLINT, niva VARCHAR, region VARCHAR, enhet VARCHAR, indelning VARCHAR, grupp VARCHAR, matt VARCHAR, varde DOUBLE, status VARCHAR);
     INSERT INTO segregation_riket VALUES (2023, 'riket', '00', 'regso', 'utrikes_fodd', 'utrikes', 'D', 0.41234, NULL), (2023, 'riket', '00', 'regso', 'bakgrund', 'utlandsk', 'D', 0.3, NULL);
     CREATE TABLE omraden (ar SMALLINT, niva VARCHAR, region VARCHAR, kommun VARCHAR, v1_lag_ekonomisk_standard DOUBLE, v2_forgymnasial DOUBLE, v3_bistand_arbetsloshet DOUBLE, "index" DOUBLE, omradestyp VARCHAR, status VARCHAR);
     INSERT INTO omraden VALUES (2023, 'regso', '0114R001', '0114', 1, 1, 1, 1, '1', NULL), (2023, 'regso', '0114R002', '0114', 1, 1, 1, 1, '1', NULL), (2023, 'regso', '0115R001', '0115', 1, 1, 1, 1, '3', NULL);`,
  );
  return connection;
}

describe("SQL_EXAMPLES", () => {
  it("have the same queries in Swedish and English, with titles", () => {
    expect(SQL_EXAMPLES.en.map((e) => e.sql)).toEqual(SQL_EXAMPLES.sv.map((e) => e.sql));
    for (const example of [...SQL_EXAMPLES.sv, ...SQL_EXAMPLES.en])
      expect(example.title.length).toBeGreaterThan(0);
  });

  it("run on tables with the published columns and give the results worked out by hand", async () => {
    const connection = await database();
    const [byRegion, kommuner, segregation, omraden, suppressed] = SQL_EXAMPLES.sv.map((e) => e.sql);
    // Three riket cells, ordered by year then födelseregion.
    expect(await queryRows(connection, byRegion)).toEqual([
      { ar: 2022, fodelseregion: "sverige", varde: 79, status: null },
      { ar: 2023, fodelseregion: "sverige", varde: 80, status: null },
      { ar: 2023, fodelseregion: "utrikes", varde: 65, status: null },
    ]);
    // Latest year 2023; 0117 is suppressed and has no name: 0115 (40) before 0114 (30).
    expect(await queryRows(connection, kommuner)).toEqual([
      { kommun: "Vallentuna", procent: 40 },
      { kommun: "Upplands Väsby", procent: 30 },
    ]);
    // Only the utrikes_fodd row, rounded to 3 decimals: 0.41234 → 0.412.
    const seg = await queryRows(connection, segregation);
    expect(seg.map((r) => [r.indelning, r.matt, r.varde])).toEqual([["utrikes_fodd", "D", 0.412]]);
    // Two RegSO of type 1 and one of type 3 in 2023.
    expect(await queryRows(connection, omraden)).toEqual([
      { ar: 2023, omradestyp: "1", regso: 2 },
      { ar: 2023, omradestyp: "3", regso: 1 },
    ]);
    // riket 3 cells, 0 suppressed; lan 2 cells, 1 suppressed (50 %); kommun 4 cells, 2 suppressed (50 %).
    const levels = await queryRows(connection, suppressed);
    expect(levels.map((r) => [r.niva, r.celler, r.skyddade, Number(r.procent_skyddade)])).toEqual([
      ["lan", 2, 1, 50],
      ["riket", 3, 0, 0],
      ["kommun", 4, 2, 50],
    ]);
  });
});
