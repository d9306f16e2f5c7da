/**
 * Framework's cache for the site's data loaders other than the publication archive (which
 * publication.ts writes itself): kommunprofiler.zip, segregation-sammanfattning.json,
 * omradestyper*.json, granskning.json and any loader added later under src/data/.
 *
 * Framework re-runs a loader only when the loader's own file is newer than its cached output. A loader
 * whose output comes from the publication (or from a library module it imports) would therefore be
 * served stale after the publication or that module changed. So when observablehq.config.ts is loaded
 * (prepareSiteData), every loader gets a key: SHA-256 over the current publication's manifest.json,
 * the previous publication's (RDI_PREVIOUS_PUBLICATION, for the review page) and the source of the
 * loader and of every file it imports or reads by a relative URL. When the key differs from the one
 * recorded for the cached output (or the output is missing), the loader is run here, its output
 * written into the cache (an archive's members extracted too) with a fixed mtime, and the key
 * recorded. Framework then finds every output fresh, and the pages never embed a build time.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createWriteStream, existsSync, statSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, utimes, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { readStoredZip } from "./zip.ts";

/** Loaders the site runs itself: `<name>.<ext>.ts|js` under `<sourceRoot>/data/`. */
const LOADER = /\.[A-Za-z0-9]+\.(ts|js)$/;

/** The publication archive loader: written by primeFrameworkCache, never run as a derived loader. */
export const PUBLICATION_LOADER = "data/publikation.zip.ts";

/** Where the keys of the cached outputs are recorded (a hidden file Framework never serves). */
export function loaderStampFile(sourceRoot: string): string {
  return path.join(sourceRoot, ".observablehq", "cache", ".rdi-loaders.json");
}

/** Every derived loader under `<sourceRoot>/data/`, as a `/`-separated path relative to the source root. */
export async function derivedLoaders(sourceRoot: string): Promise<string[]> {
  const found: string[] = [];
  async function visit(relative: string): Promise<void> {
    const dir = path.join(sourceRoot, relative);
    if (!existsSync(dir)) return;
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".") || entry.name.startsWith("_")) continue;
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) await visit(child);
      // A bracketed name ([param].json.ts) takes parameters from the page: Framework runs it per page.
      else if (LOADER.test(entry.name) && !entry.name.includes("[") && child !== PUBLICATION_LOADER) {
        found.push(child);
      }
    }
  }
  await visit("data");
  return found.sort();
}

/** The file a loader writes: its path without the interpreter's extension (`data/x.json.ts` → `data/x.json`). */
export function loaderTarget(loader: string): string {
  return loader.replace(/\.(ts|js)$/, "");
}

// Relative module specifiers and files read relative to the module (`new URL("…", import.meta.url)`).
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](\.{1,2}\/[^"']+)["']/g;
const URL_REFERENCE = /new\s+URL\(\s*["'](\.{1,2}\/[^"']+)["']\s*,\s*import\.meta\.url\s*,?\s*\)/g;

/**
 * A loader's source and everything it depends on in the repository: the files it imports with a
 * relative specifier, recursively (a `.js` specifier may name a `.ts` file, as the components do), and
 * the files it reads by a relative URL. Absolute paths, sorted. Packages (bare specifiers) are left
 * out: package-lock.json pins them.
 */
export async function sourceClosure(file: string): Promise<string[]> {
  const seen = new Set<string>();
  const pending = [path.resolve(file)];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    if (seen.has(current)) continue;
    seen.add(current);
    if (!/\.(ts|js|mjs|mts)$/.test(current)) continue; // data files have no imports
    const text = await readFile(current, "utf-8");
    for (const pattern of [IMPORT, URL_REFERENCE]) {
      for (const [, specifier] of text.matchAll(pattern)) {
        const target = path.resolve(path.dirname(current), specifier);
        const candidates = target.endsWith(".js") ? [target, target.replace(/\.js$/, ".ts")] : [target];
        // Only files: a URL may name a folder (e.g. the repository root), which has no content to hash.
        const found = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
        if (found && !seen.has(found)) pending.push(found);
      }
    }
  }
  return [...seen].sort();
}

/** What the derived loaders read besides their source: the publications named in the environment. */
export interface LoaderInputs {
  /** The current publication directory (already resolved by prepareSiteData). */
  publication: string;
  /** The previous publication (RDI_PREVIOUS_PUBLICATION) or undefined. */
  previous?: string;
}

async function manifestHash(dir: string | undefined): Promise<string> {
  if (dir === undefined) return "none";
  const file = path.join(dir, "manifest.json");
  if (!existsSync(file))
    throw new Error(`'${dir}' has no manifest.json; is it a publication written by rdi build?`);
  return createHash("sha256")
    .update(await readFile(file))
    .digest("hex");
}

/** The key of a loader's output: the publications' manifests and the loader's source closure. */
export async function loaderKey(sourceRoot: string, loader: string, inputs: LoaderInputs): Promise<string> {
  const hash = createHash("sha256");
  hash.update(`current ${await manifestHash(inputs.publication)}\n`);
  hash.update(`previous ${await manifestHash(inputs.previous)}\n`);
  for (const file of await sourceClosure(path.join(sourceRoot, loader))) {
    // Paths relative to the source root, so that the key does not depend on where the checkout lives.
    hash.update(`${path.relative(sourceRoot, file).split(path.sep).join("/")}\n`);
    hash.update(await readFile(file));
  }
  return hash.digest("hex");
}

/** Runs a loader as Framework would (node for .js, tsx for .ts) with stdout into `output`. */
export type LoaderRunner = (loaderFile: string, output: string, env: NodeJS.ProcessEnv) => Promise<void>;

export const runLoader: LoaderRunner = async (loaderFile, output, env) => {
  const args = loaderFile.endsWith(".ts")
    ? [createRequire(import.meta.url).resolve("tsx/cli"), loaderFile]
    : [loaderFile];
  const stream = createWriteStream(output);
  await new Promise<void>((resolve, reject) => stream.on("open", () => resolve()).on("error", reject));
  try {
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", stream, "inherit"] });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", resolve);
    });
    if (code !== 0) throw new Error(`loader ${loaderFile} exited with code ${code}`);
  } finally {
    await new Promise<void>((resolve) => stream.end(resolve));
  }
};

