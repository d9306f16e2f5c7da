/**
 * The publication the site is built from. The site's data loaders call `ensurePublication()` and
 * copy files out of the directory it returns; they never compute anything themselves.
 *
 * Framework caches a loader's output until the loader's own file changes, so it would serve stale
 * tables after a change in the library. Going through this function instead, every loader run
 * compares the publication's build key (inputs, code version, definitions) with the current one
 * and rebuilds through the result cache when they differ.
 */

import { existsSync } from "node:fs";
import { open, readFile, unlink } from "node:fs/promises";
import { join, resolve } from "node:path";
import { progress } from "../cli/progress.ts";
import { buildPublication, DEFAULT_CACHE_DIR } from "./build.ts";
import { REPOSITORY_ROOT } from "./manifest.ts";
import type { BuildSteps } from "./steps.ts";

/** Default locations, relative to the repository root. */
export const DEFAULT_PUBLICATION_DIR = ".rdi/publication";
export const DEFAULT_EXTRACT_DIR = ".rdi/extract";

export interface PublicationLocation {
  /** The publication directory (`RDI_PUBLICATION`, else `.rdi/publication`). */
  publication: string;
  /** The extract it is built from (`RDI_INPUT`, else `.rdi/extract`). */
  input: string;
  /** The result cache (`RDI_CACHE`, else `.rdi/cache`). */
  cacheDir: string;
}

export function defaultLocation(env: NodeJS.ProcessEnv = process.env): PublicationLocation {
  return {
    publication: resolve(REPOSITORY_ROOT, env.RDI_PUBLICATION || DEFAULT_PUBLICATION_DIR),
    input: resolve(REPOSITORY_ROOT, env.RDI_INPUT || DEFAULT_EXTRACT_DIR),
    cacheDir: resolve(REPOSITORY_ROOT, env.RDI_CACHE || DEFAULT_CACHE_DIR),
  };
}

export interface EnsureOptions extends Partial<PublicationLocation> {
  /** Computation steps (tests use stand-ins); default the real modules. */
  steps?: BuildSteps;
  /** Give up waiting for another process's build after this long (default two hours). */
  lockTimeoutMs?: number;
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Takes the lock file `<publication>.lock` (created exclusively, holding the owner's pid); a lock
 * whose owner is no longer running is taken over. Returns the function that releases it.
 */
export async function acquireLock(lockFile: string, timeoutMs: number): Promise<() => Promise<void>> {
  const deadline = Date.now() + timeoutMs;
  const token = `${process.pid} ${Math.random().toString(36).slice(2)}`;
  for (;;) {
    try {
      const handle = await open(lockFile, "wx");
      await handle.writeFile(token);
      await handle.close();
      return async () => {
        // Only remove the lock if it is still ours.
        if ((await readFile(lockFile, "utf8").catch(() => "")) === token)
          await unlink(lockFile).catch(() => {});
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = Number((await readFile(lockFile, "utf8").catch(() => "")).split(" ")[0]);
    if (owner && !processAlive(owner)) {
      await unlink(lockFile).catch(() => {});
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`${lockFile}: another build (pid ${owner || "?"}) holds the lock; gave up waiting`);
    }
    await sleep(250);
  }
}

/**
 * Disclosure rules of the site's default build. The LP part of secondary suppression and of the
 * audit is switched off here so that `npm run build` stays within minutes on 2 cores: the group
 * rules, witness tables and the repair of what bounds find exposed still protect, and the audit
 * still checks every published cell against the primary rules and fails on any exposure on bounds
 * (docs/disclosure-control.md, "Limits"). `rdi build` keeps the full default.
 */
export const SITE_SDC_RULES = { lpMaxVariables: 0 } as const;

/**
 * Returns the path of the default publication, building or updating it first when it is missing
 * or stale (through the result cache, so an update recomputes only what changed). Safe when
 * several loader processes call it at once: one builds, the others wait for it and then reuse it.
 */
export async function ensurePublication(options: EnsureOptions = {}): Promise<string> {
  const location = { ...defaultLocation(), ...stripUndefined(options) };
  if (options.input === undefined && process.env.RDI_PUBLICATION && !process.env.RDI_INPUT) {
    // A publication written elsewhere by `rdi build` and named without its extract is served as it
    // is: rebuilding it from the default (synthetic) extract would replace real tables.
    if (!existsSync(join(location.publication, "manifest.json"))) {
      throw new Error(
        `RDI_PUBLICATION: ${location.publication} has no manifest.json (set RDI_INPUT to build it)`,
      );
    }
    return location.publication;
  }
  const build = (mode: { checkOnly?: boolean; skipIfFresh?: boolean }) =>
    buildPublication(
      {
        input: location.input,
        out: location.publication,
        cacheDir: location.cacheDir,
        sdcRules: SITE_SDC_RULES,
        ...mode,
      },
      options.steps,
    );
  // Cheap check first: an up-to-date publication needs no lock.
  if ((await build({ checkOnly: true })).fresh) return location.publication;
  const release = await acquireLock(`${location.publication}.lock`, options.lockTimeoutMs ?? 2 * 3600_000);
  try {
    // Another process may have built it while this one waited for the lock.
    progress(`updating the publication ${location.publication} from ${location.input}`);
    await build({ skipIfFresh: true });
  } finally {
    await release();
  }
  return location.publication;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
