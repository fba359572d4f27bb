#!/usr/bin/env node
/**
 * The package's command-line tool, `auth0-org-member-roles` (package.json `bin`): what a user runs outside
 * the engine. `auth0-org-member-roles --help` lists the subcommands (src/cli/commands.ts).
 */
import { runCli } from "./dispatch";

// Handlers only once a command waits for them (the emulator): elsewhere Ctrl-C stops the process as usual.
let interrupted: Promise<void> | undefined;
const onInterrupt = () =>
  (interrupted ??= new Promise<void>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
  }));

// A reader that closes early (`... emulator | head -1` to capture the URL) must not crash a command that goes
// on working: what it no longer reads is dropped. Other stream errors still surface.
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
  });

runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  secrets: [],
  interrupted: onInterrupt,
}).then((code) => {
  process.exitCode = code;
});
