#!/usr/bin/env node
// Entry point of the `rdi` command. The library is TypeScript, compiled as it is imported
// (data-loaders/typescript.mjs), so `npx rdi …` works right after `npm ci` without a build step.
import "../data-loaders/typescript.mjs";

const { main } = await import("../data-loaders/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
