import { nearest } from "../model/nearest";
import { type CliIo, EXIT, UsageError } from "./command";
import { COMMANDS } from "./commands";
import { maskSecrets } from "./secrets";

export const BIN = "auth0-org-member-roles";

function overview(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return `Usage: ${BIN} <command> [options]   (${BIN} <command> --help for its options)

Commands:
${Object.entries(COMMANDS)
  .map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`)
  .join("\n")}

Exit codes: 0 done, 1 the work failed, 2 a wrong command line (nothing read or written); a command's help
lists any of its own.
`;
}

/** A parse error of util.parseArgs (an unknown option, a missing value): the user's, not the program's. */
const isParseError = (err: unknown) =>
  typeof (err as NodeJS.ErrnoException)?.code === "string" &&
  (err as NodeJS.ErrnoException).code!.startsWith("ERR_PARSE_ARGS_");

/**
 * Runs `argv` (without node and the script): the subcommand it names, its `--help`, or the overview.
 * Returns the exit code; every message goes through the secret mask.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  const say = (text: string) => io.stderr.write(maskSecrets(`${text}\n`, io.env, io.secrets));
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" ? args[0] : undefined;
    if (topic === undefined) {
      io.stdout.write(overview());
      return name === undefined ? EXIT.usage : EXIT.ok;
    }
    return runCli([topic, "--help"], io);
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    const near = nearest(name, Object.keys(COMMANDS));
    say(
      `${BIN}: unknown command "${name}"${near ? ` (did you mean ${near}?)` : ""}. Commands: ${Object.keys(COMMANDS).join(", ")}.`,
    );
    return EXIT.usage;
  }
  const { command } = await entry.load();
  if (args.includes("--help") || args.includes("-h")) {
    io.stdout.write(command.help.endsWith("\n") ? command.help : `${command.help}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(args, io);
  } catch (err) {
    if (err instanceof UsageError || isParseError(err)) {
      say(`${BIN} ${name}: ${(err as Error).message}\nRun \`${BIN} ${name} --help\` for its usage.`);
      return EXIT.usage;
    }
    say(`${BIN} ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return EXIT.failed;
  }
}
