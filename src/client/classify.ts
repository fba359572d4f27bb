/**
 * What a failure means, decided once, here: the provider, the hints and the read path switch on `kind` and
 * never read the API's message text themselves. Auth0's `errorCode` decides first; the documented message text
 * (docs/auth0-api.md, "Errors") is only the fallback, because
 * several documented answers carry no `errorCode` (the 404 for an unknown organization or a non-member, the 409).
 *
 * @example
 * classifyAnswer(404, undefined, "User is not a member of this organization").kind; // "member-not-found"
 * classifyAnswer(404, undefined, "No organization found by that id or name").kind; // "organization-not-found"
 */

/** Every kind of failure the client reports. */
export type ErrorKind =
  /** 404: no organization has this ID. */
  | "organization-not-found"
  /** 404: the user does not exist, or is not a member of the organization. */
  | "member-not-found"
  /** A role ID that does not exist (404 on a role, or 400 naming the missing role IDs). */
  | "role-not-found"
  /** 404 with no documented meaning (a wrong path, a proxy). */
  | "not-found"
  /** 409: the member would exceed the cap on roles per organization member. */
  | "role-cap-exceeded"
  /** 409: the group would exceed the cap on roles per enterprise group. */
  | "group-role-cap-exceeded"
  /** 429, and the retries allowed for it are spent. */
  | "rate-limited"
  /** 401, or credentials the token endpoint refused. */
  | "unauthorized"
  /** 403: the credentials lack a scope. */
  | "insufficient-scope"
  /** 403 `insufficient_entitlement`: the tenant's plan does not include the feature. */
  | "insufficient-entitlement"
  /** Any other 4xx: the API refused the request as malformed. */
  | "invalid-request"
  /** 5xx, after the retries allowed for it. */
  | "server-error"
  /** No answer: the connection failed or was reset. */
  | "network"
  /** No complete answer (headers and body) within the request timeout. */
  | "timeout"
  /** A wait longer than the longest allowed wait, or one that would pass the operation deadline. */
  | "wait-limit"
  /** Paging that would never end: a repeated cursor or page, or more pages than the totals allow. */
  | "paging-loop"
  /** An answer of a shape, size or status the API does not document. */
  | "unexpected-response"
  /** Settings missing or wrong (domain, credentials): found before any request. */
  | "configuration";

/** A failure's kind, and what the API said that the hint for it needs. */
export interface Classification {
  kind: ErrorKind;
  /** insufficient-scope: the scope the API names ("expected any of: ..."). */
  scope?: string;
  /** unauthorized: why the token was refused, when the API says. */
  token?: "expired" | "missing";
  /** member-not-found: no such user in the tenant, or a user who is not a member of the organization. */
  member?: "no-such-user" | "not-a-member";
  /** invalid-request: Auth0's `errorCode` for the malformed part. */
  detail?: "invalid_body" | "invalid_query_string" | "invalid_paging" | "invalid_uri";
}

const MALFORMED_CODES = new Set(["invalid_body", "invalid_query_string", "invalid_paging", "invalid_uri"]);

/**
 * Classifies an answer of the Management API (`/api/v2`) from its status, `errorCode` and message.
 *
 * @example
 * classifyAnswer(403, "insufficient_scope", "Insufficient scope, expected any of: read:roles");
 * // { kind: "insufficient-scope", scope: "read:roles" }
 */
export function classifyAnswer(
  status: number,
  errorCode: string | undefined,
  message: string | undefined,
): Classification {
  const text = message ?? "";
  // errorCode first: when Auth0 sends one, it is the stable part of the answer.
  switch (errorCode) {
    case "inexistent_user":
      return { kind: "member-not-found", member: "no-such-user" };
    case "inexistent_role":
      return { kind: "role-not-found" };
    case "insufficient_scope":
      return { kind: "insufficient-scope", ...scopeIn(text) };
    // How Auth0 refuses a feature the plan lacks (recorded traffic: "Please upgrade your subscription to use …").
    case "insufficient_entitlement":
      return { kind: "insufficient-entitlement" };
    case "too_many_requests":
      return { kind: "rate-limited" };
  }
  switch (status) {
    case 400:
      // `invalid_body` is generic; the message says when it is about role IDs that do not exist.
      if (/roles? (do|does) not exist/i.test(text)) return { kind: "role-not-found" };
      return errorCode && MALFORMED_CODES.has(errorCode)
        ? { kind: "invalid-request", detail: errorCode as NonNullable<Classification["detail"]> }
        : { kind: "invalid-request" };
    case 401:
      if (/expired/i.test(text)) return { kind: "unauthorized", token: "expired" };
      if (/missing|no authorization/i.test(text)) return { kind: "unauthorized", token: "missing" };
      return { kind: "unauthorized" };
    case 403: {
      const scope = scopeIn(text);
      return scope.scope ? { kind: "insufficient-scope", ...scope } : { kind: "insufficient-scope" };
    }
    case 404:
      // No errorCode on these (docs/auth0-api.md, "Errors"): the documented texts decide.
      if (/user does not exist/i.test(text)) return { kind: "member-not-found", member: "no-such-user" };
      if (/not a member/i.test(text)) return { kind: "member-not-found", member: "not-a-member" };
      if (/organization/i.test(text)) return { kind: "organization-not-found" };
      if (/role/i.test(text)) return { kind: "role-not-found" };
      return { kind: "not-found" };
    case 409:
      // Two documented 409s, told apart by their text (no errorCode): "...this organization member." or
      // "...this organization group." (OpenAPI description).
      return /group/i.test(text) ? { kind: "group-role-cap-exceeded" } : { kind: "role-cap-exceeded" };
    case 429:
      return { kind: "rate-limited" };
  }
  if (status >= 500) return { kind: "server-error" };
  if (status >= 400) return { kind: "invalid-request" };
  return { kind: "unexpected-response" };
}

/**
 * Classifies an answer of `POST /oauth/token` (`{error, error_description}`): refused credentials are
 * `unauthorized` whatever the status, since the fix is the same (the credentials or the grant).
 */
export function classifyTokenAnswer(status: number, error: string | undefined): Classification {
  if (status === 429) return { kind: "rate-limited" };
  if (status >= 500) return { kind: "server-error" };
  if (
    status === 401 ||
    status === 403 ||
    error === "invalid_client" ||
    error === "access_denied" ||
    error === "unauthorized_client" ||
    error === "unsupported_grant_type"
  )
    return { kind: "unauthorized" };
  if (status >= 400) return { kind: "invalid-request" };
  return { kind: "unexpected-response" };
}

/** The scope a 403 names: real traffic says "expected any of: x", the docs "expected any of; x". */
function scopeIn(text: string): { scope?: string } {
  const scope = /expected any of[:;]\s*([\w:, ]+)/i.exec(text)?.[1]?.trim();
  return scope ? { scope } : {};
}
