/**
 * The incremental result cache of `rdi build` (issue 9).
 *
 * Unit of caching: the raw (unprotected) result of one year, per indicator for `indikatorer_raw`,
 * and per year for the areas tables and `segregation_raw`. Each part is a Parquet file whose name
 * carries a key: a SHA-256 over everything the part depends on — the engine's code version, the
 * indicator's own definition, the SHA-256 of the year's input files and of the earlier years it
 * reads (Y-1, Y-5, when they are part of the build). Disclosure control is not cached: it runs over
 * all parts again on every build, because suppression patterns span years and tables.
 *
 * Layout under the cache directory (default `.rdi/cache/`):
 *   file-hashes.json                          SHA-256 of input files, memoised by path, size and mtime
 *   indikatorer/<indikator>/<ar>-<key>.parquet
 *   omraden/<table>/<ar>-<key>.parquet          table = omraden, fordelning, overgangar
 *   segregation/<ar>-<key>.parquet
 * Parts are immutable; deleting the directory is always safe.
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { sha256File } from "./write.ts";

/** The library's source folder, whose contents make up the code version. */
export const DATA_LOADERS_DIR = resolve(fileURLToPath(new URL("..", import.meta.url)));

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Hash of several parts, unambiguous (each part length-prefixed). */
export function hashParts(parts: readonly string[]): string {
  return sha256(parts.map((p) => `${p.length}:${p}`).join("|"));
}

/**
 * JSON with sorted object keys, functions by their source text and RegExps by their pattern, so
 * that a declarative definition hashes the same in every process and changes when any part of it does.
 */
export function stableStringify(value: unknown): string {
  const seen = new WeakSet<object>();
  const normalise = (v: unknown): unknown => {
    if (typeof v === "function") return `function:${v.toString()}`;
    if (typeof v === "bigint") return `bigint:${v.toString()}`;
    if (v instanceof RegExp) return `regexp:${v.toString()}`;
    if (v === undefined) return null;
    if (v === null || typeof v !== "object") return v;
    // Only objects on the current path are a cycle; shared objects (one universe used by several
    // indicators) are fine.
    if (seen.has(v)) throw new Error("cannot hash a definition with a cycle");
    seen.add(v);
    let result: unknown;
    if (Array.isArray(v)) result = v.map(normalise);
    else if (v instanceof Map) result = normalise(Object.fromEntries([...v.entries()].sort()));
    else if (v instanceof Set) result = normalise([...v].sort());
    else {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v).sort()) out[key] = normalise((v as Record<string, unknown>)[key]);
      result = out;
    }
    seen.delete(v);
    return result;
  };
  return JSON.stringify(normalise(value));
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/**
 * The engine's code version: a hash over the path and content of every file under data-loaders/
 * (TypeScript sources and the reference data), minus the files `exclude` names. Indicator
 * definition files are excluded because each definition is hashed on its own, so editing one
 * indicator recomputes only that indicator.
 */
export async function codeVersion(
  root = DATA_LOADERS_DIR,
  exclude: (relativePath: string) => boolean = () => false,
): Promise<string> {
  const files = (await listFiles(root))
    .map((file) => relative(root, file).split(sep).join("/"))
    .filter((rel) => !exclude(rel) && !rel.endsWith(".md"))
    .sort();
  const hash = createHash("sha256");
  for (const rel of files) {
    const content = await readFile(join(root, rel));
    hash.update(`${rel}\0${content.length}\0`);
    hash.update(content);
  }
  return hash.digest("hex");
}

export interface FileFingerprint {
  bytes: number;
  sha256: string;
}

interface MemoEntry extends FileFingerprint {
  mtimeMs: number;
}

/**
 * SHA-256 and size of each file. With a memo file, a file whose path, size and mtime are unchanged
 * is not read again (hashing a national extract takes tens of seconds).
 */
export async function fingerprintFiles(
  files: readonly string[],
  memoFile?: string,
): Promise<Map<string, FileFingerprint>> {
  let memo: Record<string, MemoEntry> = {};
  if (memoFile) {
    try {
      memo = JSON.parse(await readFile(memoFile, "utf8"));
    } catch {
      memo = {};
    }
  }
  const result = new Map<string, FileFingerprint>();
  let changed = false;
  for (const file of files) {
    const path = resolve(file);
    const info = await stat(path);
    const known = memo[path];
    if (known && known.bytes === info.size && known.mtimeMs === info.mtimeMs) {
      result.set(file, { bytes: known.bytes, sha256: known.sha256 });
      continue;
    }
    const fingerprint = { bytes: info.size, sha256: await sha256File(path) };
    memo[path] = { ...fingerprint, mtimeMs: info.mtimeMs };
    changed = true;
    result.set(file, fingerprint);
  }
  if (memoFile && changed) await writeFileAtomic(memoFile, `${JSON.stringify(memo, null, 1)}\n`);
  return result;
}

let tmpCounter = 0;

/** Writes a file by renaming a temporary sibling into place, so readers never see half a file. */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${++tmpCounter}`;
  await writeFile(tmp, content);
  await rename(tmp, file);
}

export async function fileExists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Paths of cached parts; `key` is a hex hash (the first 32 characters are used). */
export class ResultCache {
  constructor(readonly dir: string) {}

  indicatorPart(indikator: string, year: number, key: string): string {
    return join(this.dir, "indikatorer", indikator, `${year}-${key.slice(0, 32)}.parquet`);
  }

  areaPart(table: string, year: number, key: string): string {
    return join(this.dir, "omraden", table, `${year}-${key.slice(0, 32)}.parquet`);
  }

  segregationPart(year: number, key: string): string {
    return join(this.dir, "segregation", `${year}-${key.slice(0, 32)}.parquet`);
  }

  /** One year of the protected indicator table, and its suppression counts (`.json`). */
  protectedPart(year: number, key: string): string {
    return join(this.dir, "skyddad", `${year}-${key.slice(0, 32)}.parquet`);
  }

  get memoFile(): string {
    return join(this.dir, "file-hashes.json");
  }
}