export interface PrimeOptions extends LoaderInputs {
  /** The mtime given to every cached output (publication.ts: CACHE_MTIME). */
  mtime: Date;
  /** Environment of the loaders; RDI_PUBLICATION and RDI_PREVIOUS_PUBLICATION are set from the inputs. */
  env?: NodeJS.ProcessEnv;
  /** Runs one loader (tests use stand-ins); default runLoader. */
  run?: LoaderRunner;
}

export interface PrimedLoader {
  loader: string;
  /** `fresh`: the cached output has the current key; `written`: the loader ran and its output was written. */
  status: "fresh" | "written";
}

/**
 * Brings the cached output of every derived loader up to date with the current publication and
 * source (see the module comment). Loaders run one after the other (each opens DuckDB with 2 threads).
 */
export async function primeDerivedLoaders(
  sourceRoot: string,
  options: PrimeOptions,
): Promise<PrimedLoader[]> {
  const stampFile = loaderStampFile(sourceRoot);
  const cache = path.join(sourceRoot, ".observablehq", "cache");
  let stamps: Record<string, string> = {};
  try {
    stamps = JSON.parse(await readFile(stampFile, "utf-8"));
  } catch {
    stamps = {};
  }
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env), RDI_PUBLICATION: options.publication };
  if (options.previous === undefined) delete env.RDI_PREVIOUS_PUBLICATION;
  else env.RDI_PREVIOUS_PUBLICATION = options.previous;
  const run = options.run ?? runLoader;
  const results: PrimedLoader[] = [];
  for (const loader of await derivedLoaders(sourceRoot)) {
    const key = await loaderKey(sourceRoot, loader, options);
    const target = path.join(cache, loaderTarget(loader));
    if (stamps[loader] === key && existsSync(target)) {
      results.push({ loader, status: "fresh" });
      continue;
    }
    // The old key goes first: an interrupted run must not leave a new output under an old key or the
    // reverse (an output without its key is simply run again).
    delete stamps[loader];
    await writeStamps(stampFile, stamps);
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.rdi`;
    try {
      await run(path.join(sourceRoot, loader), temporary, env);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    await rename(temporary, target);
    await utimes(target, options.mtime, options.mtime);
    if (target.endsWith(".zip")) await extractMembers(target, options.mtime);
    stamps[loader] = key;
    await writeStamps(stampFile, stamps);
    results.push({ loader, status: "written" });
  }
  return results;
}

async function writeStamps(file: string, stamps: Record<string, string>): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const sorted = Object.fromEntries(Object.entries(stamps).sort(([a], [b]) => (a < b ? -1 : 1)));
  await writeFile(file, `${JSON.stringify(sorted, null, 2)}\n`);
}

/** Replaces the folder of an archive's extracted members (`x.zip` → `x/`) with its current members. */
async function extractMembers(archive: string, mtime: Date): Promise<void> {
  const folder = archive.replace(/\.zip$/, "");
  await rm(folder, { recursive: true, force: true });
  for (const { path: member, data } of readStoredZip(await readFile(archive))) {
    const file = path.join(folder, ...member.split("/"));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, data);
    await utimes(file, mtime, mtime);
  }
}
