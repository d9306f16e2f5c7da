import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Connection, exec, openDatabase } from "../../../../data-loaders/db.ts";
import {
  buildKommunProfiles,
  indicatorsByType,
  publishedIndicators,
  segregationSummary,
} from "../../../../src/components/profiles/summary.ts";

// A tiny publication: riket, län 01 with kommuner 0114 and 0115, one RegSO in each, two years.
let dir: string;
let con: Connection;

const BREAKDOWNS = `'totalt' AS kon, 'totalt' AS alder, 'totalt' AS vistelsetid, 'totalt' AS grund,
  'totalt' AS utbildningsniva, 'totalt' AS bakgrund, 'totalt' AS omradestyp`;

async function write(relative: string, select: string): Promise<void> {
  const file = path.join(dir, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  await exec(con, `COPY (${select}) TO '${file}' (FORMAT parquet)`);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "rdi-profile-"));
  con = await openDatabase({ threads: 1 });
  await write(
    "regioner.parquet",
    `SELECT * FROM (VALUES ('riket','00','Riket',NULL,NULL), ('lan','01','Stockholms län',NULL,'01'),
       ('kommun','0114','Upplands Väsby','0114','01'), ('kommun','0115','Vallentuna','0115','01'),
       ('regso','0114R001','Väsby centrum','0114','01'), ('regso','0115R001','Vallentuna tätort','0115','01'))
       AS t(niva, region, namn, kommun, lan)`,
  );
  mkdirSync(path.join(dir, "indikatorer"), { recursive: true });
  writeFileSync(
    path.join(dir, "indikatorer", "katalog.json"),
    JSON.stringify({ indikatorer: [{ id: "folkmangd" }] }),
    { flag: "w" },
  );
  const cells = `(VALUES ('riket','00',2022,1000.0,NULL), ('riket','00',2023,1100.0,NULL),
    ('lan','01',2023,300.0,NULL), ('kommun','0114',2023,100.0,NULL), ('kommun','0115',2023,NULL,'..'),
    ('regso','0114R001',2022,40.0,NULL), ('regso','0114R001',2023,50.0,NULL), ('regso','0115R001',2023,NULL,'..'))
    AS t(niva, region, ar, varde, status)`;
  for (const niva of ["riket", "lan", "kommun", "regso"]) {
    await write(
      `indikatorer/folkmangd/${niva}.parquet`,
      `SELECT 'folkmangd' AS indikator, ar::SMALLINT AS ar, niva, region, ${BREAKDOWNS}, 'totalt' AS fodelseregion,
         varde AS taljare, NULL::DOUBLE AS namnare, varde, status FROM ${cells} WHERE niva = '${niva}'
       UNION ALL
       SELECT 'folkmangd', ar::SMALLINT, niva, region, ${BREAKDOWNS.replace("'totalt' AS kon", "'1' AS kon")}, 'totalt',
         1, NULL, 1, NULL FROM ${cells} WHERE niva = '${niva}'`,
    );
  }
  await write(
    "omraden/omraden.parquet",
    `SELECT * FROM (VALUES (2023::SMALLINT,'regso','0114R001','0114',1.0,2.0,3.0,2.0,'4',NULL),
       (2023::SMALLINT,'regso','0115R001','0115',NULL,NULL,NULL,NULL,NULL,'.'))
       AS t(ar, niva, region, kommun, v1_lag_ekonomisk_standard, v2_forgymnasial, v3_bistand_arbetsloshet, index, omradestyp, status)`,
  );
  await write(
    "segregation/kommun.parquet",
    `SELECT * FROM (VALUES (2023::SMALLINT,'kommun','0114','deso','utrikes_fodd','utrikes','D',0.3,NULL),
       (2023::SMALLINT,'kommun','0114','deso','utrikes_fodd','utrikes','D_slump',0.1,NULL),
       (2023::SMALLINT,'kommun','0114','deso','utrikes_fodd','utrikes','gini',0.4,NULL),
       (2023::SMALLINT,'kommun','0114','deso','bakgrund','utlandsk','D',0.3,NULL))
       AS t(ar, niva, region, enhet, indelning, grupp, matt, varde, status)`,
  );
});

