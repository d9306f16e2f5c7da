import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { UserError } from "../../data-loaders/cli/command.ts";
import { setQuiet } from "../../data-loaders/cli/progress.ts";
import { command } from "../../data-loaders/extract/cli.ts";
import { writeExtract } from "./fixture.ts";

/** Runs `rdi validate` in-process and captures stdout. */
async function run(args: string[]): Promise<{ status: number; stdout: string }> {
  setQuiet(true);
  let stdout = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  try {
    return { status: await command.run(args), stdout };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => setQuiet(false));

describe("rdi validate", () => {
  it("exits 0 on a valid extract and says so", async () => {
    const extract = await writeExtract();
    try {
      const { status, stdout } = await run([extract.dir]);
      expect(status).toBe(0);
      // 3 files; 32 + 30 = 62 person rows over 2021–2022.
      expect(stdout).toBe("valid: 3 files, 62 persons (person-year rows) in 2021–2022\n");
    } finally {
      extract.cleanup();
    }
  });

  it("exits 1 on an invalid extract and prints one line per problem", async () => {
    const extract = await writeExtract({
      mutate: "UPDATE personer_2022 SET kon = 3 WHERE lopnr IN (17, 23, 29)",
    });
    try {
      const { status, stdout } = await run([extract.dir]);
      expect(status).toBe(1);
      expect(stdout).toBe(
        'personer_2022.parquet: column kon: rule "code list 1, 2": 3 rows (lopnr 17, 23, 29)\ninvalid: 1 problem(s)\n',
      );
      const selected = await run([extract.dir, "--years", "2021"]);
      expect(selected.status).toBe(0);
      const asJson = await run([extract.dir, "--json"]);
      expect(JSON.parse(asJson.stdout).problems).toHaveLength(1);
    } finally {
      extract.cleanup();
    }
  });

  it("treats bad usage as exit status 2", async () => {
    await expect(command.run([])).rejects.toMatchObject({ exitCode: 2 });
    await expect(command.run(["a", "b"])).rejects.toBeInstanceOf(UserError);
    await expect(command.run(["dir", "--years", "20x9"])).rejects.toMatchObject({ exitCode: 2 });
    await expect(command.run(["dir", "--years", "2019,2019"])).rejects.toMatchObject({
      message: "--years: 2019 is given twice ('2019' and '2019')",
      exitCode: 2,
    });
  });

  it("works through bin/rdi.js", async () => {
    const extract = await writeExtract({ mutate: "UPDATE personer_2021 SET kon = 0 WHERE lopnr = 1" });
    try {
      const bin = fileURLToPath(new URL("../../bin/rdi.js", import.meta.url));
      const result = spawnSync(process.execPath, [bin, "validate", extract.dir], { encoding: "utf8" });
      expect(result.status).toBe(1);
      expect(result.stdout).toContain(
        'personer_2021.parquet: column kon: rule "code list 1, 2": 1 row (lopnr 1)',
      );
      expect(result.stderr).toContain("personer_2021.parquet: 32 rows, 1 problem");
      const usage = spawnSync(process.execPath, [bin, "validate"], { encoding: "utf8" });
      expect(usage.status).toBe(2);
    } finally {
      extract.cleanup();
    }
  });
});
