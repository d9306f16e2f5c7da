import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import {
  derivedLoaders,
  type LoaderRunner,
  loaderKey,
  loaderStampFile,
  loaderTarget,
  primeDerivedLoaders,
  runLoader,
  sourceClosure,
} from "../../../scripts/site/loaders.ts";
import { CACHE_MTIME, prepareSiteData } from "../../../scripts/site/publication.ts";
import { makeTempDir } from "../../temp.ts";

const ZIP_MODULE = pathToFileURL(path.resolve(import.meta.dirname, "../../../scripts/site/zip.ts")).href;

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** A publication with just a manifest (what the keys read) and one file. */
function makePublication(manifest: object): string {
  const dir = makeTempDir("rdi-loaders-pub-");
  write(path.join(dir, "manifest.json"), `${JSON.stringify(manifest)}\n`);
  write(path.join(dir, "indikatorer", "katalog.json"), "[]\n");
  return dir;
}

/**
 * A Framework source root with the kinds of loader the site has: JSON derived from the publication
 * (importing a helper, as the real ones import components), an archive with one member per "kommun"
 * (listed in the manifest), one reading a file by URL, one reading RDI_PREVIOUS_PUBLICATION, the
 * publication archive (handled elsewhere) and a parameterised loader (run by Framework per page).
 */
function makeSourceRoot(): string {
  const root = makeTempDir("rdi-loaders-src-");
  // ES modules, as in the repository (package.json "type": "module"), so loaders may await at top level.
  write(path.join(root, "package.json"), '{ "type": "module" }\n');
  write(path.join(root, "components", "helper.ts"), 'export const HELPER = "v1";\n');
  write(
    path.join(root, "data", "summary.json.ts"),
    `import { readFileSync } from "node:fs";
import { HELPER } from "../components/helper.js";
const manifest = JSON.parse(readFileSync(process.env.RDI_PUBLICATION + "/manifest.json", "utf-8"));
process.stdout.write(JSON.stringify({ build: manifest.build_key, helper: HELPER }) + "\\n");
`,
  );
  write(
    path.join(root, "data", "profiler.zip.ts"),
    `import { readFileSync } from "node:fs";
import { streamSink, writeZip } from ${JSON.stringify(ZIP_MODULE)};
const manifest = JSON.parse(readFileSync(process.env.RDI_PUBLICATION + "/manifest.json", "utf-8"));
await writeZip(
  manifest.kommuner.map((kommun) => ({ path: kommun + ".json", read: async () => Buffer.from(JSON.stringify({ kommun, build: manifest.build_key })) })),
  streamSink(process.stdout),
);
`,
  );
  write(path.join(root, "reference", "shape.txt"), "shape 1\n");
  write(
    path.join(root, "data", "geo", "shape.json.js"),
    `import { readFileSync } from "node:fs";
// Written over several lines with a trailing comma, as the formatter writes the real geo loaders.
const file = new URL(
  "../../reference/shape.txt",
  import.meta.url,
);
process.stdout.write(JSON.stringify(readFileSync(file, "utf-8")));
`,
  );
  write(
    path.join(root, "data", "review.json.js"),
    "process.stdout.write(JSON.stringify({ previous: process.env.RDI_PREVIOUS_PUBLICATION ?? null }));\n",
  );
  write(
    path.join(root, "data", "publikation.zip.ts"),
    "throw new Error('written by primeFrameworkCache');\n",
  );
  write(path.join(root, "data", "[kommun].json.js"), "throw new Error('run by Framework per page');\n");
  return root;
}

/** runLoader, counting which loaders ran. */
function countingRunner(ran: string[]): LoaderRunner {
  return async (file, output, env) => {
    ran.push(path.basename(file));
    await runLoader(file, output, env);
  };
}

const cached = (root: string, file: string) => path.join(root, ".observablehq", "cache", file);
const readJson = (file: string) => JSON.parse(readFileSync(file, "utf-8"));

describe("derivedLoaders and loaderTarget", () => {
  it("find every loader under data/ but the publication archive and parameterised ones", async () => {
    expect(await derivedLoaders(makeSourceRoot())).toEqual([
      "data/geo/shape.json.js",
      "data/profiler.zip.ts",
      "data/review.json.js",
      "data/summary.json.ts",
    ]);
    expect(loaderTarget("data/profiler.zip.ts")).toBe("data/profiler.zip");
    expect(loaderTarget("data/geo/shape.json.js")).toBe("data/geo/shape.json");
  });
});

