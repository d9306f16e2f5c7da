import { describe, expect, it } from "vitest";
import type { Connection } from "../../data-loaders/db.ts";
import { exec } from "../../data-loaders/db.ts";
import { editStoredCertificates } from "../../data-loaders/sdc/certificates.ts";
import { auditTables, protectTables } from "../../data-loaders/sdc/index.ts";
import { count, createIndikatorerRaw, database, share } from "./fixtures.ts";

// Kommun 0560: DeSO 0560A0010 = RegSO 0560R001, 0560C1010 = 0560R002, 0560C1020 = 0560R003.
function kommun0560(d1: number, d2: number, d3: number) {
  return [
    count("kommun", "0560", d1 + d2 + d3),
    count("regso", "0560R001", d1),
    count("regso", "0560R002", d2),
    count("regso", "0560R003", d3),
    count("deso", "0560A0010", d1),
    count("deso", "0560C1010", d2),
    count("deso", "0560C1020", d3),
  ];
}

/** Riket 53 = län 01 (3) + 03 (20) + 04 (30): cells of no witness unit, proven by the LP only. */
async function threeLan(): Promise<Connection> {
  const con = await database();
  await createIndikatorerRaw(con, [
    count("lan", "01", 3),
    count("lan", "03", 20),
    count("lan", "04", 30),
    count("riket", "00", 53),
  ]);
  return con;
}

const PUBLISHED =
  "indikator, ar, niva, region, kon, alder, fodelseregion, vistelsetid, grund, utbildningsniva, bakgrund, omradestyp";

/** Writes indikatorer_pub by hand: the raw table with exactly the given regions suppressed. */
async function publishWith(con: Connection, suppressed: string[]): Promise<void> {
  const hidden = suppressed.map((r) => `'${r}'`).join(", ") || "NULL";
  await publishWhere(con, `region IN (${hidden})`);
}

/** Writes indikatorer_pub by hand: the raw table with the cells matching `where` suppressed. */
async function publishWhere(con: Connection, where: string): Promise<void> {
  await exec(
    con,
    `CREATE OR REPLACE TABLE indikatorer_pub AS
     SELECT ${PUBLISHED},
       CASE WHEN ${where} THEN NULL ELSE taljare END AS taljare,
       CASE WHEN ${where} THEN NULL ELSE namnare END AS namnare,
       CASE WHEN ${where} THEN NULL ELSE varde END AS varde,
       CASE WHEN ${where} THEN '..' ELSE status END AS status
     FROM indikatorer_raw`,
  );
}

