import { describe, expect, it } from "vitest";
import type { Connection } from "../../data-loaders/db.ts";
import { exec, openDatabase, queryRows } from "../../data-loaders/db.ts";
import { computeSegregation } from "../../data-loaders/segregation/build.ts";

/**
 * Fifteen persons in 2023 over six DeSO in three kommuner and two län; person 15 has no DeSO.
 *
 *  id  deso       regso     kommun  lan  utrikes  ekonomisk_standard  alder
 *   1  0114A0010  0114R001  0114    01   yes       1                  30
 *   2  0114A0010  0114R001  0114    01   yes       2                  30
 *   3  0114A0020  0114R001  0114    01   no       13                  30
 *   4  0114A0020  0114R001  0114    01   no       14                  30
 *   5  0114C0030  0114R002  0114    01   yes       3                  30
 *   6  0114C0030  0114R002  0114    01   no        7                  30
 *   7  0115A0010  0115R001  0115    01   yes       4                  30
 *   8–10 0115A0010 0115R001 0115    01   no        5, 6, 8            30
 *  11–12 0380A0010 0380R001 0380    03   no        9, 10              70
 *  13–14 0380A0020 0380R002 0380    03   no       11, 12              70
 *  15  (none)     (none)    0380    03   yes      15                  30
 */
const PERSONS: [number, string | null, string | null, string, string, boolean, number, number][] = [
  [1, "0114A0010", "0114R001", "0114", "01", true, 1, 30],
  [2, "0114A0010", "0114R001", "0114", "01", true, 2, 30],
  [3, "0114A0020", "0114R001", "0114", "01", false, 13, 30],
  [4, "0114A0020", "0114R001", "0114", "01", false, 14, 30],
  [5, "0114C0030", "0114R002", "0114", "01", true, 3, 30],
  [6, "0114C0030", "0114R002", "0114", "01", false, 7, 30],
  [7, "0115A0010", "0115R001", "0115", "01", true, 4, 30],
  [8, "0115A0010", "0115R001", "0115", "01", false, 5, 30],
  [9, "0115A0010", "0115R001", "0115", "01", false, 6, 30],
  [10, "0115A0010", "0115R001", "0115", "01", false, 8, 30],
  [11, "0380A0010", "0380R001", "0380", "03", false, 9, 70],
  [12, "0380A0010", "0380R001", "0380", "03", false, 10, 70],
  [13, "0380A0020", "0380R002", "0380", "03", false, 11, 70],
  [14, "0380A0020", "0380R002", "0380", "03", false, 12, 70],
  [15, null, null, "0380", "03", true, 15, 30],
];

const sql = (v: string | null) => (v === null ? "NULL" : `'${v}'`);

async function createPersonAr(con: Connection, persons = PERSONS): Promise<void> {
  const values = persons
    .map(
      ([lopnr, deso, regso, kommun, lan, utrikes, es, alder]) =>
        `(2023, ${lopnr}, ${sql(deso)}, ${sql(regso)}, '${kommun}', '${lan}', ${utrikes},
          '${utrikes ? "ovriga" : "sverige"}', '${utrikes ? "utlandsk" : "svensk"}', ${utrikes ? "'0-1'" : "NULL"},
          ${es}, ${es <= 4}, 'gymnasial', ${alder})`,
    )
    .join(",\n");
  await exec(
    con,
    `CREATE OR REPLACE TABLE person_ar (ar SMALLINT, lopnr BIGINT, deso VARCHAR, regso VARCHAR,
       kommun_idag VARCHAR, lan_idag VARCHAR, utrikes_fodd BOOLEAN, fodelseregion VARCHAR, bakgrund VARCHAR,
       vistelsetid VARCHAR, ekonomisk_standard DOUBLE, lag_ekonomisk_standard BOOLEAN, utbildning VARCHAR,
       alder INTEGER);
     INSERT INTO person_ar VALUES ${values};`,
  );
}

interface RawRow {
  ar: number;
  niva: string;
  region: string;
  enhet: string;
  indelning: string;
  grupp: string;
  matt: string;
  varde: number | null;
  status: string | null;
  befolkade_enheter: number;
  grupp_antal: number | null;
}

