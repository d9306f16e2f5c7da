import type { Command } from "./command.ts";
import { UserError } from "./command.ts";

/** Subcommands, loaded lazily so that `rdi --help` and small commands start fast. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  generate: {
    summary: "write a synthetic register extract calibrated to SCB's published figures",
    load: async () => (await import("../synthetic/cli.ts")).command,
  },
  validate: {
    summary: "check a register extract against the input contract",
    load: async () => (await import("../extract/cli.ts")).command,
  },
  build: {
    summary: "compute, protect and publish every table from an extract",
    load: async () => (await import("../publish/cli.ts")).buildCommand,
  },
  diff: {
    summary: "review the changes between two publications before publishing",
    load: async () => (await import("../publish/cli.ts")).diffCommand,
  },
  segregation: {
    summary: "segregation measures for your own counts (CSV region,unit,group,count)",
    load: async () => (await import("../segregation/cli.ts")).command,
  },
};

export function helpText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    "rdi — Registerdata för integration: register statistics on integration and segregation",
    "",
    "Usage: rdi <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    "Run `rdi <command> --help` for the options of a command.",
  ].join("\n");
}

/** Runs the CLI with the given arguments and returns the exit status (never throws). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${helpText()}\n`);
    return name === undefined ? 2 : 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    process.stderr.write(`rdi: unknown command '${name}'. Run 'rdi --help' for the list.\n`);
    return 2;
  }
  try {
    const command = await entry.load();
    if (rest.includes("--help") || rest.includes("-h")) {
      process.stdout.write(`${command.usage}\n`);
      return 0;
    }
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UserError) {
      process.stderr.write(`rdi ${name}: error: ${error.message}\n`);
      return error.exitCode;
    }
    // Node's parseArgs reports bad options with a TypeError carrying an ERR_PARSE_ARGS_* code.
    const code = (error as { code?: string }).code;
    if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`rdi ${name}: error: ${(error as Error).message}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`rdi ${name}: error: ${message.split("\n")[0]}\n`);
    if (process.env.RDI_DEBUG) console.error(error);
    return 1;
  }
}
