// A summary of a publication's manifest.json (data-loaders/publish/manifest.ts) for the "Om data"
// pages. Defensive: a field the manifest lacks is reported as undefined, never guessed.

export interface ManifestSummary {
  /** e.g. `2019–2023`, or a list when the years have gaps (`2019, 2021`). */
  years?: string;
  files?: number;
  rows?: number;
  suppressedCells?: number;
  disclosureControl?: "on" | "off";
  version?: string;
}

interface ManifestLike {
  years?: unknown;
  outputs?: unknown;
  sdc?: unknown;
  disclosure?: { suppressed?: unknown };
  workbench?: { version?: unknown };
}

/** Years as a range when consecutive (`2019–2023`, with an en dash), else as a list. */
export function formatYears(years: readonly number[]): string {
  const sorted = [...new Set(years)].sort((a, b) => a - b);
  if (sorted.length === 0) return "";
  const consecutive = sorted.every((year, i) => i === 0 || year === sorted[i - 1] + 1);
  if (sorted.length > 1 && consecutive) return `${sorted[0]}\u2013${sorted[sorted.length - 1]}`;
  return sorted.join(", ");
}

function sum(items: unknown, key: string): number | undefined {
  if (!Array.isArray(items)) return undefined;
  return items.reduce(
    (total: number, item) => total + (Number((item as Record<string, unknown>)?.[key]) || 0),
    0,
  );
}

export function summarizeManifest(manifest: ManifestLike): ManifestSummary {
  const years = Array.isArray(manifest.years) ? manifest.years.filter((y) => Number.isInteger(y)) : undefined;
  const sdc = manifest.sdc === "on" || manifest.sdc === "off" ? manifest.sdc : undefined;
  const version = manifest.workbench?.version;
  return {
    years: years && years.length > 0 ? formatYears(years as number[]) : undefined,
    files: Array.isArray(manifest.outputs) ? manifest.outputs.length : undefined,
    rows: sum(manifest.outputs, "rows"),
    suppressedCells: sum(manifest.disclosure?.suppressed, "cells"),
    disclosureControl: sdc,
    version: typeof version === "string" ? version : undefined,
  };
}
