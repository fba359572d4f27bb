/**
 * The facts this project depends on, each named once. Import them; never repeat the number.
 *
 * @example
 * import { POLICY_ROLE_CAP } from "../src/limits";
 * if (roles.length > POLICY_ROLE_CAP) throw new Error("too many roles");
 */

/** Roles one organization member may hold, as one of Auth0's documents states (policy pack, provider and emulator default). */
export const POLICY_ROLE_CAP = 100;

/** Auth0's current entity-limit page says 50 role assignments per organization member (advisory). */
export const AUTH0_DOCUMENTED_ROLE_CAP = 50;

/** Largest page the Management API serves (`per_page`, `take`). */
export const MAX_PAGE_SIZE = 100;

/** Offset paging stops at 1,000 records (`invalid_paging` beyond). */
export const OFFSET_PAGING_RECORD_LIMIT = 1000;

/** POST/DELETE /organizations/{id}/members accept at most 10 members a request. */
export const MEMBERS_PER_WRITE = 10;

/** Module and type of the dynamic resource: its type token is `pulumi-nodejs:dynamic/auth0:OrgMemberRoles`. */
export const RESOURCE_MODULE = "auth0";
export const RESOURCE_TYPE = "OrgMemberRoles";
export const RESOURCE_TYPE_TOKEN = `pulumi-nodejs:dynamic/${RESOURCE_MODULE}:${RESOURCE_TYPE}`;

/** Type tokens of @pulumi/auth0's bridged member-role resources (they add up on the same member). */
export const AUTH0_ORGANIZATION_MEMBER_ROLES_TOKEN =
  "auth0:index/organizationMemberRoles:OrganizationMemberRoles";
export const AUTH0_ORGANIZATION_MEMBER_ROLE_TOKEN =
  "auth0:index/organizationMemberRole:OrganizationMemberRole";

/** The value Pulumi substitutes for inputs not known during preview. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Client defaults: how many requests run at once, how many retries a whole operation may spend. */
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
/** Offset paging: the API documents `page` from 0 to 1000, so no listing has more than 1,001 pages. */
export const MAX_OFFSET_PAGE = 1000;
/**
 * `x-ratelimit-reset` is UNIX seconds. A value this large is milliseconds (as seconds it would be year 5138).
 */
export const RESET_MILLISECONDS_THRESHOLD = 100_000_000_000;
/** A reset further than this from now, ahead or behind, cannot be a bucket refill: the header is ignored. */
export const PLAUSIBLE_RESET_SKEW_MS = 24 * 60 * 60_000;
/** Renew a cached access token this long before it expires. */
export const TOKEN_RENEW_MARGIN_MS = 60_000;

/**
 * Private Key JWT (Auth0, "Authenticate with Private Key JWT" and "Application Credentials"): the algorithms a
 * credential may use, the longest lifetime Auth0 accepts for a client assertion (`exp` - `iat`), the clock
 * skew it allows on `iat`/`nbf`, and the RSA key sizes it accepts when the public key is registered.
 */
export const CLIENT_ASSERTION_ALGORITHMS = ["RS256", "RS384", "PS256"] as const;
export const CLIENT_ASSERTION_MAX_LIFETIME_S = 300;
export const CLIENT_ASSERTION_CLOCK_SKEW_S = 10;
export const CLIENT_ASSERTION_RSA_BITS = { min: 2048, max: 4096 } as const;
/** Lifetime of the assertions this client signs: two minutes, as go-auth0 (behind @pulumi/auth0) signs them. */
export const CLIENT_ASSERTION_LIFETIME_S = 120;
/** RFC 7523's `client_assertion_type` for a JWT. */
export const JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
