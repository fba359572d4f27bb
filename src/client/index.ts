/**
 * The Auth0 Management API client: tokens, paging, rate limits, errors. Internal to this package (not in its
 * `exports`; docs/guide.md "Peer dependencies and the installed provider" says why): the provider, scripts, benchmarks and tests import it.
 *
 * @example
 * import { ManagementClient, resolveConnection } from "../src/client";
 * const client = ManagementClient.connect(resolveConnection(() => undefined, process.env));
 */

export { type Clock, realClock, scaledClock } from "../clock";
export { BOUND_SETTINGS } from "./bounds";
export { type Classification, classifyAnswer, type ErrorKind } from "./classify";
export { mapSettled } from "./concurrency";
export { baseUrlFor, type Connection, type Credentials, resolveConnection } from "./credentials";
export { type ClientErrorCode, hintFor, ManagementApiError } from "./errors";
export { type ClientOptions, ManagementClient } from "./management-client";
export { redact } from "./redact";
export type { MemberWithRoles, Role } from "./schemas";
export type { TransportStats } from "./transport";
