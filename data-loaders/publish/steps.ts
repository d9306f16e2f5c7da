/**
 * The computation steps `rdi build` orchestrates, as one injectable object.
 *
 * `loadDefaultSteps()` binds them to the real modules of docs/architecture.md ("Module
 * interfaces"). Tests pass small stand-ins instead, so the orchestration, cache and atomic publish
 * are tested without computing a population.
 */
import { progress } from "../cli/progress.ts";
import type { Connection } from "../db.ts";

export interface ValidationIssueLike {
  message?: string;
  file?: string;
  column?: string | null;
  rule?: string;
  rows?: number | bigint;
  [key: string]: unknown;
}

/** What the validator returns; only the fields the build needs. */
export interface ValidationReportLike {
  ok?: boolean;
  valid?: boolean;
  problems?: ValidationIssueLike[];
  errors?: ValidationIssueLike[];
  [key: string]: unknown;
}

/** One indicator of the registry's catalogue (only the fields the build reads). */
export interface CatalogueEntry {
  id: string;
  /** Indicator area (arbetsmarknad, …); indicators are computed and timed area by area. */
  omrade?: string;
  area?: string;
  /** How many years back the indicator reads (0, 1 or 5). */
  previous_years?: number;
  [key: string]: unknown;
}

export interface BuildSteps {
  validateExtract(dir: string, options: { years?: number[] }): Promise<ValidationReportLike>;
  openExtract(con: Connection, dir: string, options: { years?: number[] }): Promise<unknown>;
  createPersonFrame(con: Connection, options: { years: number[] }): Promise<unknown>;
  computeAreas(con: Connection, options: { years: number[] }): Promise<unknown>;
  computeIndicators(
    con: Connection,
    options: { years: number[]; emigrationYears: number[]; indicators?: string[] },
  ): Promise<unknown>;
  computeSegregation(con: Connection, options: { years: number[] }): Promise<unknown>;
  protectTables(
    con: Connection,
    options: { rules?: unknown; partitions?: ReadonlySet<string> },
  ): Promise<unknown>;
  auditTables(
    con: Connection,
    options?: { rules?: unknown; partitions?: ReadonlySet<string>; certificates?: boolean },
  ): Promise<unknown>;
  /**
   * What one year's protection of the indicator table depends on beyond that year's cells (the
   * families of shared denominators). When present, protected years are cached and reused.
   */
  familySignature?(con: Connection): Promise<string>;
  /** The registry's catalogue, written as indikatorer/katalog.json. */
  catalogue(): unknown;
  /**
   * The full definition of each indicator (whatever determines its values), hashed for the cache.
   * Defaults to the catalogue entry.
   */
  definitions?(): Record<string, unknown>;
  /** Files under data-loaders/ that hold indicator definitions (left out of the code version). */
  isDefinitionFile?(relativePath: string): boolean;
  /**
   * The publication columns of a raw table (what disclosure control keeps), used to publish the
   * raw tables with `--sdc off`; null when unknown (the internal columns of docs/architecture.md are dropped).
   */
  publicationColumns?(con: Connection, rawTable: string): Promise<string[] | null>;
  /** Overrides the code version (a hash of data-loaders/); stand-ins use a fixed one. */
  codeVersion?(): Promise<string>;
  /** The disclosure rules applied, recorded in the manifest. */
  disclosureRules?(): unknown;
}

/** Reads the entries of a catalogue given as an array or as `{ indicators: [...] }`. */
export function catalogueEntries(catalogue: unknown): CatalogueEntry[] {
  const list = Array.isArray(catalogue)
    ? catalogue
    : Array.isArray((catalogue as { indicators?: unknown })?.indicators)
      ? (catalogue as { indicators: unknown[] }).indicators
      : null;
  if (!list) throw new Error("the indicator catalogue is neither a list nor { indicators: [...] }");
  return list.map((entry, i) => {
    const id = (entry as { id?: unknown })?.id;
    if (typeof id !== "string" || id === "") throw new Error(`catalogue entry ${i} has no id`);
    return entry as CatalogueEntry;
  });
}

export function entryArea(entry: CatalogueEntry): string {
  const area = entry.omrade ?? entry.area;
  return typeof area === "string" && area !== "" ? area : "indikatorer";
}

// Module paths as variables: the build binds to whatever the modules export at run time, so the
// library type-checks and its stand-in tests run while a module is still being written.
const MODULES = {
  validate: "../extract/validate.ts",
  read: "../extract/read.ts",
  derived: "../engine/derived.ts",
  areas: "../areas/index.ts",
  compute: "../engine/compute.ts",
  registry: "../engine/registry.ts",
  segregation: "../segregation/build.ts",
  sdc: "../sdc/index.ts",
};

type AnyModule = Record<string, unknown>;

async function load(path: string): Promise<AnyModule> {
  return (await import(path)) as AnyModule;
}

function need<T>(module: AnyModule, name: string, path: string): T {
  const value = module[name];
  if (typeof value !== "function") throw new Error(`${path} does not export ${name}()`);
  return value as T;
}

/** Binds the steps to the real modules. */
export async function loadDefaultSteps(): Promise<BuildSteps> {
  const [validate, read, derived, areas, compute, registry, segregation, sdc] = await Promise.all([
    load(MODULES.validate),
    load(MODULES.read),
    load(MODULES.derived),
    load(MODULES.areas),
    load(MODULES.compute),
    load(MODULES.registry),
    load(MODULES.segregation),
    load(MODULES.sdc),
  ]);
  const catalogue = need<() => unknown>(registry, "catalogue", MODULES.registry);
  const definitions = registry.definitions as (() => Record<string, unknown>) | undefined;
  const validateExtract = need<(dir: string, o: object) => Promise<ValidationReportLike>>(
    validate,
    "validateExtract",
    MODULES.validate,
  );
  const protectTables = need<(con: Connection, o: object) => Promise<unknown>>(
    sdc,
    "protectTables",
    MODULES.sdc,
  );
  const auditTables = need<(con: Connection, o: object) => Promise<unknown>>(sdc, "auditTables", MODULES.sdc);
  const familySignature = sdc.familySignature as ((con: Connection) => Promise<string>) | undefined;
  const knownSpecs = sdc.knownSpecs as
    | ((con: Connection) => Promise<{ raw: string; columns: string[] }[]>)
    | undefined;
  return {
    validateExtract: (dir, options) => validateExtract(dir, { ...options, onProgress: progress }),
    openExtract: need(read, "openExtract", MODULES.read),
    createPersonFrame: need(derived, "createPersonFrame", MODULES.derived),
    computeAreas: need(areas, "computeAreas", MODULES.areas),
    computeIndicators: need(compute, "computeIndicators", MODULES.compute),
    computeSegregation: need(segregation, "computeSegregation", MODULES.segregation),
    protectTables: (con, options) => protectTables(con, { ...options, onProgress: progress }),
    auditTables: (con, options) => auditTables(con, { ...options, onProgress: progress }),
    familySignature,
    catalogue,
    definitions: definitions ? () => definitions() : undefined,
    // The area files of the registry hold the definitions; each definition is hashed on its own.
    // schema.ts and index.ts hold engine logic (frames, age bands) and stay in the code version.
    isDefinitionFile: (path) =>
      path.startsWith("engine/registry/") &&
      path !== "engine/registry/schema.ts" &&
      path !== "engine/registry/index.ts",
    publicationColumns: knownSpecs
      ? async (con, rawTable) =>
          (await knownSpecs(con)).find((spec) => spec.raw === rawTable)?.columns ?? null
      : undefined,
  };
}
