#!/usr/bin/env node
// Entry point of the `rdi` command. The library is TypeScript; tsx compiles it on the fly,
// so `npx rdi …` works right after `npm ci` without a build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../data-loaders/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
