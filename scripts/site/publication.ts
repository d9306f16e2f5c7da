/**
 * How the site reaches the publication: one directory of published (disclosure-protected) files,
 * served to the pages as `data/publikation/<path>`.
 *
 * - `src/data/publikation.zip.ts` (a Framework archive loader) writes the directory as a deterministic
 *   ZIP; Framework extracts `data/publikation/<path>` members from it on demand.
 * - observablehq.config.ts lists every member in `dynamicPaths`, so that the build copies all of them
 *   to `dist/data/publikation/<path>` (stable URLs for files that pages choose at run time).
 * - observablehq.config.ts fills Framework's cache for that loader, and for every other loader derived
 *   from the publication (loaders.ts), when Framework loads it (prepareSiteData → primeFrameworkCache,
 *   primeDerivedLoaders):
 *   Framework re-runs a loader only when the loader's source is newer than its cached output, so it
 *   would otherwise keep serving an old publication; and it embeds the cached files' mtimes in the
 *   pages, which must not depend on when the build ran.
 */
import { createWriteStream, existsSync, statSync } from "node:fs";
import { copyFile, mkdir, readdir, readFile, rename, rm, utimes } from "node:fs/promises";
import path from "node:path";
import { type LoaderRunner, type PrimedLoader, primeDerivedLoaders } from "./loaders.ts";
import { comparePaths, streamSink, writeZip, type ZipSink } from "./zip.ts";

/** URL path under which the publication is served (relative to the site root). */
export const PUBLICATION_ROOT = "data/publikation";

/** The module that builds the default publication (owned by data-loaders/publish/). */
export const SITE_MODULE = new URL("../../data-loaders/publish/site.ts", import.meta.url).href;

/**
 * The publication directory: `RDI_PUBLICATION` when set (any publication written by `rdi build`),
 * else the default publication built from the synthetic extract by `ensurePublication()` of
 * `siteModule`.
 */
export async function publicationDirectory(
  env: NodeJS.ProcessEnv = process.env,
  siteModule: string = SITE_MODULE,
): Promise<string> {
  const fromEnv = env.RDI_PUBLICATION;
  if (fromEnv) {
    const dir = path.resolve(fromEnv);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new Error(`RDI_PUBLICATION: '${dir}' is not a directory`);
    }
    if (!existsSync(path.join(dir, "manifest.json"))) {
      throw new Error(
        `RDI_PUBLICATION: '${dir}' has no manifest.json; is it a publication written by rdi build?`,
      );
    }
    return dir;
  }
  // Imported lazily: it pulls in the whole engine, which the RDI_PUBLICATION route does not need.
  let ensurePublication: unknown;
  try {
    ({ ensurePublication } = (await import(siteModule)) as { ensurePublication?: unknown });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new Error(`RDI_PUBLICATION is not set and the default publication cannot be built: ${reason}`);
  }
  if (typeof ensurePublication !== "function") {
    throw new Error(`${siteModule} does not export ensurePublication()`);
  }
  const dir = await (ensurePublication as () => Promise<string>)();
  if (!existsSync(path.join(dir, "manifest.json"))) {
    throw new Error(`ensurePublication() returned '${dir}', which has no manifest.json`);
  }
  return dir;
}

/**
 * Files of the publication directory that the site does not serve: `build-log.json` holds the timings
 * and the machine of one build (it is the one file that differs between builds of the same inputs),
 * which no page needs and which would make the site's bytes depend on the build run.
 */
export const NOT_ON_SITE: ReadonlySet<string> = new Set(["build-log.json"]);

/**
 * Every file of the publication that the site serves, as a `/`-separated path relative to `dir`,
 * sorted by bytes. Hidden files and folders (a leading dot) are bookkeeping and left out, as are
 * the files in NOT_ON_SITE.
 */
export async function listPublicationFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  async function visit(relative: string): Promise<void> {
    const entries = await readdir(path.join(dir, relative), { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const child = relative === "" ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) await visit(child);
      else if (entry.isFile() && !NOT_ON_SITE.has(child)) files.push(child);
    }
  }
  await visit("");
  return files.sort(comparePaths);
}

/** Writes the publication as a ZIP (members at their paths relative to `dir`); returns its size. */
export async function writePublicationZip(dir: string, sink: ZipSink): Promise<number> {
  const files = await listPublicationFiles(dir);
  if (!files.includes("manifest.json")) throw new Error(`publication '${dir}' has no manifest.json`);
  return writeZip(
    files.map((file) => ({ path: file, read: () => readFile(path.join(dir, file)) })),
    sink,
  );
}

