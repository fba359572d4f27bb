/**
 * Our own choices, not Auth0's: how many requests at once, how many retries, how long a wait, how large an
 * answer, how many members validation reads one by one. Each is a default a setting may change (README
 * "Credentials and scopes", the settings table), or a bound of ours.
 */

/** Client defaults: how many requests run at once, how many retries all of them may spend in a minute. */
export const DEFAULT_CONCURRENCY = 8;

export const DEFAULT_RETRY_BUDGET = 50;

export const DEFAULT_MAX_RETRIES_PER_REQUEST = 5;

/**
 * Longest single wait (a rate-limit reset, `Retry-After`, a backoff, pacing) before the client gives up with a
 * `wait-limit` error instead (node-auth0 and go-auth0 cap their waits at 60 s). `orgMemberRoles:maxWaitSeconds`.
 */
export const DEFAULT_MAX_WAIT_MS = 60_000;

/**
 * Deadline for everything one client does (one provider process: one `pulumi up`, `refresh`, ...), counted from
 * its first request. Three hours: a first apply of 10,000 members takes about 50 minutes at Auth0's published
 * 200 writes/minute, and a GitHub-hosted job is cancelled at 6 hours, so our named error comes first.
 * `orgMemberRoles:operationTimeoutSeconds`.
 */
export const DEFAULT_OPERATION_TIMEOUT_MS = 3 * 60 * 60_000;

/** Per-request deadline: the whole answer, headers and body, must arrive within this. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Largest answer body the client reads. A page of 100 members with 100 roles each is about 0.7 MiB; anything
 * near this bound is not an answer the API documents.
 */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** A reset further than this from now, ahead or behind, cannot be a bucket refill: the header is ignored. */
export const PLAUSIBLE_RESET_SKEW_MS = 24 * 60 * 60_000;

/** Renew a cached access token this long before it expires. */
export const TOKEN_RENEW_MARGIN_MS = 60_000;

/** Lifetime of the assertions this client signs: two minutes, as go-auth0 (behind @pulumi/auth0) signs them. */
export const CLIENT_ASSERTION_LIFETIME_S = 120;
