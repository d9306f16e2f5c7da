/**
 * `manifest.json` (publicering.md) and `build-log.json`.
 *
 * The manifest holds only what the inputs determine — inputs, versions, years, outputs with row
 * counts and SHA-256, disclosure rules and suppression counts — so two builds of the same inputs
 * give a byte-identical manifest. What differs between runs (timings, cache hits, peak memory,
 * the Node version and machine) goes to `build-log.json`, which the manifest points to and which is
 * the one file excluded from the byte-identity guarantee.
 */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { WrittenFile } from "./write.ts";

export const REPOSITORY_ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));

export const MANIFEST_FILE = "manifest.json";
export const BUILD_LOG_FILE = "build-log.json";

export interface InputFile {
  /** File name inside the extract directory. */
  file: string;
  bytes: number;
  sha256: string;
}

export interface SuppressionCount {
  table: string;
  rule: string;
  cells: number;
}

export interface Manifest {
  format: "registerdata-integration-publication";
  format_version: number;
  /** Hash of everything the publication depends on (inputs, code, definitions, years, sdc). */
  build_key: string;
  workbench: { name: string; version: string; code_version: string };
  dependencies: Record<string, string>;
  years: number[];
  sdc: "on" | "off";
  inputs: InputFile[];
  disclosure: { rules: unknown; suppressed: SuppressionCount[] };
  outputs: Omit<WrittenFile, never>[];
  build_log: string;
}

export interface BuildLog {
  node: string;
  platform: string;
  cpus: number;
  seconds_total: number;
  steps: { step: string; seconds: number; cpu_seconds: number; rows: number | null }[];
  cache: { dir: string | null; hits: number; misses: number };
  peak_rss_mb: number;
}

/** Name and version of the workbench and the installed versions of its runtime dependencies. */
export async function workbenchVersions(
  root = REPOSITORY_ROOT,
): Promise<{ name: string; version: string; dependencies: Record<string, string> }> {
  const pkg = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as {
    name: string;
    version: string;
    dependencies?: Record<string, string>;
  };
  const dependencies: Record<string, string> = {};
  for (const name of Object.keys(pkg.dependencies ?? {}).sort()) {
    try {
      const installed = JSON.parse(await readFile(join(root, "node_modules", name, "package.json"), "utf8"));
      dependencies[name] = String(installed.version);
    } catch {
      dependencies[name] = `not installed (wanted ${pkg.dependencies?.[name]})`;
    }
  }
  return { name: pkg.name, version: pkg.version, dependencies };
}

/** Serialises the manifest with a fixed key order and sorted lists. */
export function renderManifest(manifest: Manifest): string {
  const sorted: Manifest = {
    ...manifest,
    years: [...manifest.years].sort((a, b) => a - b),
    inputs: [...manifest.inputs].sort((a, b) => compare(a.file, b.file)),
    outputs: [...manifest.outputs].sort((a, b) => compare(a.path, b.path)),
    disclosure: {
      rules: manifest.disclosure.rules,
      suppressed: [...manifest.disclosure.suppressed].sort(
        (a, b) => compare(a.table, b.table) || compare(a.rule, b.rule),
      ),
    },
  };
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

export async function readManifest(publication: string): Promise<Manifest> {
  const text = await readFile(join(publication, MANIFEST_FILE), "utf8");
  return JSON.parse(text) as Manifest;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
