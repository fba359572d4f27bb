import { execFileSync } from "node:child_process";
import { type Connection, resolveConnection, SETTINGS } from "../client/credentials";
import { UsageError } from "./command";

/** The help paragraph of every subcommand that calls the Management API. */
export const CREDENTIALS_HELP = `Credentials, as the provider reads them: each auth0:* setting from the stack's config when --stack
is given (read with \`pulumi config --show-secrets\` in the current directory), else from the environment:
${Object.values(SETTINGS)
  .map(([key, variable]) => `  ${variable.padEnd(36)} ${key}`)
  .join("\n")}
A static token wins, then Private Key JWT, then the client secret. No secret is ever printed.`;

/** The connection, and every secret value read from stack config (to mask in any message). */
export interface ReadConnection {
  connection: Connection;
  stackSecrets: string[];
}

/**
 * Resolves the connection exactly as the provider does (src/client/credentials.ts): stack config first,
 * the environment second, setting by setting. Without a stack, the environment alone.
 */
export function readConnection(env: NodeJS.ProcessEnv, stack: string | undefined): ReadConnection {
  const config = stack ? stackConfig(stack, env) : new Map<string, { value: string; secret: boolean }>();
  const stackSecrets = [...config.values()].filter((v) => v.secret).map((v) => v.value);
  try {
    return { connection: resolveConnection((key) => config.get(key)?.value, env), stackSecrets };
  } catch (err) {
    // Missing or malformed credentials: the caller's to set, before any request.
    throw new UsageError((err as Error).message);
  }
}

/** `pulumi config --json --show-secrets` of `stack`: key → value, and whether it is a secret. */
function stackConfig(stack: string, env: NodeJS.ProcessEnv): Map<string, { value: string; secret: boolean }> {
  let text: string;
  try {
    text = execFileSync("pulumi", ["config", "--json", "--show-secrets", "--stack", stack], {
      env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    const reason = e.code === "ENOENT" ? "the pulumi CLI is not on PATH" : (e.stderr ?? "").trim();
    // The CLI's own error names the stack or the backend; it holds no secret (it failed to read them).
    throw new UsageError(`--stack ${stack}: could not read its config: ${reason}`);
  }
  const parsed = JSON.parse(text) as Record<string, { value?: unknown; secret?: boolean }>;
  return new Map(
    Object.entries(parsed)
      .filter(([, v]) => typeof v.value === "string")
      .map(([key, v]) => [key, { value: v.value as string, secret: v.secret === true }]),
  );
}
