/**
 * Run by `npm run build` and `npm run dev` before Framework: makes sure the default publication
 * exists and is up to date.
 *
 * 1. Without `RDI_INPUT`, the default extract `.rdi/extract` is the synthetic population; it is
 *    generated when missing or when it was generated with other parameters than DEFAULT_SYNTHETIC.
 * 2. `ensurePublication()` builds `.rdi/publication` (or `RDI_PUBLICATION`) through the result
 *    cache when it is missing or stale.
 * With `RDI_INPUT` set (a real extract), nothing is generated. With only `RDI_PUBLICATION` set, that
 * publication is used as it is.
 */
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { progress } from "../data-loaders/cli/progress.ts";
import { defaultLocation, ensurePublication } from "../data-loaders/publish/site.ts";

/**
 * The default synthetic population: scale and years chosen to keep `npm run build` (generation,
 * build and Framework) within minutes on 2 cores; see docs/performance.md. The generator simulates
 * 1997–2023 whatever is asked; the site publishes the two latest years (2022 is an election year,
 * and 2023 has its previous year for the longitudinal indicators).
 */
export const DEFAULT_SYNTHETIC = {
  scale: 0.01,
  years: [2022, 2023],
  seed: 20231231,
} as const;

const MARKER = "generated.json";

async function syntheticIsCurrent(dir: string): Promise<boolean> {
  try {
    const marker = JSON.parse(await readFile(join(dir, MARKER), "utf8"));
    if (JSON.stringify(marker) !== JSON.stringify(DEFAULT_SYNTHETIC)) return false;
    const names = await readdir(dir);
    return DEFAULT_SYNTHETIC.years.every((y) => names.includes(`personer_${y}.parquet`));
  } catch {
    return false;
  }
}

export async function prepareData(): Promise<string> {
  const location = defaultLocation();
  // A given publication without its extract is used as it is (see ensurePublication).
  const givenPublication = Boolean(process.env.RDI_PUBLICATION) && !process.env.RDI_INPUT;
  if (!process.env.RDI_INPUT && !givenPublication && !(await syntheticIsCurrent(location.input))) {
    progress(
      `generating the synthetic extract (scale ${DEFAULT_SYNTHETIC.scale}, ${DEFAULT_SYNTHETIC.years[0]}–${DEFAULT_SYNTHETIC.years.at(-1)}) in ${location.input}`,
    );
    await rm(location.input, { recursive: true, force: true });
    const { generateExtract } = await import("../data-loaders/synthetic/generate.ts");
    await generateExtract({
      out: location.input,
      years: [...DEFAULT_SYNTHETIC.years],
      scale: DEFAULT_SYNTHETIC.scale,
      seed: DEFAULT_SYNTHETIC.seed,
      onProgress: (message) => progress(`generate: ${message}`),
    });
    // Written last: an interrupted generation is redone next time.
    await writeFile(join(location.input, MARKER), `${JSON.stringify(DEFAULT_SYNTHETIC)}\n`);
  }
  const publication = await ensurePublication();
  progress(`publication ready: ${publication}`);
  return publication;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await prepareData();
  } catch (error) {
    process.stderr.write(`prepare-data: error: ${(error as Error).message}\n`);
    if (process.env.RDI_DEBUG) console.error(error);
    process.exitCode = 1;
  }
}
