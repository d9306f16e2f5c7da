import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { openDatabase, queryRows, sqlString } from "../../data-loaders/db.ts";
import { acquireLock, defaultLocation, ensurePublication } from "../../data-loaders/publish/site.ts";
import { tempDir } from "./helpers.ts";
import { EXTRACT, standInSteps, writeExtract } from "./standins.ts";

async function share2020(publication: string): Promise<number> {
  const con = await openDatabase();
  const rows = await queryRows<{ varde: number }>(
    con,
    `SELECT varde FROM read_parquet(${sqlString(join(publication, "indikatorer/andel_kvinnor/riket.parquet"))})
     WHERE ar = 2020 AND kon = 'totalt'`,
  );
  con.closeSync();
  return rows[0].varde;
}

describe("ensurePublication", () => {
  it("resolves the default locations from the environment", () => {
    const location = defaultLocation({ RDI_PUBLICATION: "/data/pub", RDI_INPUT: "/data/extract" });
    expect(location.publication).toBe("/data/pub");
    expect(location.input).toBe("/data/extract");
    expect(location.cacheDir.endsWith(".rdi/cache")).toBe(true);
  });

  it("builds once for concurrent callers, then serves the publication until something changes", async () => {
    const root = await tempDir();
    const input = join(root, "extract");
    await writeExtract(input, EXTRACT);
    const location = { publication: join(root, "pub"), input, cacheDir: join(root, "cache") };
    const steps = standInSteps();
    const paths = await Promise.all([1, 2, 3].map(() => ensurePublication({ ...location, steps })));
    expect(paths).toEqual([location.publication, location.publication, location.publication]);
    // One build: validated and protected once, although three callers asked at the same time.
    expect(steps.calls.filter((c) => c.step === "validate")).toHaveLength(1);
    expect(steps.calls.filter((c) => c.step === "protect")).toHaveLength(1);
    // 2020: 3 women of 5 persons.
    expect(await share2020(location.publication)).toBe(60);

    await ensurePublication({ ...location, steps });
    expect(steps.calls.filter((c) => c.step === "validate")).toHaveLength(1); // fresh: nothing rebuilt

    // Editing a definition makes the publication stale; the next call serves the new value.
    const andel = steps.defs.find((d) => d.id === "andel_kvinnor");
    if (!andel) throw new Error("stand-in lacks andel_kvinnor");
    andel.varde = "50.0 * count(*) FILTER (WHERE kon = 2) / count(*)";
    await ensurePublication({ ...location, steps });
    expect(await share2020(location.publication)).toBe(30);
    expect(steps.calls.filter((c) => c.step === "indicators").at(-1)?.indicators).toEqual(["andel_kvinnor"]);

    // A changed input file makes it stale too: person 6 of 2020 becomes a man (2 women of 5 = 40 %,
    // halved by the edited definition = 20).
    const csv = await readFile(join(input, "personer_2020.csv"), "utf8");
    await writeFile(join(input, "personer_2020.csv"), csv.replace("6,2020,2,0180", "6,2020,1,0180"));
    await ensurePublication({ ...location, steps });
    expect(await share2020(location.publication)).toBe(20);
  });

  it("serves a publication named by RDI_PUBLICATION alone as it is, never rebuilding it", async () => {
    const root = await tempDir();
    const steps = standInSteps();
    vi.stubEnv("RDI_INPUT", "");
    vi.stubEnv("RDI_PUBLICATION", join(root, "real"));
    try {
      await expect(ensurePublication({ steps })).rejects.toThrow(
        "has no manifest.json (set RDI_INPUT to build it)",
      );
      await mkdir(join(root, "real"));
      await writeFile(join(root, "real", "manifest.json"), "{}");
      expect(await ensurePublication({ steps })).toBe(join(root, "real"));
      expect(steps.calls).toEqual([]);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("takes over a lock whose owner has died and waits for a live one", async () => {
    const root = await tempDir();
    const lock = join(root, "pub.lock");
    await writeFile(lock, "4194305 dead"); // above Linux's largest pid: no such process
    const release = await acquireLock(lock, 1000);
    expect((await readFile(lock, "utf8")).startsWith(`${process.pid} `)).toBe(true);
    // Held by this (live) process: a second caller times out.
    await expect(acquireLock(lock, 300)).rejects.toThrow(`holds the lock; gave up waiting`);
    await release();
    const again = await acquireLock(lock, 1000);
    await again();
  });
});
