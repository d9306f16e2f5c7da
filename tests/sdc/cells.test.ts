/**
 * The relations that hold in the data (data-loaders/sdc/cells.ts, `createGroups`): a group short
 * of the children its relation declares is not used, even where its sum happens to hold.
 */
import { describe, expect, it } from "vitest";
import { queryRows } from "../../data-loaders/db.ts";
import { createCells, createGroups } from "../../data-loaders/sdc/cells.ts";
import { resolveRules } from "../../data-loaders/sdc/rules.ts";
import { indikatorerSpec } from "../../data-loaders/sdc/tables.ts";
import { createIndikatorerRaw, database, share } from "./fixtures.ts";

describe("createGroups", () => {
  it("drops a födelseregion group that lacks categories the table does not publish at its level", async () => {
    // DeSO 0114A0010 publishes sverige and utrikes only; kommun 0114 all four regions and utrikes.
    // In the DeSO nobody born abroad is in the numerator: totalt 7 of 49, sverige 7 of 42, utrikes
    // 0 of 7. The four-region relation there would be "totalt = sverige", which holds for the
    // numerator (7 = 7) by coincidence and would pin utrikes to 0; readers cannot add up norden,
    // eu_efta and ovriga where they are not published, so it must not be a group. sverige +
    // utrikes = totalt is one (7 = 7 + 0 and 49 = 42 + 7).
    // Kommun: 10 of 60 = sverige 7 of 42 + norden 1 of 5 + eu_efta 1 of 6 + ovriga 1 of 7, and
    // utrikes 3 of 18 = norden + eu_efta + ovriga: all three relations are whole.
    const indikator = "forvarvsarbetande";
    const deso = (fodelseregion: string, t: number, d: number) =>
      share("deso", "0114A0010", t, d, { indikator, fodelseregion });
    const kommun = (fodelseregion: string, t: number, d: number) =>
      share("kommun", "0114", t, d, { indikator, fodelseregion });
    const con = await database();
    await createIndikatorerRaw(con, [
      deso("totalt", 7, 49),
      deso("sverige", 7, 42),
      deso("utrikes", 0, 7),
      kommun("totalt", 10, 60),
      kommun("sverige", 7, 42),
      kommun("norden", 1, 5),
      kommun("eu_efta", 1, 6),
      kommun("ovriga", 1, 7),
      kommun("utrikes", 3, 18),
    ]);
    const spec = indikatorerSpec();
    await createCells(con, "t", spec, resolveRules({}), { where: "true" });
    await createGroups(con, "t", spec);
    const groups = await queryRows<{ rel: number; niva: string; children: number }>(
      con,
      `SELECT g.rel, p.niva, (count(*) - 1)::INTEGER AS children
       FROM t_groups g JOIN t_members m USING (grp) JOIN t_cells p ON p.id = g.grp // ${spec.relations.length}
       GROUP BY ALL ORDER BY ALL`,
    );
    const named = groups
      .map((g) => [spec.relations[g.rel].name, g.niva, g.children])
      .filter(([name]) => String(name).startsWith("fodelseregion") || name === "inrikes_utrikes")
      .sort();
    expect(named).toEqual([
      ["fodelseregion", "kommun", 4],
      ["fodelseregion_utrikes", "kommun", 3],
      ["inrikes_utrikes", "deso", 2],
      ["inrikes_utrikes", "kommun", 2],
    ]);
  });
});
