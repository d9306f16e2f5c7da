import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { setQuiet } from "../../data-loaders/cli/progress.ts";
import { makeTempDir } from "../temp.ts";

setQuiet(true);

/** A fresh temporary directory, removed after the test file has run. */
export async function tempDir(prefix = "rdi-publish-"): Promise<string> {
  return makeTempDir(prefix);
}

/** Every file under `dir` (relative path → SHA-256), sorted by path. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string) => {
    for (const entry of (await readdir(d, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) await walk(path);
      else
        out[relative(dir, path).split("\\").join("/")] = createHash("sha256")
          .update(await readFile(path))
          .digest("hex");
    }
  };
  await walk(dir);
  return out;
}

export function withoutBuildLog(files: Record<string, string>): Record<string, string> {
  const { "build-log.json": _ignored, ...rest } = files;
  return rest;
}