async function build(con: Connection): Promise<Map<string, RawRow>> {
  await computeSegregation(con, { years: [2023], draws: 20 });
  const rows = await queryRows<RawRow>(con, "SELECT * FROM segregation_raw ORDER BY ALL");
  return new Map(
    rows.map((r) => [`${r.niva}|${r.region}|${r.enhet}|${r.indelning}|${r.grupp}|${r.matt}`, r]),
  );
}

const close = (actual: number | null | undefined, expected: number) => {
  expect(actual).not.toBeNull();
  expect(actual).not.toBeUndefined();
  expect(Math.abs((actual as number) - expected)).toBeLessThan(1e-12);
};

const h = (p: number) => (p <= 0 || p >= 1 ? 0 : -p * Math.log(p) - (1 - p) * Math.log(1 - p));

describe("computeSegregation", async () => {
  const con = await openDatabase({ threads: 1 });
  await createPersonAr(con);
  const rows = await build(con);
  const get = (key: string) => {
    const row = rows.get(key);
    if (!row) throw new Error(`no row ${key}`);
    return row;
  };

  it("kommun 0114 over DeSO: D = ½ (2/3 + 2/3 + 0) = 2/3, isolation 2/3·1 + 1/3·½ = 5/6, η² = 2/3", () => {
    const d = get("kommun|0114|deso|utrikes_fodd|utrikes|D");
    close(d.varde, 2 / 3);
    expect(d.status).toBeNull();
    expect(d.befolkade_enheter).toBe(3);
    expect(d.grupp_antal).toBe(3);
    close(get("kommun|0114|deso|utrikes_fodd|utrikes|isolering").varde, 5 / 6);
    close(get("kommun|0114|deso|utrikes_fodd|utrikes|exponering").varde, 1 / 6);
    close(get("kommun|0114|deso|utrikes_fodd|utrikes|eta2").varde, 2 / 3);
    // Random allocation of 3 + 3 persons to three DeSO of 2: X ~ HG(6, 3, 2) is 0, 1, 2 with
    // probabilities 0.2, 0.6, 0.2, so E|X − 1| = 0.4 and E[D] = Σ E|X_i − 1| / (2·6·¼) = 1.2/3 = 0.4.
    close(get("kommun|0114|deso|utrikes_fodd|utrikes|D_slump").varde, 0.4);
    // E[η²] = (n − 1)/(T − 1) = 2/5.
    close(get("kommun|0114|deso|utrikes_fodd|utrikes|eta2_slump").varde, 0.4);
  });

  it("kommun 0114 over RegSO: R001 = (2, 2) and R002 = (1, 1) have the same mix, D = 0", () => {
    const d = get("kommun|0114|regso|utrikes_fodd|utrikes|D");
    expect(d.varde).toBe(0);
    expect(d.befolkade_enheter).toBe(2);
  });

  it("kommun 0115 has one populated DeSO: every measure 0, isolation too (the fixed convention)", () => {
    expect(get("kommun|0115|deso|utrikes_fodd|utrikes|D").varde).toBe(0);
    expect(get("kommun|0115|deso|utrikes_fodd|alla|M").varde).toBe(0);
    expect(get("kommun|0115|deso|utrikes_fodd|utrikes|isolering").varde).toBe(0);
    expect(get("kommun|0115|deso|utrikes_fodd|utrikes|D").befolkade_enheter).toBe(1);
  });

  it("kommun 0380 has no utrikes född with a DeSO: D and isolation are undefined ('.'), M is 0", () => {
    const d = get("kommun|0380|deso|utrikes_fodd|utrikes|D");
    expect(d.varde).toBeNull();
    expect(d.status).toBe(".");
    // Person 15 lives in 0380 but has no DeSO, so is left out.
    expect(d.grupp_antal).toBe(0);
    expect(get("kommun|0380|deso|utrikes_fodd|utrikes|isolering").varde).toBeNull();
    expect(get("kommun|0380|deso|utrikes_fodd|inrikes|isolering").varde).toBe(1);
    expect(get("kommun|0380|deso|utrikes_fodd|alla|M").varde).toBe(0);
    expect(get("kommun|0380|deso|utrikes_fodd|alla|D").varde).toBeNull();
  });

  it("riket over DeSO: D = ½ (0.5 + 0.2 + 0.15 + 0.05 + 0.2 + 0.2) = 0.65", () => {
    // Utrikes (of 4) and inrikes (of 10) per DeSO: (2,0) (0,2) (1,1) (1,3) (0,2) (0,2).
    const d = get("riket|00|deso|utrikes_fodd|utrikes|D");
    close(d.varde, 0.65);
    expect(d.grupp_antal).toBe(4);
    expect(d.befolkade_enheter).toBe(6);
  });

  it("decomposes riket's M into between län, between kommuner within län and within kommuner", () => {
    // Between län: 01 = (4, 6), 03 = (0, 4): h(4/14) − (10/14) h(0.4).
    const mellanLan = h(4 / 14) - (10 / 14) * h(0.4);
    // Between kommuner within 01: 0114 = (3, 3), 0115 = (1, 3): h(0.4) − 0.6 ln 2 − 0.4 h(¼); weight 10/14.
    const mellanKommun = (10 / 14) * (h(0.4) - 0.6 * Math.log(2) - 0.4 * h(0.25));
    // Within kommuner: only 0114 is segregated, M = ln 2 − (2/6) ln 2 = (2/3) ln 2; weight 6/14.
    const inomKommun = (6 / 14) * (2 / 3) * Math.log(2);
    const key = "riket|00|deso|utrikes_fodd|alla|";
    close(get(`${key}M_mellan_lan`).varde, mellanLan);
    close(get(`${key}M_mellan_kommun`).varde, mellanKommun);
    close(get(`${key}M_inom_kommun`).varde, inomKommun);
    // The parts add up to M = h(4/14) − (2/14) ln 2 − (4/14) h(¼).
    close(get(`${key}M`).varde, h(4 / 14) - (2 / 14) * Math.log(2) - (4 / 14) * h(0.25));
    close(get(`${key}H_inom_kommun`).varde, inomKommun / h(4 / 14));
    // Multigroup rows reveal the group shares: their grupp_antal is the smallest group present,
    // here the 4 utrikes födda against 10 inrikes födda.
    expect(get(`${key}M_mellan_lan`).grupp_antal).toBe(4);
    expect(get(`${key}M`).grupp_antal).toBe(4);
    expect(get(`${key}E`).grupp_antal).toBe(4);
    // Län 01: between its kommuner and within them.
    close(
      get("lan|01|deso|utrikes_fodd|alla|M_mellan_kommun").varde,
      h(0.4) - 0.6 * Math.log(2) - 0.4 * h(0.25),
    );
    close(get("lan|01|deso|utrikes_fodd|alla|M_inom_kommun").varde, (6 / 10) * (2 / 3) * Math.log(2));
    // No decomposition rows for kommuner.
    expect(rows.has("kommun|0114|deso|utrikes_fodd|alla|M_inom_kommun")).toBe(false);
  });

  it("the expected parts of the decomposition add up to the expected M", () => {
    const key = "riket|00|regso|fodelseregion|alla|";
    const parts = ["M_mellan_lan_slump", "M_mellan_kommun_slump", "M_inom_kommun_slump"].map(
      (m) => get(key + m).varde as number,
    );
    close(
      parts.reduce((a, b) => a + b, 0),
      get(`${key}M_slump`).varde as number,
    );
  });

  it("ojämlikhetsindex: D between national quintiles 1 and 5 of ekonomisk standard", () => {
    // Quintile cut-offs over all 15 persons (values 1…15): 3, 6, 9, 12. Quintile 1 = persons 1, 2, 5
    // (DeSO 0114A0010 ×2, 0114C0030); quintile 5 = persons 3, 4 (0114A0020; person 15 has no DeSO).
    // D = ½ (2/3 + 1/3 + 1) = 1.
    const row = get("riket|00|deso|inkomstkvintil|alla|ojamlikhetsindex");
    close(row.varde, 1);
    expect(row.grupp_antal).toBe(2);
    close(get("riket|00|deso|inkomstkvintil|1|D_5").varde, 1);
    expect(get("riket|00|deso|inkomstkvintil|1|D").grupp_antal).toBe(3);
    expect(get("riket|00|deso|inkomstkvintil|3|D").grupp_antal).toBe(3); // es 7, 8, 9: persons 6, 10, 11
  });

  it("groupings: utbildningsnivå counts persons 25–64 only; vistelsetid adds inrikes as the fifth group", () => {
    // Persons 11–14 are 70: ten persons 25–64 with a DeSO, all gymnasial.
    // grupp_antal of a group-vs-rest measure is the smaller of the group and the rest.
    expect(get("riket|00|deso|utbildningsniva|gymnasial|D").grupp_antal).toBe(0); // rest: nobody
    expect(get("riket|00|deso|utbildningsniva|gymnasial|D").varde).toBeNull(); // everyone: undefined
    expect(get("riket|00|deso|utbildningsniva|gymnasial|isolering").varde).toBe(1);
    // Inrikes 10 of 14: the rest (the four utrikes födda with a DeSO) is smaller.
    expect(get("riket|00|deso|vistelsetid|inrikes|D").grupp_antal).toBe(4);
    // Exposure of inrikes (10) to 0-1 (4): the smaller of the two.
    expect(get("riket|00|deso|vistelsetid|inrikes|exponering_0-1").grupp_antal).toBe(4);
    close(get("riket|00|deso|vistelsetid|0-1|D").varde, 0.65);
    expect(get("riket|00|deso|lag_ekonomisk_standard|lag|D").grupp_antal).toBe(4);
    const indelningar = new Set([...rows.values()].map((r) => r.indelning));
    expect([...indelningar].sort()).toEqual([
      "bakgrund",
      "fodelseregion",
      "inkomstkvintil",
      "lag_ekonomisk_standard",
      "utbildningsniva",
      "utrikes_fodd",
      "vistelsetid",
    ]);
    const regions = new Set([...rows.values()].map((r) => `${r.niva}:${r.region}`));
    expect([...regions].sort()).toEqual([
      "kommun:0114",
      "kommun:0115",
      "kommun:0380",
      "lan:01",
      "lan:03",
      "riket:00",
    ]);
  });

  it("status is '.' exactly where the value is undefined", () => {
    for (const row of rows.values()) expect(row.status === ".").toBe(row.varde === null);
  });

  it("is deterministic: a second run writes the same rows", async () => {
    const again = await build(con);
    expect([...again.values()]).toEqual([...rows.values()]);
  });

  it("on worker threads writes the same rows in the same order as on one", async () => {
    const rowsOf = async (threads: number) => {
      const db = await openDatabase({ threads: 1 });
      await createPersonAr(db);
      await computeSegregation(db, { years: [2023], draws: 20, threads, parallelFrom: 0 });
      return queryRows<RawRow>(db, "SELECT * FROM segregation_raw ORDER BY rowid");
    };
    const here = await rowsOf(1);
    expect(here.length).toBeGreaterThan(1000);
    expect(await rowsOf(2)).toEqual(here);
  });

  it("rejects codes outside a grouping, naming column, rule and count", async () => {
    const bad = await openDatabase({ threads: 1 });
    await createPersonAr(bad);
    await exec(bad, "UPDATE person_ar SET fodelseregion = 'mars' WHERE lopnr IN (1, 2)");
    await expect(computeSegregation(bad, { years: [2023] })).rejects.toThrow(
      /person_ar: grouping fodelseregion \(fodelseregion\): 2 person-years have the code 'mars'/,
    );
  });

  it("rejects a DeSO that lies in two RegSO", async () => {
    const bad = await openDatabase({ threads: 1 });
    await createPersonAr(bad);
    await exec(bad, "UPDATE person_ar SET regso = '0114R009' WHERE lopnr = 1");
    await expect(computeSegregation(bad, { years: [2023] })).rejects.toThrow(
      /1 DeSO break the rule.*0114A0010/,
    );
  });

  it("writes an empty table for no years", async () => {
    const empty = await openDatabase({ threads: 1 });
    await createPersonAr(empty);
    const report = await computeSegregation(empty, { years: [] });
    expect(report.rows).toBe(0);
    expect(await queryRows(empty, "SELECT count(*)::INTEGER AS n FROM segregation_raw")).toEqual([{ n: 0 }]);
  });
});
