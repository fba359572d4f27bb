/**
 * Which operation a request addresses, from the emulator's own contract (contract.ts, written from Auth0's
 * published reference), plus the emulator's own two: the token endpoint and the admin routes under
 * `/__emulator`.
 */
import {
  type Bucket,
  CONTRACT,
  type OperationName,
  type OperationRoute,
  operationOf,
  routeOfPath,
} from "./contract";

/** What requests are counted under: an operation's resource, the token endpoint, the admin routes, or none. */
export type Route = OperationRoute | "token" | "admin" | "unknown";

export interface Matched {
  route: Route;
  /** The operation of the contract for this method and path; undefined when only the path is known (404). */
  operation?: OperationName;
  params: string[];
}

/** The rate-limit bucket of each operation that has one, keyed `METHOD route` as the counters are. */
export const ENDPOINT_GROUPS: Partial<Record<string, Bucket>> = Object.fromEntries(
  Object.values(CONTRACT).flatMap((op) => ("bucket" in op ? [[`${op.method} ${op.route}`, op.bucket]] : [])),
);

/** The route and operation of `method` on the raw (URL-encoded) path `segments`. */
export function match(method: string, segments: readonly string[]): Matched {
  let decoded: string[];
  try {
    decoded = segments.map((s) => decodeURIComponent(s));
  } catch {
    return { route: "unknown", params: [] };
  }
  const [a, b] = decoded;
  if (a === "__emulator") return { route: "admin", params: [] };
  if (a === "oauth" && b === "token" && decoded.length === 2) return { route: "token", params: [] };
  if (a !== "api" || b !== "v2") return { route: "unknown", params: [] };
  const rest = decoded.slice(2);
  const route = routeOfPath(rest);
  if (!route) return { route: "unknown", params: [] };
  const operation = operationOf(method, rest);
  return operation ? { route, operation: operation.name, params: operation.params } : { route, params: [] };
}
