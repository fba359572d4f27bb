/**
 * Errors of the Management API client. One class, `ManagementApiError`, carries what a user needs to act:
 * the request (method, path), the answer (status, Auth0's `errorCode` and message) and a hint naming the fix.
 * Errors never carry request headers or bodies, so no token or client secret can reach them.
 *
 * @example
 * try { await client.addMemberRoles(org, user, roles); }
 * catch (e) { if (e instanceof ManagementApiError && e.kind === "role-cap-exceeded") console.error(e.hint); }
 */
import { AUTH0_DOCUMENTED_ROLE_CAP, GROUP_ROLE_CAP, POLICY_ROLE_CAP } from "../api/limits";
import type { Classification, ErrorKind } from "./classify";
import { redact } from "./redact";

export interface ManagementApiErrorFields {
  kind: ErrorKind;
  method: string;
  path: string;
  status?: number;
  errorCode?: string;
  apiMessage?: string;
  hint: string;
  /** Secrets to remove from every text field; not kept on the error. */
  secrets?: ReadonlyArray<string | undefined>;
}

/** Longest text kept from a server's answer: a hostile or broken server must not fill logs through an error. */
const MAX_ANSWER_TEXT = 500;
const MAX_HINT_TEXT = 2000;

/**
 * The one redaction every text field goes through, whether it came from the answer (`errorCode`, the message,
 * header values quoted in the hint) or from us: known secrets and bearer tokens removed, control characters
 * replaced (no forged log lines), length bounded.
 */
function clean(text: string, secrets: ReadonlyArray<string | undefined>, max: number): string {
  const redacted = redact(text, secrets).replace(/\p{Cc}+/gu, " ");
  return redacted.length > max
    ? `${redacted.slice(0, max)}... (${redacted.length - max} more characters)`
    : redacted;
}

export class ManagementApiError extends Error {
  /** What the failure means; switch on this, never on the message text. */
  readonly kind: ErrorKind;
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly errorCode: string | undefined;
  readonly apiMessage: string | undefined;
  readonly hint: string;

  constructor(fields: ManagementApiErrorFields) {
    const secrets = fields.secrets ?? [];
    const path = clean(fields.path, secrets, MAX_ANSWER_TEXT);
    const errorCode = fields.errorCode ? clean(fields.errorCode, secrets, 100) : undefined;
    const apiMessage = fields.apiMessage ? clean(fields.apiMessage, secrets, MAX_ANSWER_TEXT) : undefined;
    const hint = clean(fields.hint, secrets, MAX_HINT_TEXT);
    const status = fields.status === undefined ? "" : ` ${fields.status}`;
    const code = errorCode ? ` (${errorCode})` : "";
    super(`${fields.method} ${path} failed${status}${code}${apiMessage ? `: ${apiMessage}` : ""}. ${hint}`);
    this.name = "ManagementApiError";
    this.kind = fields.kind;
    this.method = fields.method;
    this.path = path;
    this.status = fields.status;
    this.errorCode = errorCode;
    this.apiMessage = apiMessage;
    this.hint = hint;
  }
}

/** What a caller may find gone: the one test of "this 404 means X is gone", on the classified `kind`. */
export type Gone = "organization" | "member" | "role" | "group";

const GONE_KINDS: Record<Gone, ReadonlySet<ErrorKind>> = {
  organization: new Set(["organization-not-found"]),
  member: new Set(["member-not-found"]),
  // `GET /roles/{id}` answers 404 only for a missing role, whatever its message says.
  role: new Set(["role-not-found", "not-found"]),
  // `.../groups/{id}/roles` answers 404 `Group not found.` (message unconfirmed) for a missing group; an
  // unknown organization is told apart by its own message.
  group: new Set(["not-found"]),
};

/**
 * Whether `err` says that `what` does not exist (or no longer does), decided by classify.ts, never by the
 * message text here.
 *
 * @example
 * if (isGone(err, "member")) return; // the user left the organization: nothing is left to remove
 */
export function isGone(err: unknown, what: Gone): err is ManagementApiError {
  return err instanceof ManagementApiError && GONE_KINDS[what].has(err.kind);
}