/** The site paths (`/data/publikation/<file>`) of every published file, for Framework's `dynamicPaths`. */
export async function publicationSitePaths(dir: string): Promise<string[]> {
  return (await listPublicationFiles(dir)).map((file) => `/${PUBLICATION_ROOT}/${file}`);
}

/** Where primeFrameworkCache puts the extracted members, under a Framework source root. */
export function cachedPublicationDirectory(sourceRoot: string): string {
  return path.join(sourceRoot, ".observablehq", "cache", PUBLICATION_ROOT);
}

/**
 * The previous publication for the review page: RDI_PREVIOUS_PUBLICATION resolved, or undefined when
 * it is not set. A value that names no publication is an error, not a silent fallback to the
 * year-on-year review.
 */
export function previousPublication(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env.RDI_PREVIOUS_PUBLICATION;
  if (!fromEnv) return undefined;
  const dir = path.resolve(fromEnv);
  if (!existsSync(path.join(dir, "manifest.json"))) {
    throw new Error(
      `RDI_PREVIOUS_PUBLICATION: '${dir}' has no manifest.json; is it a publication written by rdi build?`,
    );
  }
  return dir;
}

/**
 * Resolves the current publication (RDI_PUBLICATION, else ensurePublication()) and puts it into
 * Framework's cache (primeFrameworkCache), then brings every other loader's cached output up to date
 * with it (primeDerivedLoaders in loaders.ts: kommun profiles, summaries, the review). Called by
 * observablehq.config.ts when Framework loads it, i.e. after `scripts/prepare-data.ts` and before
 * Framework reads any page or file.
 */
export async function prepareSiteData(
  sourceRoot: string,
  env: NodeJS.ProcessEnv = process.env,
  run?: LoaderRunner,
): Promise<{ publication: string; files: number; loaders: PrimedLoader[] }> {
  const publication = await publicationDirectory(env);
  const previous = previousPublication(env);
  const files = await primeFrameworkCache(publication, sourceRoot);
  const loaders = await primeDerivedLoaders(sourceRoot, {
    publication,
    previous,
    env,
    mtime: CACHE_MTIME,
    run,
  });
  return { publication, files, loaders };
}

/**
 * The site paths of every published file as Framework's cache holds them (after prepareSiteData),
 * so that `dynamicPaths` lists exactly the files the build serves.
 */
export async function cachedSitePaths(sourceRoot: string): Promise<string[]> {
  const members = cachedPublicationDirectory(sourceRoot);
  if (!existsSync(path.join(members, "manifest.json"))) {
    throw new Error(`${members} holds no publication; prepareSiteData() must run first`);
  }
  return publicationSitePaths(members);
}

/**
 * The mtime given to the loader's cached output. Framework treats a cached output as fresh when it is
 * not older than the loader script, and writes the mtime into the pages (FileAttachment.lastModified);
 * a fixed time in the future makes the cache always fresh and the pages independent of the build time.
 */
export const CACHE_MTIME = new Date("2100-01-01T00:00:00Z");

/**
 * Writes what Framework would produce for `src/data/publikation.zip.ts` into its cache under
 * `<sourceRoot>/.observablehq/cache/data/`: the archive and every member extracted, with CACHE_MTIME.
 * Members of an earlier publication are removed. Returns the number of files.
 */
export async function primeFrameworkCache(publicationDir: string, sourceRoot: string): Promise<number> {
  const members = cachedPublicationDirectory(sourceRoot);
  const cacheDir = path.dirname(members);
  const archive = `${members}.zip`;
  await mkdir(cacheDir, { recursive: true });

  const temporary = `${archive}.${process.pid}`;
  const stream = createWriteStream(temporary);
  const closed = new Promise<void>((resolve, reject) => stream.on("close", resolve).on("error", reject));
  try {
    await writePublicationZip(publicationDir, streamSink(stream));
  } catch (error) {
    stream.destroy();
    await rm(temporary, { force: true });
    throw error;
  }
  stream.end();
  await closed;
  await rename(temporary, archive);
  await utimes(archive, CACHE_MTIME, CACHE_MTIME);

  await rm(members, { recursive: true, force: true });
  const files = await listPublicationFiles(publicationDir);
  for (const file of files) {
    const target = path.join(members, file);
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(path.join(publicationDir, file), target);
    await utimes(target, CACHE_MTIME, CACHE_MTIME);
  }
  return files.length;
}
