import type { KeyObject } from "node:crypto";
import { CLIENT_ASSERTION_ALGORITHMS } from "../api/limits";
import {
  type AssertionAlgorithm,
  AssertionSettingError,
  loadAssertionKey,
  parseAssertionAlgorithm,
} from "./client-assertion";
import { customDomainHostName } from "./custom-domain";
import { ManagementApiError } from "./errors";

/**
 * How the client authenticates, in @pulumi/auth0's order (terraform-provider-auth0 `authenticationOption`):
 * a static token wins; then Private Key JWT when a private key is set; then the client secret.
 */
export type Credentials =
  | { kind: "token"; token: string }
  | { kind: "client"; clientId: string; clientSecret: string; audience: string }
  | {
      kind: "assertion";
      clientId: string;
      /** The parsed private key; the PEM text itself is not kept. */
      key: KeyObject;
      alg: AssertionAlgorithm;
      audience: string;
      /** The assertion's `aud`: the domain that receives it, with the trailing slash Auth0 asks for. */
      assertionAudience: string;
    };

export interface Connection {
  /** `https://{domain}` (or `http://127.0.0.1:port` for the local emulator). */
  baseUrl: string;
  credentials: Credentials;
  /** `auth0:customDomainHeader`: sent as `Auth0-Custom-Domain` where Auth0 reads it (see custom-domain.ts). */
  customDomainHeader?: string;
}

/** A lookup of one setting; returns undefined or "" when unset. */
export type SettingLookup = (key: string) => string | undefined;

/** Every `auth0:*` setting this project reads, with its environment variable (the same as @pulumi/auth0's). */
export const SETTINGS = {
  domain: ["auth0:domain", "AUTH0_DOMAIN"],
  clientId: ["auth0:clientId", "AUTH0_CLIENT_ID"],
  clientSecret: ["auth0:clientSecret", "AUTH0_CLIENT_SECRET"],
  clientAssertionPrivateKey: ["auth0:clientAssertionPrivateKey", "AUTH0_CLIENT_ASSERTION_PRIVATE_KEY"],
  clientAssertionSigningAlg: ["auth0:clientAssertionSigningAlg", "AUTH0_CLIENT_ASSERTION_SIGNING_ALG"],
  apiToken: ["auth0:apiToken", "AUTH0_API_TOKEN"],
  audience: ["auth0:audience", "AUTH0_AUDIENCE"],
  customDomainHeader: ["auth0:customDomainHeader", "AUTH0_CUSTOM_DOMAIN_HEADER"],
} as const;

function configError(message: string): ManagementApiError {
  return new ManagementApiError({
    kind: "configuration",
    method: "CONFIG",
    path: "auth0",
    hint: message,
  });
}

/**
 * The token as sent after `Bearer `: surrounding whitespace (a pasted newline) dropped; a token pasted with its
 * `Bearer ` prefix, or with spaces inside, refused here, since Auth0 would only answer an opaque 401. The
 * messages never quote the token.
 */
function apiTokenOf(value: string | undefined): string | undefined {
  const token = value?.trim();
  if (!token) return undefined;
  if (/^bearer\s/i.test(token))
    throw configError(
      'auth0:apiToken (AUTH0_API_TOKEN) starts with "Bearer ": give the token alone, without the prefix (`pulumi config set --secret auth0:apiToken eyJ...`).',
    );
  if (/\s/.test(token))
    throw configError(
      "auth0:apiToken (AUTH0_API_TOKEN) has spaces or line breaks inside: give the token alone, as one line copied from the Auth0 Dashboard's API Explorer.",
    );
  return token;
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
 * Reads the connection from stack config (first) and the environment (second), setting by setting; then
 * picks the method: token, else Private Key JWT, else client secret. A private key is parsed here, so a key
 * in the wrong format fails before any request.
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
  const customDomain = get(SETTINGS.customDomainHeader);
  const extra: Pick<Connection, "customDomainHeader"> = {};
  if (customDomain !== undefined) {
    const host = customDomainHostName(customDomain);
    if (!host)
      throw configError(
        `auth0:customDomainHeader (AUTH0_CUSTOM_DOMAIN_HEADER) "${customDomain}" is not a host name: set it to the verified custom domain, e.g. login.acme.com (no scheme, no path).`,
      );
    extra.customDomainHeader = host;
  }
  const token = apiTokenOf(get(SETTINGS.apiToken));
  if (token) return { baseUrl, credentials: { kind: "token", token }, ...extra };
  const clientId = get(SETTINGS.clientId);
  const audience = get(SETTINGS.audience) ?? `${baseUrl}/api/v2/`;
  const privateKey = get(SETTINGS.clientAssertionPrivateKey);
  if (privateKey) {
    const algSetting = get(SETTINGS.clientAssertionSigningAlg);
    if (!clientId)
      throw configError(
        "auth0:clientId (AUTH0_CLIENT_ID) not set: Private Key JWT needs the application's client ID beside auth0:clientAssertionPrivateKey.",
      );
    if (!algSetting)
      throw configError(
        `auth0:clientAssertionSigningAlg (AUTH0_CLIENT_ASSERTION_SIGNING_ALG) not set: set it to the algorithm of the application's credential (${CLIENT_ASSERTION_ALGORITHMS.join(", ")}), as @pulumi/auth0 requires too.`,
      );
    try {
      const alg = parseAssertionAlgorithm(algSetting);
      const key = loadAssertionKey(privateKey, alg);
      const assertionAudience = `${baseUrl}/`;
      return {
        baseUrl,
        credentials: { kind: "assertion", clientId, key, alg, audience, assertionAudience },
        ...extra,
      };
    } catch (err) {
      if (err instanceof AssertionSettingError) throw configError(err.message);
      throw err;
    }
  }
  const clientSecret = get(SETTINGS.clientSecret);
  if (!clientId || !clientSecret) {
    const missing = [
      !clientId && "auth0:clientId (AUTH0_CLIENT_ID)",
      !clientSecret && "auth0:clientSecret (AUTH0_CLIENT_SECRET)",
    ]
      .filter(Boolean)
      .join(" and ");
    throw configError(
      `${missing} not set: set both (\`pulumi config set --secret auth0:clientSecret ...\`), or the client ID with auth0:clientAssertionPrivateKey and auth0:clientAssertionSigningAlg (Private Key JWT), or set auth0:apiToken.`,
    );
  }
  return { baseUrl, credentials: { kind: "client", clientId, clientSecret, audience }, ...extra };
}
