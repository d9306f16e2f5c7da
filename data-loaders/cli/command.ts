/** A subcommand of `rdi`. Each module of the library owns its own command file. */
export interface Command {
  name: string;
  /** One line for the command list of `rdi --help`. */
  summary: string;
  /** Full usage text for `rdi <name> --help`. */
  usage: string;
  /** Runs the command; returns the process exit status. Throw UserError for a clear one-line failure. */
  run(args: string[]): Promise<number>;
}

/**
 * An error caused by the user's input or environment (bad arguments, invalid extract, missing file).
 * The CLI prints its message as one line and exits non-zero; no stack trace.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "UserError";
  }
}
