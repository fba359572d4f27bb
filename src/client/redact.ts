/**
 * Removes known secrets from text before it goes into an error or a log line.
 *
 * @example
 * redact("token abc.def rejected", ["abc.def"]); // "token [redacted] rejected"
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    // Very short strings would redact ordinary words; real secrets and tokens are long.
    if (secret && secret.length >= 8) out = out.split(secret).join("[redacted]");
  }
  return out.replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/g, "Bearer [redacted]");
}
