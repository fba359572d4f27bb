/**
 * Errors of the Management API client. One class, `ManagementApiError`, carries what a user needs to act:
 * the request (method, path), the answer (status, Auth0's `errorCode` and message) and a hint naming the fix.
 * Errors never carry request headers or bodies, so no token or client secret can reach them.
 *
 * @example
 * try { await client.addMemberRoles(org, user, roles); }
 * catch (e) { if (e instanceof ManagementApiError && e.status === 409) console.error(e.hint); }
 */

/** Stable codes for failures that are not an HTTP status from the API. */
export type ClientErrorCode =
  | "HTTP_ERROR"
  | "UNEXPECTED_RESPONSE"
  | "RETRY_BUDGET_EXHAUSTED"
  | "NETWORK_ERROR"
  | "TOKEN_ERROR"
  | "CONFIGURATION_ERROR";

export interface ManagementApiErrorFields {
  code: ClientErrorCode;
  method: string;
  path: string;
  status?: number;
  errorCode?: string;
  apiMessage?: string;
  hint: string;
}

export class ManagementApiError extends Error {
  readonly code: ClientErrorCode;
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly errorCode: string | undefined;
  readonly apiMessage: string | undefined;
  readonly hint: string;

  constructor(fields: ManagementApiErrorFields) {
    const status = fields.status === undefined ? "" : ` ${fields.status}`;
    const code = fields.errorCode ? ` (${fields.errorCode})` : "";
    const apiMessage = fields.apiMessage ? `: ${fields.apiMessage}` : "";
    super(`${fields.method} ${fields.path} failed${status}${code}${apiMessage}. ${fields.hint}`);
    this.name = "ManagementApiError";
    this.code = fields.code;
    this.method = fields.method;
    this.path = fields.path;
    this.status = fields.status;
    this.errorCode = fields.errorCode;
    this.apiMessage = fields.apiMessage;
    this.hint = fields.hint;
  }
}

/** Auth0's error envelope: `{statusCode, error, message, errorCode?}`; the token endpoint uses `{error, error_description}`. */
export interface ApiErrorBody {
  statusCode?: number;
  error?: string;
  message?: string;
  errorCode?: string;
  error_description?: string;
}

const MANAGEMENT_API_SCOPES_HINT =
  "Grant it to the application in the Auth0 Dashboard (Applications > APIs > Auth0 Management API > Machine to Machine Applications), then run again.";

/**
 * The fix for a documented failure, from its status, `errorCode` and message (shared/auth0-api.md, "Errors").
 *
 * @example
 * hintFor(403, "insufficient_scope", "Insufficient scope, expected any of: create:organization_member_roles");
 * // "The credentials lack the scope create:organization_member_roles. Grant it ..."
 */
export function hintFor(status: number, errorCode: string | undefined, message: string | undefined): string {
  const text = message ?? "";
  switch (status) {
    case 400:
      if (errorCode === "invalid_body")
        return "The API rejected the request body: check that every role is a role ID (rol_...) that exists in the tenant, not a role name.";
      if (errorCode === "invalid_query_string")
        return "The API rejected the query string; this is a bug in the client, please report it.";
      if (errorCode === "invalid_paging")
        return "Offset paging stops at 1,000 records; the client should use checkpoint paging here. Please report it.";
      if (errorCode === "invalid_uri")
        return "An ID in the path is malformed: organization IDs look like org_..., user IDs like auth0|....";
      return "The API rejected the request as malformed.";
    case 401:
      if (/expired/i.test(text))
        return "The access token has expired. With client credentials the client renews it; a static auth0:apiToken / AUTH0_API_TOKEN must be replaced.";
      if (/missing/i.test(text) || /no authorization/i.test(text))
        return "No access token was sent. Set auth0:clientId and auth0:clientSecret (or AUTH0_CLIENT_ID / AUTH0_CLIENT_SECRET), or auth0:apiToken.";
      return "The access token was rejected (wrong tenant, audience or signature). Check auth0:domain and auth0:audience, or replace auth0:apiToken.";
    case 403: {
      const scope = /expected any of[:;]\s*([\w:, ]+)/i.exec(text)?.[1]?.trim();
      if (errorCode === "insufficient_scope" || scope)
        return `The credentials lack the scope ${scope ?? "this endpoint needs"}. ${MANAGEMENT_API_SCOPES_HINT}`;
      return `The credentials may not call this endpoint. ${MANAGEMENT_API_SCOPES_HINT}`;
    }
    case 404:
      if (errorCode === "inexistent_user" || /user does not exist/i.test(text))
        return "The user does not exist in this tenant: check the user ID (for example auth0|...) in members.";
      if (/not a member/i.test(text))
        return "The user is not a member of the organization: add them to it first (Dashboard or POST /organizations/{id}/members), or drop them from members.";
      if (/organization/i.test(text)) return "No organization has this ID: check organizationId (org_...).";
      if (/role/i.test(text)) return "No role has this ID: check the role IDs (rol_...).";
      return "The API found nothing at this path: check the IDs in it.";
    case 409:
      return "The member would exceed Auth0's cap on roles per organization member (100 per the seed document, 50 per Auth0's entity-limit page): declare fewer roles for this member.";
    case 429:
      return "The tenant's rate limit was reached: lower the client's concurrency or run again after the reset.";
    default:
      if (status >= 500) return "Auth0 failed to answer; this is usually transient: run again.";
      return "Unexpected status from the Management API.";
  }
}
