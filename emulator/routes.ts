/**
 * Which endpoint a request addresses, from the endpoint table the client uses too (src/api/endpoints.ts), plus
 * the emulator's own two: the token endpoint and the admin routes under `/__emulator`.
 */
import {
  ENDPOINTS,
  type EndpointGroup,
  type EndpointName,
  type EndpointRoute,
  matchEndpoint,
  routeOf,
} from "../src/api/endpoints";

/** What requests are counted under: an endpoint's resource, the token endpoint, the admin routes, or none. */
export type Route = EndpointRoute | "token" | "admin" | "unknown";

export interface Matched {
  route: Route;
  /** The endpoint of the table for this method and path; undefined when only the path is known (404). */
  endpoint?: EndpointName;
  params: string[];
}

/** The rate-limit bucket of each endpoint, keyed `METHOD route` as the counters are. */
export const ENDPOINT_GROUPS: Partial<Record<string, EndpointGroup>> = Object.fromEntries(
  Object.values(ENDPOINTS).map((e) => [`${e.method} ${e.route}`, e.group]),
);

/** The route and endpoint of `method` on the raw (URL-encoded) path `segments`. */
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
  const route = routeOf(rest);
  if (!route) return { route: "unknown", params: [] };
  const endpoint = matchEndpoint(method, rest);
  return endpoint ? { route, endpoint: endpoint.name, params: endpoint.params } : { route, params: [] };
}
