/**
 * Values of a `pulumi stack export`: plain, a revealed secret (`--show-secrets`: `{4dabf18193072939515e22adb298388d,
 * plaintext}`), or an encrypted one (`ciphertext`), which no command here can read. Pure.
 */

/** Whether `value` is a secret of the export (revealed or encrypted). */
export function isStateSecret(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    ("ciphertext" in value || "plaintext" in value)
  );
}

/** A state value: plain, a revealed secret, or an encrypted one, refused naming `what` and the fix. */
export function plain(value: unknown, what: string): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const v = value as Record<string, unknown>;
  if ("ciphertext" in v)
    throw new Error(
      `${what} is an encrypted secret in this export: export with \`pulumi stack export --show-secrets --file ...\` (the edited state is then imported with the secrets marked, and encrypted again).`,
    );
  if (typeof v["plaintext"] === "string") return JSON.parse(v["plaintext"]);
  return value;
}
