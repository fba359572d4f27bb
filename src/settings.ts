/**
 * Every setting of the package (`orgMemberRoles:*`), in one table: config key, environment variable (the
 * fallback), parser. The provider reads them (provider/settings.ts); the client, the audit trail and the
 * component's check for unknown keys name them from here. The `auth0:*` credentials have their own table
 * (client/credentials.ts, @pulumi/auth0's names).
 */
export type Parser<T> = (raw: string, name: string) => T;

const positive: Parser<number> = (raw, name) => {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return n;
};

/** Digits only: `0.5`, `1e1` or `0x10` for a count is a typo, not a value to round. */
const countOf = (raw: string, least: number): number | undefined => {
  const n = /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  return Number.isSafeInteger(n) && n >= least ? n : undefined;
};

const wholePositive: Parser<number> = (raw, name) => {
  const n = countOf(raw, 1);
  if (n === undefined) throw new Error(`${name} must be a whole number, 1 or more, got "${raw}"`);
  return n;
};

const wholeOrZero: Parser<number> = (raw, name) => {
  const n = countOf(raw, 0);
  if (n === undefined)
    throw new Error(`${name} must be a whole number, 0 or more (0: never retry), got "${raw}"`);
  return n;
};

const yesNo: Parser<boolean> = (raw, name) => {
  const v = raw.trim().toLowerCase();
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  throw new Error(`${name} must be true or false, got "${raw}"`);
};

/** A file path: any non-blank text (the file is checked when first written). */
const path: Parser<string> = (raw) => raw.trim();

export interface Row<T> {
  key: string;
  env: string;
  parse: Parser<T>;
}

const row = <T>(key: string, env: string, parse: Parser<T>): Row<T> => ({
  key: `orgMemberRoles:${key}`,
  env,
  parse,
});

export const SETTING_ROWS = {
  concurrency: row("concurrency", "ORG_MEMBER_ROLES_CONCURRENCY", wholePositive),
  roleCap: row("roleCap", "ORG_MEMBER_ROLES_ROLE_CAP", wholePositive),
  groupRoleCap: row("groupRoleCap", "ORG_MEMBER_ROLES_GROUP_ROLE_CAP", wholePositive),
  previewValidation: row("previewValidation", "ORG_MEMBER_ROLES_PREVIEW_VALIDATION", yesNo),
  retryBudget: row("retryBudget", "ORG_MEMBER_ROLES_RETRY_BUDGET", wholeOrZero),
  requestTimeoutMs: row("requestTimeoutMs", "ORG_MEMBER_ROLES_REQUEST_TIMEOUT_MS", positive),
  maxWaitSeconds: row("maxWaitSeconds", "ORG_MEMBER_ROLES_MAX_WAIT_SECONDS", positive),
  operationTimeoutSeconds: row(
    "operationTimeoutSeconds",
    "ORG_MEMBER_ROLES_OPERATION_TIMEOUT_SECONDS",
    positive,
  ),
  auditLog: row("auditLog", "ORG_MEMBER_ROLES_AUDIT_LOG", path),
} as const;

/** A setting as messages name it: `orgMemberRoles:key (ENV_VARIABLE)`. */
export const settingName = (r: Row<unknown>): string => `${r.key} (${r.env})`;
