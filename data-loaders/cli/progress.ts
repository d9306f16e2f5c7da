/** Progress reporting on stderr, so that stdout stays clean for data (loaders, --format json). */
const started = Date.now();

let quiet = false;

export function setQuiet(value: boolean): void {
  quiet = value;
}

/** Prints one progress line with the elapsed time since the process started. */
export function progress(message: string): void {
  if (quiet) return;
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[rdi ${seconds}s] ${message}\n`);
}

/** Times an async step and reports its duration; returns the step's result. */
export async function timed<T>(label: string, step: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  progress(`${label} …`);
  const result = await step();
  progress(`${label} done in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  return result;
}
