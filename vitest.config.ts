import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    exclude: ["tests/e2e/**", "node_modules/**"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // DuckDB uses the cores itself; two test files at a time keeps memory and CPU sane on 2 cores.
    maxWorkers: 2,
  },
});