afterAll(() => {
  con?.closeSync();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("buildKommunProfiles", () => {
  it("gives one profile per kommun with its own, its län's and riket's values only", async () => {
    const profiles = await buildKommunProfiles(con, dir);
    expect(profiles.map((p) => [p.kommun, p.namn, p.lan, p.lanNamn])).toEqual([
      ["0114", "Upplands Väsby", "01", "Stockholms län"],
      ["0115", "Vallentuna", "01", "Stockholms län"],
    ]);
    const [vasby, vallentuna] = profiles;
    // Only kon = 'totalt' cells: riket 2022 and 2023, län 01 2023, kommun 0114 2023 → 4 rows for 0114.
    expect(vasby.indikatorer.map((r) => [r.niva, r.region, r.ar, r.varde])).toEqual([
      ["kommun", "0114", 2023, 100],
      ["lan", "01", 2023, 300],
      ["riket", "00", 2022, 1000],
      ["riket", "00", 2023, 1100],
    ]);
    // The suppressed kommun value stays suppressed (null with '..'), never 0.
    const own = vallentuna.indikatorer.find((r) => r.niva === "kommun");
    expect(own).toMatchObject({ region: "0115", varde: null, status: ".." });
  });

  it("carries the RegSO with names, index and type, and RegSO indicators of the latest year", async () => {
    const [vasby, vallentuna] = await buildKommunProfiles(con, dir);
    expect(vasby.omraden).toEqual([
      {
        ar: 2023,
        region: "0114R001",
        namn: "Väsby centrum",
        index: 2,
        omradestyp: "4",
        varde: 2,
        status: null,
      },
    ]);
    expect(vallentuna.omraden[0]).toMatchObject({ index: null, omradestyp: null, status: "." });
    // Latest year is 2023, so the 2022 RegSO value (40) is left out.
    expect(vasby.regsoIndikatorer).toEqual([
      { indikator: "folkmangd", ar: 2023, region: "0114R001", varde: 50, status: null },
    ]);
    expect(vallentuna.regsoIndikatorer[0]).toMatchObject({ varde: null, status: ".." });
  });

  it("keeps the profile's segregation measures with their _slump rows and nothing else", async () => {
    const [vasby, vallentuna] = await buildKommunProfiles(con, dir);
    // gini and bakgrund are not in the profile's selection.
    expect(vasby.segregation.map((r) => [r.indelning, r.matt, r.varde])).toEqual([
      ["utrikes_fodd", "D", 0.3],
      ["utrikes_fodd", "D_slump", 0.1],
    ]);
    expect(vallentuna.segregation).toEqual([]);
  });

  it("names the directory when regioner.parquet is missing", async () => {
    const empty = mkdtempSync(path.join(tmpdir(), "rdi-profile-empty-"));
    try {
      await expect(buildKommunProfiles(con, empty)).rejects.toThrow(/regioner\.parquet is missing/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe("publishedIndicators", () => {
  it("reads the ids of the catalogue", () => {
    expect([...publishedIndicators('{"indikatorer":[{"id":"a"},{"id":"b"},{}]}')]).toEqual(["a", "b"]);
  });
});

describe("indicatorsByType", () => {
  it("returns the riket cells of every catalogued indicator by områdestyp, all other breakdowns totalt", async () => {
    const typeDir = mkdtempSync(path.join(tmpdir(), "rdi-types-"));
    try {
      mkdirSync(path.join(typeDir, "indikatorer", "a"), { recursive: true });
      writeFileSync(
        path.join(typeDir, "indikatorer", "katalog.json"),
        JSON.stringify({ indikatorer: [{ id: "a" }, { id: "saknas" }] }),
      );
      const file = path.join(typeDir, "indikatorer", "a", "riket.parquet");
      // Four cells: typ 1, typ 2 (suppressed), totalt, and typ 1 split by kon (must be left out).
      await exec(
        con,
        `COPY (SELECT 'a' AS indikator, 2023::SMALLINT AS ar, 'riket' AS niva, '00' AS region, kon, 'totalt' AS alder,
           'totalt' AS fodelseregion, 'totalt' AS vistelsetid, 'totalt' AS grund, 'totalt' AS utbildningsniva,
           'totalt' AS bakgrund, omradestyp, varde, status
         FROM (VALUES ('totalt','1',10.0,NULL), ('totalt','2',NULL,'..'), ('totalt','totalt',7.0,NULL), ('1','1',99.0,NULL))
           AS t(kon, omradestyp, varde, status)) TO '${file}' (FORMAT parquet)`,
      );
      const rows = await indicatorsByType(con, typeDir);
      expect(rows).toEqual([
        { indikator: "a", ar: 2023, omradestyp: "1", varde: 10, status: null },
        { indikator: "a", ar: 2023, omradestyp: "2", varde: null, status: ".." },
        { indikator: "a", ar: 2023, omradestyp: "totalt", varde: 7, status: null },
      ]);
    } finally {
      rmSync(typeDir, { recursive: true, force: true });
    }
  });
});

describe("segregationSummary", () => {
  it("selects the page's measures and their _slump rows from the kommun file", async () => {
    // The fixture's kommun file has D, D_slump, gini (utrikes_fodd) and D (bakgrund): gini and bakgrund are not selected.
    const rows = await segregationSummary(con, dir);
    expect(rows.map((r) => [r.niva, r.region, r.indelning, r.matt, r.varde])).toEqual([
      ["kommun", "0114", "utrikes_fodd", "D", 0.3],
      ["kommun", "0114", "utrikes_fodd", "D_slump", 0.1],
    ]);
  });
});
