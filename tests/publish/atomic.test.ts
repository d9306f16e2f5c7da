import { spawn } from "node:child_process";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createStaging, recoverInterrupted, swapIntoPlace } from "../../data-loaders/publish/atomic.ts";
import { buildPublication } from "../../data-loaders/publish/build.ts";
import { snapshot, tempDir } from "./helpers.ts";
import { EXTRACT, standInSteps, writeExtract } from "./standins.ts";

/** Above Linux's largest pid (2^22), so no process can have it. */
const DEAD_PID = 4_194_305;
const SLOW_BUILD = fileURLToPath(new URL("./fixtures/slow-build.ts", import.meta.url));

describe("atomic publish", () => {
  it("replaces the old publication only when the new one is complete", async () => {
    const root = await tempDir();
    const out = join(root, "pub");
    await mkdir(out);
    await writeFile(join(out, "old.txt"), "old");
    const staging = await createStaging(out);
    await writeFile(join(staging, "new.txt"), "new");
    expect(await snapshot(out)).toHaveProperty("old.txt"); // untouched until the swap
    await swapIntoPlace(staging, out);
    expect(Object.keys(await snapshot(out))).toEqual(["new.txt"]);
    expect(await readdir(root)).toEqual(["pub"]);
  });

  it("restores a publication whose swap was interrupted and removes dead builds' staging", async () => {
    const root = await tempDir();
    // A build died after renaming the old publication away and before renaming the new one in.
    await mkdir(join(root, `.pub.retired-${DEAD_PID}-1`));
    await writeFile(join(root, `.pub.retired-${DEAD_PID}-1`, "manifest.json"), "{}");
    await mkdir(join(root, `.pub.staging-${DEAD_PID}-2`));
    // A staging directory of a running build (this process) is left alone.
    await mkdir(join(root, `.pub.staging-${process.pid}-99`));
    await recoverInterrupted(join(root, "pub"));
    expect((await readdir(root)).sort()).toEqual([`.pub.staging-${process.pid}-99`, "pub"]);
    expect(Object.keys(await snapshot(join(root, "pub")))).toEqual(["manifest.json"]);
  });

  it("leaves the previous publication byte-identical when a build is killed while writing", async () => {
    const root = await tempDir();
    const extract = join(root, "extract");
    await writeExtract(extract, EXTRACT);
    const out = join(root, "pub");
    await buildPublication({ input: extract, out, cacheDir: join(root, "cache") }, standInSteps());
    const before = await snapshot(out);

    const child = spawn(
      process.execPath,
      ["--import", "tsx", SLOW_BUILD, extract, out, join(root, "cache-killed")],
      {
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    // Kill as soon as the staging directory holds some written indicator folders.
    let killedWhileWriting = false;
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline && child.exitCode === null) {
      const staging = (await readdir(root)).find((name) => name.startsWith(".pub.staging-"));
      if (staging) {
        const written = await readdir(join(root, staging, "indikatorer")).catch(() => []);
        if (written.length >= 5) {
          child.kill("SIGKILL");
          killedWhileWriting = true;
          break;
        }
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await exited;
    expect(stderr).toBe("");
    expect(killedWhileWriting).toBe(true);
    expect(await snapshot(out)).toEqual(before);
    expect((await readdir(root)).some((name) => name.startsWith(".pub.staging-"))).toBe(true);

    // The next build removes the dead build's staging directory.
    await buildPublication({ input: extract, out, cacheDir: join(root, "cache") }, standInSteps());
    expect((await readdir(root)).sort()).toEqual(["cache", "cache-killed", "extract", "pub"]);
  });
});
