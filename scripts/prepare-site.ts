/**
 * Fills Observable Framework's npm cache (`src/.observablehq/cache/_npm`) from node_modules so that
 * `observable build` never goes to the network.
 *
 * Framework 1.13 turns every `npm:` import (also the implicit ones: Plot, d3, Inputs' htl and
 * isoformat, DuckDB-WASM, Arrow, parquet-wasm …) into `/_npm/<name>@<version>/_esm.js` and, when
 * that file is missing, downloads it from jsDelivr. It picks the version by listing the directories
 * in `_npm/` (any cached version satisfying the range wins) and asks the npm registry only when none
 * does. So a cache that already holds every file the site needs makes the build offline. We write
 * what jsDelivr's `+esm` would: one ES module per package, bundled with esbuild, in which every import
 * of another ES-module package stays external and points at that package's own cache file (`../d3@7.9.2/
 * _esm.js`), so that Plot and the pages share one d3.
 *
 * The data are not touched here (this runs before scripts/prepare-data.ts builds the publication):
 * observablehq.config.ts puts the publication into Framework's cache (site/publication.ts).
 *
 * Run: `npx tsx scripts/prepare-site.ts` (part of `npm run build` and `npm run dev`).
 */
import { existsSync, readFileSync } from "node:fs";
import { copyFile, mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Packages the site imports with `npm:` (directly or through Framework); each must be installed. */
export const SITE_PACKAGES = [
  "@observablehq/plot",
  "d3",
  "d3-dsv", // FileAttachment.csv()
  "htl", // Inputs
  "isoformat", // Inputs, Plot
  "apache-arrow", // FileAttachment.arrow()/.parquet(), DuckDBClient results
  "parquet-wasm", // FileAttachment.parquet() and components/duckdb.js
  "@duckdb/duckdb-wasm",
  "arquero",
] as const;

/**
 * The libraries Framework's client offers lazily (client/stdlib/recommendedLibraries.js and
 * sampleDatasets.js). Framework resolves the version of each one while bundling its client, even when
 * no page uses it. The installed ones are cached like the site packages; for the others we only pin a
 * version that cannot exist on npm, so the build does not ask the registry and a page that uses one
 * fails with a clear "unable to fetch" (add the package to package.json to use it).
 */
export const FRAMEWORK_LIBRARIES = [
  "lodash",
  "arquero",
  "apache-arrow",
  "d3",
  "d3-dsv",
  "@duckdb/duckdb-wasm",
  "echarts",
  "htl",
  "isoformat",
  "leaflet",
  "mapbox-gl",
  "@observablehq/plot",
  "react",
  "react-dom",
  "topojson-client",
  "parquet-wasm",
  "@observablehq/sample-datasets",
] as const;

/** Version directory for a library that is not installed (never on npm, so never satisfiable remotely). */
export const NOT_INSTALLED_VERSION = "0.0.0-not-installed";

/** Non-JavaScript files (and workers) that Framework resolves inside packages; copied verbatim. */
export const PACKAGE_ASSETS: Record<string, readonly string[]> = {
  "@duckdb/duckdb-wasm": [
    "dist/duckdb-mvp.wasm",
    "dist/duckdb-eh.wasm",
    "dist/duckdb-browser-mvp.worker.js",
    "dist/duckdb-browser-eh.worker.js",
  ],
  "parquet-wasm": ["esm/parquet_wasm_bg.wasm"],
};

/** Entry files that differ from what a browser resolution of the package name gives. */
const ENTRY_OVERRIDES: Record<string, string> = {
  // The web build, whose default export takes the URL of the wasm file (as Framework's client expects).
  "parquet-wasm": "esm/parquet_wasm.js",
};

/** The version Framework 1.13 pins for DuckDB-WASM (DUCKDB_WASM_VERSION in its dist/duckdb.js). */
export const FRAMEWORK_DUCKDB_WASM_VERSION = "1.29.0";

export interface InstalledPackage {
  name: string;
  version: string;
  /** Absolute directory of the installed package. */
  dir: string;
}

/** The package name of a bare import specifier (`d3-array`, `@duckdb/duckdb-wasm/dist/x.js` → `@duckdb/duckdb-wasm`). */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** Path of a file of a package inside Framework's cache, relative to the cache root (`_npm/d3@7.9.2/_esm.js`). */
export function npmCachePath(name: string, version: string, file = "_esm.js"): string {
  return `_npm/${name}@${version}/${file}`;
}

/** The import specifier that leads from one cached module to another (always starts with `./` or `../`). */
export function relativeImport(fromFile: string, toFile: string): string {
  const relative = path.posix.relative(path.posix.dirname(fromFile), toFile);
  return relative.startsWith(".") ? relative : `./${relative}`;
}

/** Finds an installed package the way Node does: in `node_modules` of `fromDir` and of each ancestor. */
export function findInstalledPackage(name: string, fromDir: string): InstalledPackage | undefined {
  let dir = path.resolve(fromDir);
  for (;;) {
    const candidate = path.join(dir, "node_modules", name);
    const manifest = path.join(candidate, "package.json");
    if (existsSync(manifest)) {
      const { version } = JSON.parse(readFileSync(manifest, "utf-8")) as { version: string };
      return { name, version, dir: candidate };
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Whether a package ships ES modules; only those are kept external (CommonJS is inlined, as esbuild converts it). */
export function isEsModulePackage(manifest: {
  type?: string;
  module?: string;
  exports?: unknown;
  main?: string;
}): boolean {
  if (manifest.type === "module" || typeof manifest.module === "string") return true;
  if (typeof manifest.main === "string" && manifest.main.endsWith(".mjs")) return true;
  return JSON.stringify(manifest.exports ?? null).includes('"import"');
}

function readManifest(dir: string): { type?: string; module?: string; exports?: unknown; main?: string } {
  return JSON.parse(readFileSync(path.join(dir, "package.json"), "utf-8"));
}

export interface BundleResult {
  /** The ES module for `_npm/<name>@<version>/_esm.js`. */
  code: string;
  /** Packages that the module imports and that must be cached too. */
  dependencies: InstalledPackage[];
}

/**
 * Bundles one installed package into a single browser ES module. Imports of other ES-module packages
 * (exactly the package name, as jsDelivr's `+esm` does) stay external and point at their cache file;
 * everything else (the package's own files, CommonJS dependencies, deep imports) is inlined.
 */
export async function bundlePackage(pkg: InstalledPackage): Promise<BundleResult> {
  const ownPath = npmCachePath(pkg.name, pkg.version);
  const dependencies = new Map<string, InstalledPackage>();
  const entry = "rdi-entry";
  const plugin: Plugin = {
    name: "npm-cache",
    setup(b) {
      b.onResolve({ filter: /^rdi-entry$/ }, async () => {
        const override = ENTRY_OVERRIDES[pkg.name];
        if (override) return { path: path.join(pkg.dir, override) };
        const resolved = await b.resolve(pkg.name, { kind: "entry-point", resolveDir: pkg.dir });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        return { path: resolved.path };
      });
      b.onResolve({ filter: /^[^./#]/ }, (args) => {
        if (args.kind === "require-call" || args.kind === "entry-point") return undefined;
        const name = packageNameOf(args.path);
        if (name === pkg.name || args.path !== name) return undefined;
        const dependency = findInstalledPackage(name, args.resolveDir);
        if (!dependency || !isEsModulePackage(readManifest(dependency.dir))) return undefined;
        dependencies.set(`${dependency.name}@${dependency.version}`, dependency);
        return {
          path: relativeImport(ownPath, npmCachePath(dependency.name, dependency.version)),
          external: true,
        };
      });
    },
  };
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: ["es2022"],
    minify: true,
    legalComments: "eof",
    logLevel: "silent",
    define: { "process.env.NODE_ENV": '"production"' },
    plugins: [plugin],
  });
  const code = result.outputFiles[0].text;
  return { code, dependencies: [...dependencies.values()] };
}

export interface PrepareSummary {
  /** `name@version` of every bundled package, sorted. */
  bundled: string[];
  /** Copied non-JavaScript files (cache paths), sorted. */
  assets: string[];
  /** Libraries pinned to NOT_INSTALLED_VERSION, sorted. */
  notInstalled: string[];
}

/**
 * Rebuilds `<cacheRoot>/_npm` from the packages installed under `projectRoot`. The directory is
 * replaced as a whole so that nothing fetched earlier from a CDN can linger in it.
 */
export async function prepareNpmCache(
  projectRoot: string = PROJECT_ROOT,
  cacheRoot: string = path.join(projectRoot, "src", ".observablehq", "cache"),
): Promise<PrepareSummary> {
  const queue: InstalledPackage[] = [];
  const notInstalled: string[] = [];
  for (const name of SITE_PACKAGES) {
    const pkg = findInstalledPackage(name, projectRoot);
    if (!pkg) throw new Error(`prepare-site: package '${name}' is not installed; run npm ci`);
    queue.push(pkg);
  }
  for (const name of FRAMEWORK_LIBRARIES) {
    const pkg = findInstalledPackage(name, projectRoot);
    if (pkg) queue.push(pkg);
    else notInstalled.push(name);
  }
  const duckdb = findInstalledPackage("@duckdb/duckdb-wasm", projectRoot);
  if (duckdb?.version !== FRAMEWORK_DUCKDB_WASM_VERSION) {
    throw new Error(
      `prepare-site: Framework pins @duckdb/duckdb-wasm ${FRAMEWORK_DUCKDB_WASM_VERSION} but ${duckdb?.version ?? "none"} is installed`,
    );
  }

  const npmRoot = path.join(cacheRoot, "_npm");
  await rm(npmRoot, { recursive: true, force: true });
  const done = new Set<string>();
  for (let pkg = queue.shift(); pkg; pkg = queue.shift()) {
    const key = `${pkg.name}@${pkg.version}`;
    if (done.has(key)) continue;
    done.add(key);
    const { code, dependencies } = await bundlePackage(pkg);
    const target = path.join(cacheRoot, npmCachePath(pkg.name, pkg.version));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, code);
    queue.push(...dependencies);
  }

  const assets: string[] = [];
  for (const [name, files] of Object.entries(PACKAGE_ASSETS)) {
    const pkg = findInstalledPackage(name, projectRoot);
    if (!pkg) throw new Error(`prepare-site: package '${name}' is not installed; run npm ci`);
    for (const file of files) {
      const cachePath = npmCachePath(pkg.name, pkg.version, file);
      await mkdir(path.dirname(path.join(cacheRoot, cachePath)), { recursive: true });
      await copyFile(path.join(pkg.dir, file), path.join(cacheRoot, cachePath));
      assets.push(cachePath);
    }
  }

  for (const name of notInstalled) {
    await mkdir(path.join(cacheRoot, "_npm", `${name}@${NOT_INSTALLED_VERSION}`), { recursive: true });
  }

  return { bundled: [...done].sort(), assets: assets.sort(), notInstalled: notInstalled.sort() };
}

async function main(): Promise<void> {
  const started = performance.now();
  const summary = await prepareNpmCache();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stderr.write(
    `prepare-site: cached ${summary.bundled.length} packages and ${summary.assets.length} files in ${seconds} s; ` +
      `not installed: ${summary.notInstalled.join(", ") || "none"}\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
