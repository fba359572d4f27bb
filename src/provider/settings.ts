import { GROUP_ROLE_CAP, POLICY_ROLE_CAP } from "../api/limits";
import { SETTINGS as AUTH0_SETTINGS, type SettingLookup } from "../client/credentials";
import { DEFAULT_CONCURRENCY } from "../client/defaults";
import type { ClientOptions } from "../client/management-client";

/** Every setting the provider reads, in one table: config key, environment variable (fallback), parser. */
type Parser<T> = (raw: string, name: string) => T;

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

interface Row<T> {
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

/** Settings whose values are credentials (resolved by client/credentials.ts): masked by boundary.ts. */
export const CREDENTIAL_SETTINGS = [
  AUTH0_SETTINGS.clientSecret,
  AUTH0_SETTINGS.apiToken,
  AUTH0_SETTINGS.clientAssertionPrivateKey,
] as const;

/** The provider's settings, parsed on use: an invalid one fails only the operation that needs it. */
export class Settings {
  constructor(
    readonly lookup: SettingLookup,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  private value<T>(r: Row<T>): T | undefined {
    const raw = this.lookup(r.key) ?? this.env[r.env];
    if (raw === undefined || raw.trim() === "") return undefined;
    return r.parse(raw, `${r.key} (${r.env})`);
  }

  get concurrency(): number {
    return this.value(SETTING_ROWS.concurrency) ?? DEFAULT_CONCURRENCY;
  }

  /** Roles one organization member may hold on this tenant (Auth0 answers 409 past it). */
  get roleCap(): number {
    return this.value(SETTING_ROWS.roleCap) ?? POLICY_ROLE_CAP;
  }

  /** Roles one organization group may hold on this tenant (Auth0 answers 409 past it). */
  get groupRoleCap(): number {
    return this.value(SETTING_ROWS.groupRoleCap) ?? GROUP_ROLE_CAP;
  }

  get previewValidation(): boolean {
    return this.value(SETTING_ROWS.previewValidation) ?? true;
  }

  /** The audit trail's file (src/audit), or undefined: off. */
  get auditLog(): string | undefined {
    return this.value(SETTING_ROWS.auditLog);
  }

  clientOptions(): Omit<ClientOptions, "clock"> {
    const options: Omit<ClientOptions, "clock"> = { concurrency: this.concurrency };
    const budget = this.value(SETTING_ROWS.retryBudget);
    if (budget !== undefined) options.retryBudget = budget;
    const timeout = this.value(SETTING_ROWS.requestTimeoutMs);
    if (timeout !== undefined) options.requestTimeoutMs = timeout;
    const maxWait = this.value(SETTING_ROWS.maxWaitSeconds);
    if (maxWait !== undefined) options.maxWaitMs = maxWait * 1000;
    const deadline = this.value(SETTING_ROWS.operationTimeoutSeconds);
    if (deadline !== undefined) options.operationTimeoutMs = deadline * 1000;
    return options;
  }

  /** The values of credential settings that are set. */
  credentialValues(): string[] {
    return CREDENTIAL_SETTINGS.map(([key, env]) => this.lookup(key) ?? this.env[env]).filter(
      (v): v is string => typeof v === "string" && v.length >= 8,
    );
  }
}
