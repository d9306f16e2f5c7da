import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript module hooks, without type declarations
import { compileTypeScript } from "../data-loaders/typescript-hooks.mjs";
import { makeTempDir } from "./temp.ts";

const run = promisify(execFile);
const REGISTER = join(import.meta.dirname, "..", "data-loaders", "typescript.mjs");

/** A module using what the workbench's TypeScript uses: a type-only import, parameter properties,
 * class fields, and closures made inside a loop. */
const SOURCE = `import type { Connection } from "./db.ts";
class Counter {
  total = 0;
  constructor(private readonly step: number) {}
  add(times: number): number {
    for (let i = 0; i < times; i++) {
      const bump = (by: number) => {
        this.total += by;
      };
      bump(this.step);
    }
    return this.total;
  }
}
const unused: Connection | undefined = undefined;
console.log(new Counter(3).add(4), unused === undefined);
`;

describe("typescript hooks", () => {
  it("compile without esbuild's keepNames: no name is defined for a closure made in a loop", async () => {
    const code: string = await compileTypeScript(SOURCE, "counter.ts");
    expect(code).toContain("const bump = ");
    expect(code).not.toContain("__name");
    // The type-only import is gone, so nothing needs ./db.ts at run time.
    expect(code).not.toContain("./db.ts");
  });

  it("run a .ts entry: parameter properties and class fields behave as tsc emits them", async () => {
    const dir = makeTempDir("rdi-ts-");
    const file = join(dir, "counter.ts");
    writeFileSync(file, SOURCE);
    const { stdout } = await run(process.execPath, ["--import", REGISTER, file]);
    // 4 bumps of 3.
    expect(stdout.trim()).toBe("12 true");
  });

  it("leave no esbuild process running once the imports are done", async () => {
    const dir = makeTempDir("rdi-ts-");
    writeFileSync(join(dir, "two.ts"), "export const two: number = 2;\n");
    // The entry imports a second module, then lists its own live child processes named esbuild
    // (from /proc, so no ps is needed; a child that has exited but is not yet reaped is 'Z').
    writeFileSync(
      join(dir, "main.ts"),
      `import { readdirSync, readFileSync } from "node:fs";
import { two } from "./two.ts";
await new Promise((resolve) => setTimeout(resolve, 300));
const running = readdirSync("/proc").filter((pid) => {
  if (!/^[0-9]+$/.test(pid)) return false;
  let stat = "";
  try { stat = readFileSync(\`/proc/\${pid}/stat\`, "utf8"); } catch { return false; }
  const [, name, state, parent] = /^[0-9]+ \\((.*)\\) (\\S) ([0-9]+)/.exec(stat) ?? [];
  return name === "esbuild" && state !== "Z" && Number(parent) === process.pid;
});
console.log(two, running.length);
`,
    );
    const { stdout } = await run(process.execPath, ["--import", REGISTER, join(dir, "main.ts")]);
    expect(stdout.trim()).toBe("2 0");
  });

  it("point a stack trace at the TypeScript line that threw", async () => {
    const dir = makeTempDir("rdi-ts-");
    const file = join(dir, "fails.ts");
    writeFileSync(
      file,
      'type N = number;\nconst half = (n: N): N => n / 2;\nthrow new Error("stop at " + half(4));\n',
    );
    const failed = await run(process.execPath, ["--import", REGISTER, file]).then(
      () => undefined,
      (error: { stderr: string }) => error.stderr,
    );
    expect(failed).toContain("stop at 2");
    expect(failed).toContain(`${file}:3`);
  });
});
