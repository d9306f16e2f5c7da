// Module hooks that compile the workbench's TypeScript with esbuild as it is imported
// (typescript.mjs registers them). tsx did this until session 20, but it always compiles with
// esbuild's `keepNames`, which wraps every function expression in a call that defines its `name`
// property each time the expression is evaluated. Disclosure control creates closures in its
// innermost loops: the witness threads spent 11 % of their time in that wrapper and the property
// writes behind it (docs/performance.md, session 20).
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { stop, transform } from "esbuild";

/** ESM TypeScript sources; everything else goes to Node's own loader. */
const TYPESCRIPT = /\.m?ts$/;
/**
 * esbuild compiles in a child process that lives as long as the process that started it, and each
 * thread's hooks start their own: left running, a build would keep one idle child for every worker
 * thread it ever ran. So the child stops whenever no compilation is left (the hooks' thread sleeps
 * between requests, so a timer would not fire), and the next import starts one again: about 30 ms
 * more for a worker that imports disclosure control.
 */
let compiling = 0;

/** TypeScript source as JavaScript for this Node, with an inline source map for stack traces. */
export async function compileTypeScript(source, path) {
  compiling++;
  try {
    return await compile(source, path);
  } finally {
    if (--compiling === 0) await stop();
  }
}

async function compile(source, path) {
  const { code } = await transform(source, {
    loader: "ts",
    format: "esm",
    target: `node${process.versions.node}`,
    sourcemap: "inline",
    // Stack traces need the lines, not the source text, which would double each module's size.
    sourcesContent: false,
    sourcefile: path,
    // What tsconfig.json implies for the emitted code (esbuild reads no tsconfig here).
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: true, verbatimModuleSyntax: false } },
  });
  return code;
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith("file:") || !TYPESCRIPT.test(new URL(url).pathname)) return nextLoad(url, context);
  const path = fileURLToPath(url);
  return {
    format: "module",
    source: await compileTypeScript(await readFile(path, "utf8"), path),
    shortCircuit: true,
  };
}
