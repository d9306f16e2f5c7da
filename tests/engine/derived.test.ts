import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Connection } from "../../data-loaders/db.ts";
import { openDatabase, queryRows } from "../../data-loaders/db.ts";
import { createPersonFrame } from "../../data-loaders/engine/derived.ts";
import { createPersoner, type Person, person } from "./fixture.ts";

/** The date `days` days before 31 Dec of `year` (test input only). */
function daysBefore31Dec(year: number, days: number): string {
  const t = Date.UTC(year, 11, 31) - days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

const Y = 2020;
const rows: Person[] = [
  // Household 100: a couple and two children → 1 + 0.51 + 0.52 + 0.42 = 2.45 consumption units.
  person({ lopnr: 1, ar: Y, hushall_id: 100, disp_ink: 300_000 }),
  person({ lopnr: 2, ar: Y, hushall_id: 100, kon: 2, fodelsear: Y - 38, disp_ink: 200_000 }),
  person({ lopnr: 3, ar: Y, hushall_id: 100, fodelsear: Y - 10, utbildningsniva: null }),
  person({ lopnr: 4, ar: Y, hushall_id: 100, kon: 2, fodelsear: Y - 5, utbildningsniva: null }),
  // Household 200: nobody aged 20+: the 19-year-old counts as first adult → 1 + 0.52 = 1.52.
  person({ lopnr: 5, ar: Y, hushall_id: 200, fodelsear: Y - 19, disp_ink: 50_000 }),
  person({ lopnr: 6, ar: Y, hushall_id: 200, fodelsear: Y - 15, disp_ink: 0 }),
  // No household: a household of one → 1.00.
  person({ lopnr: 7, ar: Y, hushall_id: null, disp_ink: 150_000 }),
  // Household 300: three adults → 1 + 0.51 + 0.60 = 2.11.
  person({ lopnr: 8, ar: Y, hushall_id: 300, disp_ink: 100_000, utbildningsniva: 4 }),
  person({ lopnr: 9, ar: Y, hushall_id: 300, disp_ink: 100_000, utbildningsniva: 1 }),
  person({ lopnr: 10, ar: Y, hushall_id: 300, disp_ink: 100_000, utbildningsniva: 3, deso: "0114C1030" }),
  // Background: inrikes född with both parents utrikes födda → utländsk; one parent missing → svensk.
  person({ lopnr: 11, ar: 2019, fodelseland_mor: "IQ", fodelseland_far: "XX" }),
  person({ lopnr: 12, ar: 2019, fodelseland_mor: "IQ", fodelseland_far: null }),
  // Utrikes född with unknown parents → utländsk (missing parent counts as utrikes född).
  person({
    lopnr: 13,
    ar: 2019,
    fodelseland: "GB",
    fodelseland_mor: null,
    fodelseland_far: null,
    senaste_invandring: daysBefore31Dec(2019, 729),
    grund_for_bosattning: "anhorig_skyddsbehov",
  }),
  // Brexit: GB is EU/EFTA in 2019 (lopnr 13) and övriga världen from 2020.
  person({ lopnr: 14, ar: 2020, fodelseland: "GB", senaste_invandring: daysBefore31Dec(2020, 730) }),
  // EU enlargement: PL is övriga världen in 2003 and EU/EFTA in 2004.
  person({ lopnr: 15, ar: 2003, fodelseland: "PL", senaste_invandring: daysBefore31Dec(2003, 1459) }),
  person({ lopnr: 15, ar: 2004, fodelseland: "PL", senaste_invandring: daysBefore31Dec(2004, 1460) }),
  // Norden wins over EFTA for NO; CH is EFTA; XX (unknown) is övriga världen.
  person({
    lopnr: 16,
    ar: 2019,
    fodelseland: "NO",
    senaste_invandring: daysBefore31Dec(2019, 3649),
    grund_for_bosattning: "arbete",
  }),
  person({ lopnr: 17, ar: 2019, fodelseland: "CH", senaste_invandring: daysBefore31Dec(2019, 3650) }),
  person({ lopnr: 18, ar: 2019, fodelseland: "XX", senaste_invandring: daysBefore31Dec(2019, 0) }),
  // Heby had code 1917 (Västmanlands län) until 2006; a person without DeSO is recoded to 0331 (Uppsala län).
  person({ lopnr: 19, ar: 2005, kommun: "1917", deso: null }),
  // Knivsta split from Uppsala in 2003: a 2002 Uppsala resident in a Knivsta DeSO is placed in 0330.
  person({ lopnr: 20, ar: 2002, kommun: "0380", deso: "0330C1010" }),
];

let con: Connection;
type Row = Record<string, unknown>;
let frame: Map<string, Row>;

beforeAll(async () => {
  con = await openDatabase({ threads: 1 });
  await createPersoner(con, rows);
  await createPersonFrame(con, { years: [2002, 2003, 2004, 2005, 2019, 2020] });
  const all = await queryRows(
    con,
    `SELECT lopnr::INTEGER AS lopnr, ar::INTEGER AS ar, alder, kon_kod, utrikes_fodd, bakgrund, fodelseregion,
            vistelsetid, vistelsetid_dagar, grund, utbildning, kommun_idag, lan_idag, regso, prisbasbelopp,
            hushall_storlek, konsumtionsenheter, ekonomisk_standard, lag_ekonomisk_standard, omradestyp
     FROM person_ar`,
  );
  frame = new Map(all.map((r) => [`${r.lopnr}/${r.ar}`, r]));
});
afterAll(() => con.closeSync());

const get = (lopnr: number, ar: number) => {
  const row = frame.get(`${lopnr}/${ar}`);
  if (!row) throw new Error(`no person_ar row for ${lopnr}/${ar}`);
  return row;
};

describe("createPersonFrame", () => {
  it("has one row per person and year", () => {
    expect(frame.size).toBe(rows.length);
  });

  it("derives age, kön code and utrikes född", () => {
    expect(get(2, 2020)).toMatchObject({ alder: 38, kon_kod: "2", utrikes_fodd: false });
    expect(get(14, 2020)).toMatchObject({ alder: 40, kon_kod: "1", utrikes_fodd: true });
  });

  it("derives bakgrund with the missing-parent rule", () => {
    expect(get(11, 2019).bakgrund).toBe("utlandsk");
    expect(get(12, 2019).bakgrund).toBe("svensk");
    expect(get(13, 2019).bakgrund).toBe("utlandsk");
    expect(get(1, 2020).bakgrund).toBe("svensk");
  });

  it("derives födelseregion with EU membership of the year (Brexit, 2004 enlargement)", () => {
    expect(get(13, 2019).fodelseregion).toBe("eu_efta");
    expect(get(14, 2020).fodelseregion).toBe("ovriga");
    expect(get(15, 2003).fodelseregion).toBe("ovriga");
    expect(get(15, 2004).fodelseregion).toBe("eu_efta");
    expect(get(16, 2019).fodelseregion).toBe("norden");
    expect(get(17, 2019).fodelseregion).toBe("eu_efta");
    expect(get(18, 2019).fodelseregion).toBe("ovriga");
    expect(get(1, 2020).fodelseregion).toBe("sverige");
  });

  it("classes vistelsetid at the 730, 1,460 and 3,650 day boundaries", () => {
    expect(get(13, 2019)).toMatchObject({ vistelsetid_dagar: 729, vistelsetid: "0-1" });
    expect(get(14, 2020)).toMatchObject({ vistelsetid_dagar: 730, vistelsetid: "2-3" });
    expect(get(15, 2003)).toMatchObject({ vistelsetid_dagar: 1459, vistelsetid: "2-3" });
    expect(get(15, 2004)).toMatchObject({ vistelsetid_dagar: 1460, vistelsetid: "4-9" });
    expect(get(16, 2019)).toMatchObject({ vistelsetid_dagar: 3649, vistelsetid: "4-9" });
    expect(get(17, 2019)).toMatchObject({ vistelsetid_dagar: 3650, vistelsetid: "10-" });
    expect(get(18, 2019)).toMatchObject({ vistelsetid_dagar: 0, vistelsetid: "0-1" });
    expect(get(1, 2020).vistelsetid).toBeNull();
  });

  it("classes grund for utrikes födda only", () => {
    expect(get(13, 2019).grund).toBe("skyddsbehov"); // anhorig_skyddsbehov
    expect(get(16, 2019).grund).toBe("ovriga"); // arbete
    expect(get(17, 2019).grund).toBe("ovriga"); // none recorded
    expect(get(1, 2020).grund).toBeNull();
  });

  it("maps utbildningsnivå, with null as saknas", () => {
    expect(get(3, 2020).utbildning).toBe("saknas");
    expect(get(8, 2020).utbildning).toBe("eftergymnasial");
    expect(get(9, 2020).utbildning).toBe("forgymnasial");
    expect(get(10, 2020).utbildning).toBe("eftergymnasial");
    expect(get(1, 2020).utbildning).toBe("gymnasial");
  });

  it("places persons on today's division", () => {
    expect(get(19, 2005)).toMatchObject({ kommun_idag: "0331", lan_idag: "03", regso: null });
    expect(get(20, 2002)).toMatchObject({ kommun_idag: "0330", lan_idag: "03" });
    // 0114C1010 and 0114C1030 both belong to Bollstanäs, the RegSO with the 2nd smallest DeSO code in 0114.
    expect(get(1, 2020)).toMatchObject({ kommun_idag: "0114", lan_idag: "01", regso: "0114R002" });
    expect(get(10, 2020).regso).toBe("0114R002");
  });

  it("joins prisbasbelopp of the year", () => {
    expect(get(1, 2020).prisbasbelopp).toBe(47_300);
    expect(get(15, 2004).prisbasbelopp).toBe(39_300);
  });

  it("computes consumption units per household", () => {
    expect(get(1, 2020)).toMatchObject({ konsumtionsenheter: 2.45, hushall_storlek: 4 });
    expect(get(4, 2020).konsumtionsenheter).toBe(2.45);
    expect(get(5, 2020)).toMatchObject({ konsumtionsenheter: 1.52, hushall_storlek: 2 });
    expect(get(7, 2020)).toMatchObject({ konsumtionsenheter: 1, hushall_storlek: 1 });
    expect(get(8, 2020).konsumtionsenheter).toBe(2.11);
  });

  it("computes ekonomisk standard and låg ekonomisk standard against the national median", () => {
    // 500,000 / 2.45; 50,000 / 1.52; 150,000 / 1; 300,000 / 2.11.
    expect(get(3, 2020).ekonomisk_standard).toBeCloseTo(500_000 / 2.45, 6);
    expect(get(6, 2020).ekonomisk_standard).toBeCloseTo(50_000 / 1.52, 6);
    expect(get(7, 2020).ekonomisk_standard).toBe(150_000);
    expect(get(9, 2020).ekonomisk_standard).toBeCloseTo(300_000 / 2.11, 6);
    // 2020 has 11 persons (lopnr 1–10 and 14, who has disp_ink 0 → standard 0). Sorted:
    // 0, 32,894.7 ×2, 142,180.1 ×3, 150,000, 204,081.6 ×4 → the 6th value is the median: 142,180.1;
    // 60 % of it is 85,308: the 19- and 15-year-old (32,894.7) and lopnr 14 (0) are low.
    expect(get(5, 2020).lag_ekonomisk_standard).toBe(true);
    expect(get(6, 2020).lag_ekonomisk_standard).toBe(true);
    expect(get(14, 2020).lag_ekonomisk_standard).toBe(true);
    expect(get(7, 2020).lag_ekonomisk_standard).toBe(false);
    expect(get(8, 2020).lag_ekonomisk_standard).toBe(false);
  });

  it("leaves omradestyp NULL for the areas step", () => {
    expect(get(1, 2020).omradestyp).toBeNull();
  });

  it("rejects a year missing from personer", async () => {
    await expect(createPersonFrame(con, { years: [1999] })).rejects.toThrow(/no rows for year\(s\) 1999/);
  });
});
