import { mkdir, readFile, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  codeVersion,
  fingerprintFiles,
  hashParts,
  stableStringify,
} from "../../data-loaders/publish/cache.ts";
import { tempDir } from "./helpers.ts";

describe("stableStringify", () => {
  it("ignores key order, keeps shared objects and tells functions apart by their source", () => {
    expect(stableStringify({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
    const shared = { ageMin: 20 };
    expect(stableStringify({ x: shared, y: shared })).toBe('{"x":{"ageMin":20},"y":{"ageMin":20}}');
    expect(stableStringify({ f: (x: number) => x + 1 })).not.toBe(
      stableStringify({ f: (x: number) => x + 2 }),
    );
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => stableStringify(cyclic)).toThrow("cycle");
  });

  it("hashes parts unambiguously", () => {
    // Without length prefixes, ["ab", "c"] and ["a", "bc"] would hash alike.
    expect(hashParts(["ab", "c"])).not.toBe(hashParts(["a", "bc"]));
    expect(hashParts(["a", "bc"])).toBe(hashParts(["a", "bc"]));
  });
});

describe("codeVersion", () => {
  it("changes with any source file except the excluded definition files", async () => {
    const root = await tempDir();
    await mkdir(join(root, "engine/registry"), { recursive: true });
    await writeFile(join(root, "engine/compute.ts"), "export const a = 1;");
    await writeFile(join(root, "engine/registry/ekonomi.ts"), "export const def = 1;");
    const exclude = (path: string) => path === "engine/registry/ekonomi.ts";
    const v1 = await codeVersion(root, exclude);
    await writeFile(join(root, "engine/registry/ekonomi.ts"), "export const def = 2;");
    expect(await codeVersion(root, exclude)).toBe(v1);
    await writeFile(join(root, "engine/compute.ts"), "export const a = 2;");
    expect(await codeVersion(root, exclude)).not.toBe(v1);
  });
});

describe("fingerprintFiles", () => {
  it("hashes files and reuses the memo while size and mtime are unchanged", async () => {
    const root = await tempDir();
    const file = join(root, "personer_2020.csv");
    const memo = join(root, "memo.json");
    await writeFile(file, "abc");
    const mtime = new Date(1_700_000_000_000); // a whole second: survives the utimes round trip
    await utimes(file, mtime, mtime);
    // SHA-256 of "abc" (FIPS 180-2 test vector).
    const abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    expect((await fingerprintFiles([file], memo)).get(file)).toEqual({ bytes: 3, sha256: abc });
    // Same size and mtime: the memo answers, even though the content changed behind its back.
    await writeFile(file, "abd");
    await utimes(file, mtime, mtime);
    expect((await fingerprintFiles([file], memo)).get(file)?.sha256).toBe(abc);
    // A new mtime makes it read the file again.
    await utimes(file, new Date(mtime.getTime() + 5000), new Date(mtime.getTime() + 5000));
    expect((await fingerprintFiles([file], memo)).get(file)?.sha256).not.toBe(abc);
    expect(JSON.parse(await readFile(memo, "utf8"))[file].bytes).toBe(3);
  });
});
