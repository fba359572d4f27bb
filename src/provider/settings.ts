import { GROUP_ROLE_CAP, POLICY_ROLE_CAP } from "../api/limits";
import { SETTINGS as AUTH0_SETTINGS, type SettingLookup } from "../client/credentials";
import { DEFAULT_CONCURRENCY } from "../client/defaults";
import type { ClientOptions } from "../client/management-client";
import { type Row, SETTING_ROWS, settingName } from "../settings";

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
    return r.parse(raw, settingName(r));
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
