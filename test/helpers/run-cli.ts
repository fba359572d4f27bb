import { PassThrough } from "node:stream";
import type { CliIo } from "../../src/cli/command";
import { runCli } from "../../src/cli/dispatch";

/**
 * Runs the command-line tool in-process, as `auth0-org-member-roles ...args` with only `env` for its
 * environment, and returns its exit code and everything it wrote.
 */
export async function runCaptured(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const collect = (s: PassThrough) => {
    let text = "";
    s.on("data", (c: Buffer) => {
      text += c.toString();
    });
    return () => text;
  };
  const out = collect(stdout);
  const err = collect(stderr);
  const io: CliIo = {
    stdin: new PassThrough(),
    stdout,
    stderr,
    env,
    secrets: [],
    interrupted: () => Promise.resolve(),
  };
  const code = await runCli(args, io);
  return { code, stdout: out(), stderr: err() };
}
