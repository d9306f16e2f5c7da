import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "acorn";
import { simple } from "acorn-walk";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  bundlePackage,
  findInstalledPackage,
  isEsModulePackage,
  NOT_INSTALLED_VERSION,
  npmCachePath,
  type PrepareSummary,
  packageNameOf,
  prepareNpmCache,
  relativeImport,
} from "../../scripts/prepare-site.ts";
import { makeTempDir } from "../temp.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** The specifiers of every static import, re-export and dynamic import() with a string literal. */
function importsOf(code: string): string[] {
  const specifiers: string[] = [];
  const source = (node: { source?: unknown }) => {
    const literal = node.source as { type?: string; value?: unknown } | null | undefined;
    if (literal?.type === "Literal" && typeof literal.value === "string") specifiers.push(literal.value);
  };
  simple(parse(code, { ecmaVersion: "latest", sourceType: "module" }), {
    ImportDeclaration: source,
    ExportAllDeclaration: source,
    ExportNamedDeclaration: source,
    ImportExpression: source,
  });
  return specifiers;
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function installedVersion(name: string): string {
  return JSON.parse(readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf-8")).version;
}

describe("helpers", () => {
  it("finds the package name of a bare specifier", () => {
    expect(packageNameOf("d3-array")).toBe("d3-array");
    expect(packageNameOf("d3-array/src/index.js")).toBe("d3-array");
    expect(packageNameOf("@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm")).toBe("@duckdb/duckdb-wasm");
  });

  it("builds cache paths and the relative imports between them", () => {
    expect(npmCachePath("d3", "7.9.2")).toBe("_npm/d3@7.9.2/_esm.js");
    expect(npmCachePath("parquet-wasm", "0.6.1", "esm/x.wasm")).toBe("_npm/parquet-wasm@0.6.1/esm/x.wasm");
    // _npm/@observablehq/plot@0.6.17/ is two levels below _npm/, so d3 is ../../d3@…
    expect(relativeImport("_npm/@observablehq/plot@0.6.17/_esm.js", "_npm/d3@7.9.2/_esm.js")).toBe(
      "../../d3@7.9.2/_esm.js",
    );
    expect(relativeImport("_npm/d3@7.9.2/_esm.js", "_npm/d3-array@3.2.5/_esm.js")).toBe(
      "../d3-array@3.2.5/_esm.js",
    );
  });

  it("tells ES-module packages from CommonJS ones", () => {
    expect(isEsModulePackage({ type: "module" })).toBe(true);
    expect(isEsModulePackage({ type: "commonjs", module: "Arrow.node.mjs" })).toBe(true);
    expect(isEsModulePackage({ exports: { ".": { import: "./x.mjs", require: "./x.cjs" } } })).toBe(true);
    expect(isEsModulePackage({ main: "index.js" })).toBe(false);
  });
});

describe("bundlePackage", () => {
  // node_modules/alpha (ESM) imports beta (ESM: external), gamma (CommonJS: inlined) and a deep file of
  // beta (inlined); beta is found in alpha's own node_modules first, as Node would.
  let modules: string;
  beforeAll(() => {
    modules = path.join(makeTempDir("rdi-prepare-"), "node_modules");
    write(
      path.join(modules, "alpha/package.json"),
      '{"name":"alpha","version":"1.0.0","type":"module","main":"index.js"}',
    );
    write(
      path.join(modules, "alpha/index.js"),
      'import {b} from "beta";\nimport g from "gamma";\nimport {deep} from "beta/deep.js";\nimport {own} from "./own.js";\nexport const a = [b, g, deep, own];\n',
    );
    write(path.join(modules, "alpha/own.js"), 'export const own = "OWN_MARKER";\n');
    write(
      path.join(modules, "alpha/node_modules/beta/package.json"),
      '{"name":"beta","version":"2.0.0","type":"module","main":"index.js"}',
    );
    write(path.join(modules, "alpha/node_modules/beta/index.js"), 'export const b = "BETA_MARKER";\n');
    write(path.join(modules, "alpha/node_modules/beta/deep.js"), 'export const deep = "DEEP_MARKER";\n');
    write(
      path.join(modules, "beta/package.json"),
      '{"name":"beta","version":"9.9.9","type":"module","main":"index.js"}',
    );
    write(path.join(modules, "beta/index.js"), 'export const b = "WRONG_BETA";\n');
    write(path.join(modules, "gamma/package.json"), '{"name":"gamma","version":"3.0.0","main":"index.js"}');
    write(path.join(modules, "gamma/index.js"), 'module.exports = "GAMMA_MARKER";\n');
  });

  it("keeps ES-module dependencies external and inlines the rest", async () => {
    const alpha = findInstalledPackage("alpha", path.dirname(modules));
    if (!alpha) throw new Error("fixture package alpha not found");
    expect(alpha.version).toBe("1.0.0");
    const { code, dependencies } = await bundlePackage(alpha);
    // beta 2.0.0 (alpha's own copy, not the top-level 9.9.9) stays external, at its cache path.
    expect(code).toContain('from"../beta@2.0.0/_esm.js"');
    expect(dependencies.map((d) => `${d.name}@${d.version}`)).toEqual(["beta@2.0.0"]);
    expect(code).not.toContain("BETA_MARKER");
    expect(code).not.toContain("WRONG_BETA");
    // CommonJS gamma, the deep import of beta and alpha's own file are inlined.
    expect(code).toContain("GAMMA_MARKER");
    expect(code).toContain("DEEP_MARKER");
    expect(code).toContain("OWN_MARKER");
    expect(code).not.toMatch(/from"gamma"|from"beta\/deep\.js"/);
  });
});

describe("prepareNpmCache on the installed packages", () => {
  const sourceRoot = path.join(makeTempDir("rdi-site-root-"), "src");
  const cacheRoot = path.join(sourceRoot, ".observablehq", "cache");
  let summary: PrepareSummary;
  beforeAll(async () => {
    summary = await prepareNpmCache(ROOT, cacheRoot);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("caches Plot with its d3 import pointing at the cached d3 (one d3 for Plot and the pages)", () => {
    const plot = `@observablehq/plot@${installedVersion("@observablehq/plot")}`;
    const d3 = `d3@${installedVersion("d3")}`;
    expect(summary.bundled).toEqual(expect.arrayContaining([plot, d3, `htl@${installedVersion("htl")}`]));
    const code = readFileSync(path.join(cacheRoot, "_npm", plot, "_esm.js"), "utf-8");
    expect(code).toContain(`from"../../${d3}/_esm.js"`);
  });

  it("copies DuckDB-WASM's wasm and worker files and parquet-wasm's wasm byte for byte", () => {
    for (const file of ["dist/duckdb-eh.wasm", "dist/duckdb-browser-eh.worker.js"]) {
      const cached = readFileSync(path.join(cacheRoot, "_npm/@duckdb/duckdb-wasm@1.29.0", file));
      expect(cached.equals(readFileSync(path.join(ROOT, "node_modules/@duckdb/duckdb-wasm", file)))).toBe(
        true,
      );
    }
    expect(
      existsSync(
        path.join(
          cacheRoot,
          `_npm/parquet-wasm@${installedVersion("parquet-wasm")}/esm/parquet_wasm_bg.wasm`,
        ),
      ),
    ).toBe(true);
  });

  it("leaves no import unresolved: every import of a cached module is a relative path to a cached file", () => {
    const problems: string[] = [];
    for (const key of summary.bundled) {
      const file = path.join(cacheRoot, "_npm", key, "_esm.js");
      for (const specifier of importsOf(readFileSync(file, "utf-8"))) {
        // A bare import would fail in the browser (and Framework would go to jsDelivr to rewrite it).
        if (!/^\.{1,2}\//.test(specifier)) problems.push(`${key}: bare import '${specifier}'`);
        else if (!existsSync(path.resolve(path.dirname(file), specifier)))
          problems.push(`${key}: missing ${specifier}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("pins libraries that are not installed to a version that cannot exist on npm", () => {
    expect(summary.notInstalled).toContain("lodash");
    expect(readdirSync(path.join(cacheRoot, "_npm", `lodash@${NOT_INSTALLED_VERSION}`))).toEqual([]);
  });

  it("lets Framework resolve every library without the network", async () => {
    vi.stubGlobal("fetch", () => {
      throw new Error("network used");
    });
    const npm = (await import("@observablehq/framework/dist/npm.js" as string)) as {
      resolveNpmImport(root: string, specifier: string): Promise<string>;
    };
    expect(await npm.resolveNpmImport(sourceRoot, "@observablehq/plot")).toBe(
      `/_npm/@observablehq/plot@${installedVersion("@observablehq/plot")}/_esm.js`,
    );
    expect(await npm.resolveNpmImport(sourceRoot, "@duckdb/duckdb-wasm/dist/duckdb-eh.wasm")).toBe(
      "/_npm/@duckdb/duckdb-wasm@1.29.0/dist/duckdb-eh.wasm",
    );
    expect(await npm.resolveNpmImport(sourceRoot, "lodash")).toBe(
      `/_npm/lodash@${NOT_INSTALLED_VERSION}/_esm.js`,
    );
  });
});