/** Where a Machine to Machine application's scopes are granted. */
export const MANAGEMENT_API_SCOPES_HINT =
  "Grant each scope named to the application in the Auth0 Dashboard (Applications > APIs > Auth0 Management API > Machine to Machine Applications), then run again.";

/** The fix for a classified failure of the Management API. */
export function hintForClassification(c: Classification, status: number): string {
  switch (c.kind) {
    case "invalid-request":
      switch (c.detail) {
        case "invalid_body":
          return "The API rejected the request body: check that every role is a role ID (rol_...) that exists in the tenant, not a role name.";
        case "invalid_query_string":
          return "The API rejected the query string; this is a bug in the client, please report it.";
        case "invalid_paging":
          return "Offset paging stops at 1,000 records; the client should use checkpoint paging here. Please report it.";
        case "invalid_uri":
          return "An ID in the path is malformed: organization IDs look like org_..., user IDs like auth0|....";
        default:
          return "The API rejected the request as malformed.";
      }
    case "role-not-found":
      return "No role has this ID: check the role IDs (rol_...) exist in the tenant.";
    case "unauthorized":
      if (c.token === "expired")
        return "The access token has expired. With client credentials the client renews it; a static auth0:apiToken / AUTH0_API_TOKEN must be replaced.";
      if (c.token === "missing")
        return "No access token was sent. Set auth0:clientId and auth0:clientSecret (or AUTH0_CLIENT_ID / AUTH0_CLIENT_SECRET), or auth0:apiToken.";
      return "The access token was rejected (wrong tenant, audience or signature). Check auth0:domain and auth0:audience, or replace auth0:apiToken.";
    case "insufficient-scope":
      return c.scope
        ? `The credentials lack the scope ${c.scope}. ${MANAGEMENT_API_SCOPES_HINT}`
        : `The credentials may not call this endpoint. ${MANAGEMENT_API_SCOPES_HINT}`;
    case "insufficient-entitlement":
      return "The tenant's plan does not include this feature (403 insufficient_entitlement): upgrade the Auth0 subscription, or stop using the feature.";
    case "member-not-found":
      return c.member === "no-such-user"
        ? "The user does not exist in this tenant: check the user ID (for example auth0|...) in members."
        : "The user is not a member of the organization: add them to it first (Dashboard or POST /organizations/{id}/members), or drop them from members.";
    case "organization-not-found":
      return "No organization has this ID: check organizationId (org_...).";
    case "not-found":
      return "The API found nothing at this path: check the IDs in it, and that auth0:domain is the tenant's domain.";
    case "role-cap-exceeded":
      return `The member would exceed the tenant's cap on roles per organization member (Auth0's documentation says ${POLICY_ROLE_CAP} in one place and ${AUTH0_DOCUMENTED_ROLE_CAP} on its entity-limit page; set orgMemberRoles:roleCap to your tenant's so previews catch it): declare fewer roles, or remove roles granted elsewhere (\`pulumi up --refresh\`).`;
    case "group-role-cap-exceeded":
      return `The group would exceed Auth0's cap on role assignments per enterprise group (${GROUP_ROLE_CAP} on its entity-limit policy; set orgMemberRoles:groupRoleCap to your tenant's so previews catch it): declare fewer roles for the group, or remove roles given to it elsewhere (\`pulumi up --refresh\`).`;
    case "rate-limited":
      return "The tenant's rate limit was reached: lower the client's concurrency or run again after the reset.";
    case "server-error":
      return "Auth0 failed to answer; this is usually transient: run again.";
    default:
      return `Unexpected status ${status} from the Management API.`;
  }
}

/**
 * Rethrows `err` with `advice` (the way out) on a line of its own, keeping its type, kind and fields: a
 * `ManagementApiError` stays one, so callers further up still classify it.
 */
export function withAdvice(err: unknown, advice: string): never {
  if (err instanceof Error) {
    err.message = `${err.message}\n${advice}`;
    throw err;
  }
  throw new Error(`${String(err)}\n${advice}`);
}
