import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import {
  CACHE_MTIME,
  cachedSitePaths,
  listPublicationFiles,
  prepareSiteData,
  primeFrameworkCache,
  publicationDirectory,
  publicationSitePaths,
  writePublicationZip,
} from "../../../scripts/site/publication.ts";
import { makeTempDir } from "../../temp.ts";

const ROOT = path.resolve(import.meta.dirname, "../../..");

/** A small publication: two tables, the catalogue, the manifest and a hidden bookkeeping file. */
function makePublication(): string {
  const dir = makeTempDir("rdi-site-pub-");
  const files: Record<string, string> = {
    "manifest.json": '{"version":1}\n',
    "indikatorer/katalog.json": "[]\n",
    "indikatorer/folkmangd/riket.parquet": "PAR1-folkmangd",
    "indikatorer/folkmangd/lan.parquet": "PAR1-lan",
    ".cache/state.json": "{}",
    "build-log.json": '{"seconds_total":1.5}\n',
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

async function zipOf(dir: string): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  await writePublicationZip(dir, async (chunk) => {
    chunks.push(Uint8Array.from(chunk));
  });
  return Buffer.concat(chunks);
}

describe("listPublicationFiles", () => {
  it("lists every published file in byte order, without hidden files and the build log", async () => {
    const dir = makePublication();
    expect(await listPublicationFiles(dir)).toEqual([
      "indikatorer/folkmangd/lan.parquet",
      "indikatorer/folkmangd/riket.parquet",
      "indikatorer/katalog.json",
      "manifest.json",
    ]);
    expect(await publicationSitePaths(dir)).toContain(
      "/data/publikation/indikatorer/folkmangd/riket.parquet",
    );
  });
});

describe("publicationDirectory", () => {
  it("takes RDI_PUBLICATION when set", async () => {
    const dir = makePublication();
    expect(await publicationDirectory({ RDI_PUBLICATION: dir })).toBe(path.resolve(dir));
  });

  it("names the problem when RDI_PUBLICATION is not a publication", async () => {
    const empty = makeTempDir("rdi-site-empty-");
    await expect(publicationDirectory({ RDI_PUBLICATION: empty })).rejects.toThrow(/has no manifest\.json/);
    await expect(publicationDirectory({ RDI_PUBLICATION: path.join(empty, "missing") })).rejects.toThrow(
      /is not a directory/,
    );
  });
});

describe("writePublicationZip", () => {
  it("holds exactly the published files with their bytes", async () => {
    const dir = makePublication();
    const zip = await JSZip.loadAsync(await zipOf(dir));
    expect(Object.keys(zip.files)).toEqual(await listPublicationFiles(dir));
    expect(await zip.file("indikatorer/folkmangd/riket.parquet")?.async("string")).toBe("PAR1-folkmangd");
  });

  it("refuses a directory without manifest.json", async () => {
    const dir = makeTempDir("rdi-site-nomanifest-");
    writeFileSync(path.join(dir, "x.parquet"), "x");
    await expect(zipOf(dir)).rejects.toThrow(/has no manifest\.json/);
  });
});

describe("the archive loader src/data/publikation.zip.ts", () => {
  it("writes the same bytes as writePublicationZip, and the same bytes every time", async () => {
    const dir = makePublication();
    const run = async () => {
      const { stdout } = await promisify(execFile)("npx", ["tsx", "src/data/publikation.zip.ts"], {
        cwd: ROOT,
        env: { ...process.env, RDI_PUBLICATION: dir },
        encoding: "buffer",
        maxBuffer: 64 * 1024 * 1024,
      });
      return stdout;
    };
    const first = await run();
    expect(first.equals(await zipOf(dir))).toBe(true);
    expect(first.equals(await run())).toBe(true);
  });
});

describe("primeFrameworkCache", () => {
  it("writes the loader's archive and every member with the fixed mtime, dropping old members", async () => {
    const dir = makePublication();
    const sourceRoot = makeTempDir("rdi-site-src-");
    const cache = path.join(sourceRoot, ".observablehq", "cache", "data");
    // A member of an earlier publication that the new one no longer has.
    mkdirSync(path.join(cache, "publikation", "indikatorer", "gammal"), { recursive: true });
    writeFileSync(path.join(cache, "publikation", "indikatorer", "gammal", "riket.parquet"), "old");

    expect(await primeFrameworkCache(dir, sourceRoot)).toBe(4);
    expect(readFileSync(path.join(cache, "publikation.zip")).equals(await zipOf(dir))).toBe(true);
    expect(
      readFileSync(path.join(cache, "publikation", "indikatorer", "folkmangd", "riket.parquet"), "utf-8"),
    ).toBe("PAR1-folkmangd");
    expect(existsSync(path.join(cache, "publikation", "indikatorer", "gammal"))).toBe(false);
    expect(existsSync(path.join(cache, "publikation", ".cache"))).toBe(false);
    for (const file of ["publikation.zip", "publikation/manifest.json"]) {
      expect(statSync(path.join(cache, file)).mtimeMs).toBe(CACHE_MTIME.getTime());
    }
  });
});

describe("publicationDirectory without RDI_PUBLICATION", () => {
  it("builds the default publication with ensurePublication() of the site module", async () => {
    const dir = makePublication();
    const moduleDir = makeTempDir("rdi-site-module-");
    const module = path.join(moduleDir, "site.mjs");
    writeFileSync(module, `export async function ensurePublication() { return ${JSON.stringify(dir)}; }\n`);
    expect(await publicationDirectory({}, pathToFileURL(module).href)).toBe(dir);
  });

  it("says why when the site module cannot be loaded or lacks ensurePublication", async () => {
    const moduleDir = makeTempDir("rdi-site-module-");
    const missing = pathToFileURL(path.join(moduleDir, "missing.mjs")).href;
    await expect(publicationDirectory({}, missing)).rejects.toThrow(
      /RDI_PUBLICATION is not set and the default publication cannot be built/,
    );
    const empty = path.join(moduleDir, "empty.mjs");
    writeFileSync(empty, "export const nothing = 1;\n");
    await expect(publicationDirectory({}, pathToFileURL(empty).href)).rejects.toThrow(
      /does not export ensurePublication\(\)/,
    );
  });
});

describe("prepareSiteData and cachedSitePaths", () => {
  it("put the publication into Framework's cache and list exactly what it holds", async () => {
    const dir = makePublication();
    const sourceRoot = makeTempDir("rdi-site-src-");
    await expect(cachedSitePaths(sourceRoot)).rejects.toThrow(/prepareSiteData\(\) must run first/);
    // No other loader in this source root: nothing else to prime (tests/scripts/site/loaders.test.ts).
    expect(await prepareSiteData(sourceRoot, { RDI_PUBLICATION: dir })).toEqual({
      publication: dir,
      files: 4,
      loaders: [],
    });
    expect(await cachedSitePaths(sourceRoot)).toEqual([
      "/data/publikation/indikatorer/folkmangd/lan.parquet",
      "/data/publikation/indikatorer/folkmangd/riket.parquet",
      "/data/publikation/indikatorer/katalog.json",
      "/data/publikation/manifest.json",
    ]);
  });
});
