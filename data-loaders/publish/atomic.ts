/**
 * Atomic replacement of a publication directory.
 *
 * A build writes into a staging directory next to the target (same file system, so rename is
 * atomic), then swaps: the old publication is renamed away, the staging directory renamed into
 * place, and only then is the old one deleted. A build that fails or is killed before the swap
 * leaves the previous publication untouched; its staging directory is removed by the next build.
 * If a process dies between the two renames, the next build puts the old publication back first.
 */
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

const STAGING = ".staging-";
const RETIRED = ".retired-";

function siblingPrefix(out: string, kind: string): string {
  return `.${basename(out)}${kind}`;
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Cleans up after interrupted builds of `out`: restores a retired publication whose swap never
 * finished and deletes staging directories of processes that are no longer running.
 */
export async function recoverInterrupted(out: string): Promise<void> {
  const target = resolve(out);
  const parent = dirname(target);
  let entries: string[];
  try {
    entries = await readdir(parent);
  } catch {
    return;
  }
  const staging = siblingPrefix(target, STAGING);
  const retired = siblingPrefix(target, RETIRED);
  for (const name of entries.sort()) {
    if (!name.startsWith(retired) && !name.startsWith(staging)) continue;
    // Names end in -<pid>-<n>; a running process (this one included) still owns its directories.
    const parts = name.split("-");
    if (processAlive(Number(parts[parts.length - 2]))) continue;
    const path = join(parent, name);
    if (name.startsWith(retired)) {
      if (!(await exists(target))) await rename(path, target);
      else await rm(path, { recursive: true, force: true });
    } else if (name.startsWith(staging)) {
      await rm(path, { recursive: true, force: true });
    }
  }
}

let counter = 0;

/** Creates an empty staging directory next to `out` and returns its path. */
export async function createStaging(out: string): Promise<string> {
  const target = resolve(out);
  await mkdir(dirname(target), { recursive: true });
  await recoverInterrupted(target);
  counter += 1;
  const path = join(dirname(target), `${siblingPrefix(target, STAGING)}${process.pid}-${counter}`);
  await rm(path, { recursive: true, force: true });
  await mkdir(path);
  return path;
}

/** Moves the finished staging directory into place as `out`, replacing any previous publication. */
export async function swapIntoPlace(staging: string, out: string): Promise<void> {
  const target = resolve(out);
  const retired = join(dirname(target), `${siblingPrefix(target, RETIRED)}${process.pid}-${++counter}`);
  const hadPrevious = await exists(target);
  if (hadPrevious) await rename(target, retired);
  try {
    await rename(staging, target);
  } catch (error) {
    if (hadPrevious) await rename(retired, target);
    throw error;
  }
  if (hadPrevious) await rm(retired, { recursive: true, force: true });
}

/** Removes a staging directory after a failed build. */
export async function discardStaging(staging: string): Promise<void> {
  await rm(staging, { recursive: true, force: true });
}
