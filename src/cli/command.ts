import { type ParseArgsConfig, parseArgs } from "node:util";

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

type Options = NonNullable<ParseArgsConfig["options"]>;
type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true }>
>;

/**
 * A subcommand whose command line util.parseArgs reads with `options` (and arguments besides them when
 * `positionals`); `run` gets what it read. A wrong option is a usage error (dispatch.ts).
 *
 * @example
 * export const command = commandOf({ help, options: { stack: { type: "string" } } }, async ({ values }, io) => EXIT.ok);
 */
export function commandOf<O extends Options>(
  spec: { help: string; options: O; positionals?: true },
  run: (parsed: Parsed<O>, io: CliIo) => Promise<number>,
): Command {
  const { help, options, positionals = false } = spec;
  return {
    help,
    run: async (args, io) =>
      run(parseArgs({ args, options, allowPositionals: positionals }) as Parsed<O>, io),
  };
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
