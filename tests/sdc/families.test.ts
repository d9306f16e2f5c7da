import { describe, expect, it } from "vitest";
import { exec, queryRows } from "../../data-loaders/db.ts";
import { auditTables, protectTables } from "../../data-loaders/sdc/index.ts";
import { createIndikatorerRaw, database, share } from "./fixtures.ts";

// Two 20–64 indicators over the same persons in kommun 0560 (DeSO 0560A0010, 0560C1010, 0560C1020):
// denominators 15, 30 and 40 (kommun 85). Numerators:
//   A (forvarvsarbetande): 5, 10, 3 → kommun 18. DeSO A0010 fails the denominator rule (15 ≤ 20),
//                                      C1020 the numerator rule (3 ≤ 5).
//   B (studerande):        8, 12, 20 → kommun 40. Only A0010 fails (denominator).
// Alone, A would hide {A0010, C1020} (two in the group: done) and B {A0010, C1010} (the cheapest
// partner). Then A publishes C1010's denominator (30) and B publishes C1020's (40), and the
// kommun's 85 gives A0010's denominator: 85 − 30 − 40 = 15, exactly. Families prevent that.
function cells() {
  const indicator = (id: string, t: [number, number, number]) => [
    share("riket", "00", t[0] + t[1] + t[2], 85, { indikator: id }),
    share("kommun", "0560", t[0] + t[1] + t[2], 85, { indikator: id }),
    share("deso", "0560A0010", t[0], 15, { indikator: id }),
    share("deso", "0560C1010", t[1], 30, { indikator: id }),
    share("deso", "0560C1020", t[2], 40, { indikator: id }),
  ];
  return [...indicator("forvarvsarbetande", [5, 10, 3]), ...indicator("studerande", [8, 12, 20])];
}

async function hidden(con: Awaited<ReturnType<typeof database>>) {
  const rows = await queryRows<{ indikator: string; region: string }>(
    con,
    "SELECT indikator, region FROM indikatorer_pub WHERE status = '..' ORDER BY indikator, region",
  );
  return rows.map((r) => `${r.indikator}:${r.region}`);
}

describe("shared denominators across indicators", () => {
  it("gives every indicator of a family the same denominator pattern", async () => {
    const con = await database();
    await createIndikatorerRaw(con, cells());
    await protectTables(con);
    // Family pattern on the denominators 15, 30, 40: the 15 and its cheapest partner, the 30.
    // A adds its own numerator-primary C1020; B keeps the family pattern.
    expect(await hidden(con)).toEqual([
      "forvarvsarbetande:0560A0010",
      "forvarvsarbetande:0560C1010",
      "forvarvsarbetande:0560C1020",
      "studerande:0560A0010",
      "studerande:0560C1010",
    ]);
    await auditTables(con);
  });

  it("the audit finds a denominator recovered across indicators", async () => {
    const con = await database();
    await createIndikatorerRaw(con, cells());
    // The per-indicator patterns of the comment above, written by hand.
    await exec(
      con,
      `CREATE OR REPLACE TABLE indikatorer_pub AS
       SELECT indikator, ar, niva, region, kon, alder, fodelseregion, vistelsetid, grund, utbildningsniva, bakgrund, omradestyp,
         CASE WHEN h THEN NULL ELSE taljare END AS taljare, CASE WHEN h THEN NULL ELSE namnare END AS namnare,
         CASE WHEN h THEN NULL ELSE varde END AS varde, CASE WHEN h THEN '..' END AS status
       FROM (SELECT *, region = '0560A0010' OR (indikator = 'forvarvsarbetande' AND region = '0560C1020')
                       OR (indikator = 'studerande' AND region = '0560C1010') AS h FROM indikatorer_raw)`,
    );
    // Within each indicator the pattern holds (each group has two hidden cells with room) …
    // … but together they publish 30 and 40, so A0010's denominator is 15 exactly.
    await expect(auditTables(con)).rejects.toThrow(
      /indikator=familj_1,.*region=0560A0010.*namnare in \[15, 15\]/,
    );
  });
});
