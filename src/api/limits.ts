/**
 * What Auth0 documents about the Management API that this project's code relies on, each named once (the
 * sources are in docs/auth0-api.md). Import them; never repeat the number.
 *
 * @example
 * import { POLICY_ROLE_CAP } from "../src/api/limits";
 * if (roles.length > POLICY_ROLE_CAP) throw new Error("too many roles");
 */

/** Roles one organization member may hold, as one of Auth0's documents states (policy pack, provider and emulator default). */
export const POLICY_ROLE_CAP = 100;

/** Auth0's current entity-limit page says 50 role assignments per organization member (advisory). */
export const AUTH0_DOCUMENTED_ROLE_CAP = 50;

/**
 * Role assignments one enterprise group may hold in an organization (Auth0's entity-limit policy, docs-v2
 * `main/docs/troubleshoot/customer-support/operational-policies/entity-limit-policy.mdx`, "Role Assignments
 * per Enterprise Group"); past it Auth0 answers 409 `No more roles can be assigned to this organization group.`
 */
export const GROUP_ROLE_CAP = 10;

/** Largest page the Management API serves (`per_page`, `take`). */
export const MAX_PAGE_SIZE = 100;

/** Offset paging stops at 1,000 records (`invalid_paging` beyond). */
export const OFFSET_PAGING_RECORD_LIMIT = 1000;

/** Offset paging: the API documents `page` from 0 to 1000, so no listing has more than 1,001 pages. */
export const MAX_OFFSET_PAGE = 1000;

/** POST/DELETE /organizations/{id}/members accept at most 10 members a request. */
export const MEMBERS_PER_WRITE = 10;

/**
 * `x-ratelimit-reset` is UNIX seconds. A value this large is milliseconds (as seconds it would be year 5138).
 */
export const RESET_MILLISECONDS_THRESHOLD = 100_000_000_000;

/**
 * Private Key JWT (Auth0, "Authenticate with Private Key JWT" and "Application Credentials"): the algorithms a
 * credential may use, the longest lifetime Auth0 accepts for a client assertion (`exp` - `iat`), the clock
 * skew it allows on `iat`/`nbf`, and the RSA key sizes it accepts when the public key is registered.
 */
export const CLIENT_ASSERTION_ALGORITHMS = ["RS256", "RS384", "PS256"] as const;

export const CLIENT_ASSERTION_MAX_LIFETIME_S = 300;

export const CLIENT_ASSERTION_CLOCK_SKEW_S = 10;

export const CLIENT_ASSERTION_RSA_BITS = { min: 2048, max: 4096 } as const;

/** RFC 7523's `client_assertion_type` for a JWT. */
export const JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
