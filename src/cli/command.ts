/**
 * What every subcommand of `auth0-org-member-roles` is: its help text and a run that returns the exit code.
 * The streams and the environment come in as arguments, so a test can run a subcommand in-process.
 */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Secret values a command read beyond the environment (stack config): masked in every message. */
  secrets: string[];
  /** Resolves when the user asks the process to stop (Ctrl-C, SIGTERM): what a long-running command awaits. */
  interrupted(): Promise<void>;
}

export interface Command {
  /** The text `--help` prints: usage, options, exit codes. */
  help: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** The exit codes every subcommand shares; a subcommand's help lists its own beyond these. */
export const EXIT = {
  ok: 0,
  /** The work failed: an API error, a file that is no preview, a migration that cannot be made. */
  failed: 1,
  /** The command line was wrong: nothing was read or written. */
  usage: 2,
} as const;

/** A wrong command line: the message says what is wrong; the dispatcher adds where the help is. */
export class UsageError extends Error {}
