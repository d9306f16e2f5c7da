/**
 * Calibration check of a generated (or any) extract against SCB's published 2020–2023 figures:
 * population per kommun and the share of utrikes födda per RegSO.
 */
import { join } from "node:path";
import { exec, openDatabase, queryRows, sqlString } from "../db.ts";
import { createReferenceTables } from "../reference/geography.ts";
import { createDesoSource, createRegsoStats } from "./generate.ts";

export interface KommunDeviation {
  kommun: string;
  generated: number;
  /** Published population × scale. */
  expected: number;
  /** (generated − expected) / expected. */
  relative: number;
}

export interface RegsoDeviation {
  regso: string;
  generated: number;
  generatedShare: number;
  publishedShare: number;
  /** generatedShare − publishedShare (a proportion, not percentage points). */
  difference: number;
}

export interface CalibrationReport {
  year: number;
  scale: number;
  kommuner: KommunDeviation[];
  regso: RegsoDeviation[];
  maxKommunRelative: number;
  maxRegsoShareDifference: number;
}

/**
 * Compares personer_<year>.parquet in `dir` (year 2020–2023) with the published figures. Persons are
 * counted in the kommun and RegSO of their DeSO (today's division). `scale` is the generator's scale.
 */
export async function calibrationReport(
  dir: string,
  year: number,
  scale: number,
): Promise<CalibrationReport> {
  const con = await openDatabase();
  try {
    await createReferenceTables(con);
    await createDesoSource(con);
    await createRegsoStats(con);
    const file = sqlString(join(dir, `personer_${year}.parquet`));
    await exec(
      con,
      `CREATE TABLE counted AS
       SELECT d.kommun, d.regso, count(*) AS n, count(*) FILTER (WHERE p.fodelseland <> 'SE') AS utrikes
       FROM read_parquet(${file}) p JOIN ref_deso d ON d.deso = p.deso GROUP BY ALL`,
    );
    const kommuner = await queryRows<KommunDeviation>(
      con,
      `WITH published AS (SELECT l.kommun, sum(s.total) AS total FROM regso_stats s JOIN regso_link l USING (regso)
                          WHERE s.ar = ${year} GROUP BY ALL),
            generated AS (SELECT kommun, sum(n) AS n FROM counted GROUP BY ALL)
       SELECT p.kommun, coalesce(g.n, 0)::INTEGER AS generated, (p.total * ${scale})::DOUBLE AS expected,
         ((coalesce(g.n, 0) - p.total * ${scale}) / (p.total * ${scale}))::DOUBLE AS relative
       FROM published p LEFT JOIN generated g USING (kommun) ORDER BY p.kommun`,
    );
    const regso = await queryRows<RegsoDeviation>(
      con,
      `SELECT s.regso, c.n::INTEGER AS generated, (c.utrikes / c.n)::DOUBLE AS "generatedShare",
         s.share::DOUBLE AS "publishedShare", (c.utrikes / c.n - s.share)::DOUBLE AS difference
       FROM regso_stats s JOIN counted c USING (regso) WHERE s.ar = ${year} ORDER BY s.regso`,
    );
    return {
      year,
      scale,
      kommuner,
      regso,
      maxKommunRelative: Math.max(...kommuner.map((k) => Math.abs(k.relative))),
      maxRegsoShareDifference: Math.max(...regso.map((r) => Math.abs(r.difference))),
    };
  } finally {
    con.closeSync();
  }
}