describe("auditTables", () => {
  it("throws when a suppressed cell is the only one in its group (recoverable by subtraction)", async () => {
    const con = await database();
    await createIndikatorerRaw(con, kommun0560(3, 10, 12));
    // Only the primary cells are hidden: R001 = 25 − 10 − 12 = 3 exactly.
    await publishWith(con, ["0560A0010", "0560R001"]);
    await expect(auditTables(con)).rejects.toThrow(/region=0560R001.*rule antal.*\[3, 3\]/);
  });

  it("throws when two suppressed cells are hidden but their interval stays below the threshold", async () => {
    const con = await database();
    await createIndikatorerRaw(con, kommun0560(2, 2, 30));
    // R001 + R002 = 34 − 30 = 4 and both ≥ 0, so each lies in [0, 4]: the attacker knows both are < 5.
    await publishWith(con, ["0560A0010", "0560C1010", "0560R001", "0560R002"]);
    await expect(auditTables(con)).rejects.toThrow(/\[0, 4\].*reach 5/);
  });

  it("throws when a count in 1–4 is published", async () => {
    const con = await database();
    await createIndikatorerRaw(con, kommun0560(3, 10, 12));
    await publishWith(con, []);
    await expect(auditTables(con)).rejects.toThrow(/published count lies in 1–4 in 2 cell/);
  });

  it("throws when the complement of a share can be derived", async () => {
    const con = await database();
    // Kommun 0560, share by kön: totalt 58 of 70, män 30 of 34 (complement 4 ≤ 5: primary), kvinnor 28 of 36.
    await createIndikatorerRaw(con, [
      share("kommun", "0560", 58, 70),
      share("kommun", "0560", 30, 34, { kon: "1" }),
      share("kommun", "0560", 28, 36, { kon: "2" }),
    ]);
    // Hiding män alone: numerator 58 − 28 = 30, denominator 70 − 36 = 34, complement exactly 4.
    await publishWhere(con, "kon = '1'");
    await expect(auditTables(con)).rejects.toThrow(/kon=1,.*rule komplement.*namnare-taljare in \[4, 4\]/);
    // Hiding kvinnor too: män's complement ranges over [0, 4 + 8 = 12], which reaches 6 → protected.
    await publishWhere(con, "kon IN ('1', '2')");
    await expect(auditTables(con)).resolves.toBeDefined();
  });

  it("rejects a published table with extra columns (no internal column may leave the build)", async () => {
    const con = await database();
    await createIndikatorerRaw(con, kommun0560(10, 10, 12));
    await exec(con, "CREATE OR REPLACE TABLE indikatorer_pub AS SELECT * FROM indikatorer_raw");
    await expect(auditTables(con)).rejects.toThrow(/columns are .*antal.*expected exactly/);
  });

  it("checks the tables protection's LP found instead of solving its own LP, with the same verdict", async () => {
    // Riket 53 = län 01 (3) + 03 (20) + 04 (30). Län cells belong to no witness unit, so only the
    // LP proves them. 01 fails the count rule; its cheapest partner 03 goes too, and the attacker
    // knows x01 + x03 = 23: x01 ∈ [0, 23] reaches 5. Protection's LP found a table showing it
    // (x01 ≥ 5, x03 = 23 − x01); the audit checks that table and needs no LP.
    const con = await threeLan();
    await protectTables(con);
    const checked = await auditTables(con);
    expect(checked.tables[0]).toMatchObject({ requirements: 1, certified: 1, lps: 0, witnessed: 0 });
    expect(checked.format()).toContain(
      "1 by protection's tables (witness step and LP) checked here, 0 by 0 LPs",
    );
    // The audit reads the tables once: a second audit, like one asked to solve again, uses its own LP.
    const again = await auditTables(con);
    expect(again.tables[0]).toMatchObject({ requirements: 1, certified: 0, lps: 1 });
    await protectTables(con);
    const resolved = await auditTables(con, { certificates: false });
    expect(resolved.tables[0]).toMatchObject({ requirements: 1, certified: 0, lps: 1 });
  });

  it("proves nothing with a table of protection's that does not fit, and solves its own LP instead", async () => {
    // As above, but the kept table is spoilt before the audit reads it: each of its values one
    // person more, so 01 + 03 + 04 would exceed riket's 53. The check rejects it; the audit's own
    // LP proves x01 ∈ [0, 23].
    const con = await threeLan();
    await protectTables(con);
    editStoredCertificates(con, (value) => {
      for (let i = 0; i < value.length; i++) value[i] += 1;
    });
    const report = await auditTables(con);
    expect(report.tables[0]).toMatchObject({ requirements: 1, certified: 0, lps: 1 });
  });

  it("passes what protectTables publishes", async () => {
    const con = await database();
    await createIndikatorerRaw(con, [...kommun0560(3, 10, 12)]);
    await protectTables(con);
    const report = await auditTables(con);
    // Two primary cells (DeSO and RegSO of the 3), each with one requirement: max ≥ 5.
    expect(report.tables[0].requirements).toBe(2);
    expect(report.format()).toContain("passed");
  });

  it("with the LP off, checks the witness step's tables instead of searching for its own", async () => {
    // DeSO and RegSO of the 3 fail the count rule; the singleton rule hides a partner DeSO and
    // RegSO. Protection's witness step gathers the partner's persons into the 3 (both DeSOs and
    // their RegSOs are dark, the kommun's 25 stays): 3 + 10 = 13 ≥ 5 for both requirements.
    const con = await database();
    await createIndikatorerRaw(con, kommun0560(3, 10, 12));
    const rules = { lpMaxVariables: 0 };
    await protectTables(con, { rules });
    const checked = await auditTables(con, { rules });
    expect(checked.tables[0]).toMatchObject({ requirements: 2, certified: 2, witnessed: 0, unchecked: 0 });
    // The tables are read once: a second audit finds the same proofs by its own search.
    const again = await auditTables(con, { rules });
    expect(again.tables[0]).toMatchObject({ requirements: 2, certified: 0, witnessed: 2, unchecked: 0 });
  });
});
