import { SETTINGS } from "../client/credentials";
import { redact } from "../client/redact";

/** The credential settings whose values are secret, as the provider treats them. */
const SECRET_SETTINGS = [SETTINGS.clientSecret, SETTINGS.apiToken, SETTINGS.clientAssertionPrivateKey];

/**
 * `text` with every credential value the command could have read replaced: from the environment and from
 * stack config (`extra`). A private key is also masked line by line, since an error may quote one line of it.
 */
export function maskSecrets(text: string, env: NodeJS.ProcessEnv, extra: readonly string[] = []): string {
  const values = [...SECRET_SETTINGS.map(([, variable]) => env[variable]), ...extra].filter(
    (v): v is string => typeof v === "string" && v !== "",
  );
  const lines = values.flatMap((v) => v.split(/\r?\n/).map((l) => l.trim()));
  return redact(text, [...values, ...lines]);
}
