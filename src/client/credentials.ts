import { ManagementApiError } from "./errors";

/**
 * How the client authenticates: a static token (wins when present) or the client-credentials grant.
 * The same keys as @pulumi/auth0: `auth0:domain`, `auth0:clientId`, `auth0:clientSecret`, `auth0:apiToken`,
 * `auth0:audience`, and the matching `AUTH0_*` environment variables.
 */
export type Credentials =
  | { kind: "token"; token: string }
  | { kind: "client"; clientId: string; clientSecret: string; audience: string };

export interface Connection {
  /** `https://{domain}` (or `http://127.0.0.1:port` for the local emulator). */
  baseUrl: string;
  credentials: Credentials;
}

/** A lookup of one setting; returns undefined or "" when unset. */
export type SettingLookup = (key: string) => string | undefined;

const SETTINGS = {
  domain: ["auth0:domain", "AUTH0_DOMAIN"],
  clientId: ["auth0:clientId", "AUTH0_CLIENT_ID"],
  clientSecret: ["auth0:clientSecret", "AUTH0_CLIENT_SECRET"],
  apiToken: ["auth0:apiToken", "AUTH0_API_TOKEN"],
  audience: ["auth0:audience", "AUTH0_AUDIENCE"],
} as const;

function configError(message: string): ManagementApiError {
  return new ManagementApiError({
    code: "CONFIGURATION_ERROR",
    kind: "configuration",
    method: "CONFIG",
    path: "auth0",
    hint: message,
  });
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/**
 * The base URL for a domain. A bare domain means HTTPS. Plain HTTP is accepted only for loopback hosts (the
 * emulator), because a bearer token or client secret sent in the clear to any other host could be read on the way.
 *
 * @example
 * baseUrlFor("acme.eu.auth0.com"); // "https://acme.eu.auth0.com"
 * baseUrlFor("http://127.0.0.1:4010"); // "http://127.0.0.1:4010"
 */
export function baseUrlFor(domain: string): string {
  const trimmed = domain.trim().replace(/\/+$/, "");
  if (!trimmed)
    throw configError("auth0:domain is empty: set it to your tenant's domain, e.g. acme.eu.auth0.com.");
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw configError(
      `auth0:domain "${domain}" is not a host name: set it to your tenant's domain, e.g. acme.eu.auth0.com.`,
    );
  }
  if (url.pathname !== "/" || url.search || url.username || url.password)
    throw configError(`auth0:domain "${domain}" must be a bare host name (no path, query or user info).`);
  if (url.protocol === "http:") {
    if (!LOOPBACK_HOSTS.has(url.hostname) && !/^127\.\d+\.\d+\.\d+$/.test(url.hostname))
      throw configError(
        `auth0:domain "${domain}" uses plain http:// on a host that is not loopback; credentials would travel unencrypted. Use https:// (or the bare domain).`,
      );
  } else if (url.protocol !== "https:") {
    throw configError(
      `auth0:domain "${domain}" has scheme ${url.protocol}; use https:// or the bare domain.`,
    );
  }
  return url.origin;
}

/**
 * Reads the connection from stack config (first) and the environment (second).
 *
 * @example
 * const conn = resolveConnection((k) => config[k], process.env);
 */
export function resolveConnection(config: SettingLookup, env: NodeJS.ProcessEnv = process.env): Connection {
  const get = (keys: readonly [string, string]): string | undefined => {
    const value = config(keys[0]) || env[keys[1]];
    return value ? value : undefined;
  };
  const domain = get(SETTINGS.domain);
  if (!domain)
    throw configError(
      "auth0:domain is not set: `pulumi config set auth0:domain <tenant>.auth0.com` or set AUTH0_DOMAIN.",
    );
  const baseUrl = baseUrlFor(domain);
  const token = get(SETTINGS.apiToken);
  if (token) return { baseUrl, credentials: { kind: "token", token } };
  const clientId = get(SETTINGS.clientId);
  const clientSecret = get(SETTINGS.clientSecret);
  if (!clientId || !clientSecret) {
    const missing = [
      !clientId && "auth0:clientId (AUTH0_CLIENT_ID)",
      !clientSecret && "auth0:clientSecret (AUTH0_CLIENT_SECRET)",
    ]
      .filter(Boolean)
      .join(" and ");
    throw configError(
      `${missing} not set: set both (\`pulumi config set --secret auth0:clientSecret ...\`) or set auth0:apiToken.`,
    );
  }
  const audience = get(SETTINGS.audience) ?? `${baseUrl}/api/v2/`;
  return { baseUrl, credentials: { kind: "client", clientId, clientSecret, audience } };
}