describe("sourceClosure", () => {
  it("follows relative imports (a .js specifier naming a .ts file) and files read by relative URL", async () => {
    const root = makeSourceRoot();
    expect(await sourceClosure(path.join(root, "data", "summary.json.ts"))).toEqual(
      [path.join(root, "components", "helper.ts"), path.join(root, "data", "summary.json.ts")].sort(),
    );
    expect(await sourceClosure(path.join(root, "data", "geo", "shape.json.js"))).toEqual(
      [path.join(root, "data", "geo", "shape.json.js"), path.join(root, "reference", "shape.txt")].sort(),
    );
  });

  it("covers the site's real loaders: the kommun profiles depend on their component and the library", async () => {
    const src = path.resolve(import.meta.dirname, "../../../src");
    const closure = (await sourceClosure(path.join(src, "data", "kommunprofiler.zip.ts"))).map((file) =>
      path.relative(src, file),
    );
    expect(closure).toEqual(
      expect.arrayContaining([
        "components/profiles/summary.ts",
        "../data-loaders/db.ts",
        "../scripts/site/publication.ts",
        "../scripts/site/zip.ts",
      ]),
    );
  });
});

describe("primeDerivedLoaders", () => {
  it("writes every loader's output from the current publication, with the fixed mtime", async () => {
    const root = makeSourceRoot();
    const publication = makePublication({ build_key: "A", kommuner: ["0114", "0180"] });
    const ran: string[] = [];
    const result = await primeDerivedLoaders(root, {
      publication,
      mtime: CACHE_MTIME,
      env: {},
      run: countingRunner(ran),
    });
    expect(result.map((r) => r.status)).toEqual(["written", "written", "written", "written"]);
    expect(readJson(cached(root, "data/summary.json"))).toEqual({ build: "A", helper: "v1" });
    expect(readJson(cached(root, "data/geo/shape.json"))).toBe("shape 1\n");
    expect(readJson(cached(root, "data/review.json"))).toEqual({ previous: null });
    // The archive and its members, as Framework would extract them.
    expect(readJson(cached(root, "data/profiler/0180.json"))).toEqual({ kommun: "0180", build: "A" });
    for (const file of ["data/summary.json", "data/profiler.zip", "data/profiler/0114.json"]) {
      expect(statSync(cached(root, file)).mtimeMs, file).toBe(CACHE_MTIME.getTime());
    }
    // The publication archive and the parameterised loader are never run here.
    expect(ran.sort()).toEqual(["profiler.zip.ts", "review.json.js", "shape.json.js", "summary.json.ts"]);
  });

  it("runs nothing again while the publication and the sources are unchanged", async () => {
    const root = makeSourceRoot();
    const publication = makePublication({ build_key: "A", kommuner: ["0114"] });
    await primeDerivedLoaders(root, { publication, mtime: CACHE_MTIME, env: {} });
    const ran: string[] = [];
    const again = await primeDerivedLoaders(root, {
      publication,
      mtime: CACHE_MTIME,
      env: {},
      run: countingRunner(ran),
    });
    expect(again.map((r) => r.status)).toEqual(["fresh", "fresh", "fresh", "fresh"]);
    expect(ran).toEqual([]);
  });

  it("rewrites every dependent cache entry when the publication's manifest changes", async () => {
    const root = makeSourceRoot();
    const publication = makePublication({ build_key: "A", kommuner: ["0114", "0180"] });
    await primeDerivedLoaders(root, { publication, mtime: CACHE_MTIME, env: {} });
    const stampsBefore = readJson(loaderStampFile(root));
    // The same directory, rebuilt: a new manifest (another build key, one kommun fewer, one more).
    write(
      path.join(publication, "manifest.json"),
      `${JSON.stringify({ build_key: "B", kommuner: ["0114", "2584"] })}\n`,
    );
    const ran: string[] = [];
    const result = await primeDerivedLoaders(root, {
      publication,
      mtime: CACHE_MTIME,
      env: {},
      run: countingRunner(ran),
    });
    expect(result.map((r) => r.status)).toEqual(["written", "written", "written", "written"]);
    expect(ran).toHaveLength(4);
    expect(readJson(cached(root, "data/summary.json"))).toEqual({ build: "B", helper: "v1" });
    expect(readJson(cached(root, "data/profiler/2584.json"))).toEqual({ kommun: "2584", build: "B" });
    expect(readJson(cached(root, "data/profiler/0114.json"))).toEqual({ kommun: "0114", build: "B" });
    // A member of the earlier archive that the new one lacks is gone, not served stale.
    expect(existsSync(cached(root, "data/profiler/0180.json"))).toBe(false);
    const stampsAfter = readJson(loaderStampFile(root));
    for (const loader of Object.keys(stampsBefore))
      expect(stampsAfter[loader], loader).not.toBe(stampsBefore[loader]);
  });

  it("runs only the loaders whose own sources changed, and again when an output is missing", async () => {
    const root = makeSourceRoot();
    const publication = makePublication({ build_key: "A", kommuner: ["0114"] });
    await primeDerivedLoaders(root, { publication, mtime: CACHE_MTIME, env: {} });
    write(path.join(root, "components", "helper.ts"), 'export const HELPER = "v2";\n');
    write(path.join(root, "reference", "shape.txt"), "shape 2\n");
    const ran: string[] = [];
    await primeDerivedLoaders(root, { publication, mtime: CACHE_MTIME, env: {}, run: countingRunner(ran) });
    expect(ran.sort()).toEqual(["shape.json.js", "summary.json.ts"]);
    expect(readJson(cached(root, "data/summary.json")).helper).toBe("v2");
    expect(readJson(cached(root, "data/geo/shape.json"))).toBe("shape 2\n");
    // Someone cleared part of Framework's cache: the missing output is written again.
    rmSync(cached(root, "data/review.json"));
    ran.length = 0;
    await primeDerivedLoaders(root, { publication, mtime: CACHE_MTIME, env: {}, run: countingRunner(ran) });
    expect(ran).toEqual(["review.json.js"]);
  });

  it("keys every output on the previous publication too, and passes it to the loaders", async () => {
    const root = makeSourceRoot();
    const publication = makePublication({ build_key: "A", kommuner: ["0114"] });
    const previous = makePublication({ build_key: "old", kommuner: [] });
    await primeDerivedLoaders(root, { publication, mtime: CACHE_MTIME, env: {} });
    const key = await loaderKey(root, "data/review.json.js", { publication });
    expect(await loaderKey(root, "data/review.json.js", { publication, previous })).not.toBe(key);
    await primeDerivedLoaders(root, { publication, previous, mtime: CACHE_MTIME, env: {} });
    expect(readJson(cached(root, "data/review.json"))).toEqual({ previous });
  });

  it("leaves no output and no key behind when a loader fails", async () => {
    const root = makeSourceRoot();
    write(path.join(root, "data", "broken.json.js"), "process.stdout.write('{'); process.exit(3);\n");
    const publication = makePublication({ build_key: "A", kommuner: [] });
    await expect(primeDerivedLoaders(root, { publication, mtime: CACHE_MTIME, env: {} })).rejects.toThrow(
      /broken\.json\.js exited with code 3/,
    );
    expect(existsSync(cached(root, "data/broken.json"))).toBe(false);
    expect(readJson(loaderStampFile(root))["data/broken.json.js"]).toBeUndefined();
  });
});

describe("prepareSiteData", () => {
  it("primes the derived loaders from the publication it resolves, and refuses a bad previous one", async () => {
    const root = makeSourceRoot();
    const publication = makePublication({ build_key: "A", kommuner: ["0180"] });
    const result = await prepareSiteData(root, { RDI_PUBLICATION: publication });
    expect(result.publication).toBe(publication);
    expect(result.loaders.map((l) => l.loader)).toContain("data/summary.json.ts");
    expect(readJson(cached(root, "data/summary.json")).build).toBe("A");
    await expect(
      prepareSiteData(root, {
        RDI_PUBLICATION: publication,
        RDI_PREVIOUS_PUBLICATION: path.join(root, "none"),
      }),
    ).rejects.toThrow(/RDI_PREVIOUS_PUBLICATION: .* has no manifest\.json/);
  });
});
