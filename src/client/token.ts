import type { z } from "zod";
import { JWT_BEARER_ASSERTION_TYPE } from "../api/limits";
import type { Clock } from "../clock";
import { classifyTokenAnswer } from "./classify";
import { signClientAssertion } from "./client-assertion";
import type { Credentials } from "./credentials";
import { TOKEN_RENEW_MARGIN_MS } from "./defaults";
import { type ErrorBody, tokenResponseSchema } from "./schemas";
import type { TokenSource, Transport } from "./transport";

/** The fix for a failure of `POST /oauth/token` (`{error, error_description}`). */
export function tokenHint(status: number, body: ErrorBody): string {
  if (body.error === "invalid_client" || status === 401)
    return "The client credentials were rejected: check auth0:clientId and auth0:clientSecret (AUTH0_CLIENT_ID / AUTH0_CLIENT_SECRET).";
  if (body.error === "access_denied" || status === 403)
    return "The application is not authorized for the Management API audience: authorize it in the Dashboard (Applications > APIs > Auth0 Management API), or check auth0:audience.";
  if (body.error === "unsupported_grant_type")
    return "The application does not allow the Client Credentials grant: enable it in the application's Advanced Settings > Grant Types.";
  if (status === 400) return "The token request was malformed: check auth0:audience.";
  return "The token endpoint failed; run again.";
}

/** The fix for a failed token request made with a client assertion (Private Key JWT). */
export function assertionTokenHint(status: number, body: ErrorBody): string {
  if (body.error === "invalid_client" || status === 401)
    return "The client assertion was rejected: check that auth0:clientAssertionPrivateKey is the private half of a credential registered on the application (Dashboard > Applications > Credentials, not expired), that auth0:clientAssertionSigningAlg is that credential's algorithm, that auth0:clientId is that application's, and that this machine's clock is right.";
  return tokenHint(status, body);
}

/** A token given by the user (`auth0:apiToken`): never renewed. */
export class StaticTokenSource implements TokenSource {
  private readonly scopes: ReadonlySet<string> | undefined;
  constructor(private readonly token: string) {
    this.scopes = scopesOfJwt(token);
  }
  async get(): Promise<string> {
    return this.token;
  }
  granted(): ReadonlySet<string> | undefined {
    return this.scopes;
  }
  async renew(): Promise<undefined> {
    return undefined;
  }
  isCurrent(): boolean {
    return true;
  }
  secrets(): string[] {
    return [this.token];
  }
}

/** Credentials that obtain tokens with the client-credentials grant: a client secret or a private key. */
export type GrantCredentials = Extract<Credentials, { kind: "client" | "assertion" }>;

export type TokenAnswer = z.infer<typeof tokenResponseSchema>;
/** A token request's body: JSON for a secret, a form built afresh for every attempt for an assertion. */
export type TokenRequestBody = object | (() => URLSearchParams);
/** Sends one token request to `POST /oauth/token` and gives the answer; a refusal is thrown. */
export type PostToken = (body: TokenRequestBody) => Promise<TokenAnswer>;

/**
 * `POST /oauth/token` over `transport`: unauthenticated, retried like a read (a token request changes
 * nothing), with the token endpoint's own meaning and fix of a failure.
 */
export function postToken(transport: Transport, kind: GrantCredentials["kind"]): PostToken {
  return async (body) => {
    const answer = await transport.send(
      {
        method: "POST",
        path: "/oauth/token",
        group: "oauth-token",
        retrySafe: true,
        authenticated: false,
        body,
        classify: (status, error) => classifyTokenAnswer(status, error.error),
        hintFor: kind === "assertion" ? assertionTokenHint : tokenHint,
      },
      tokenResponseSchema,
    );
    if (!answer) throw new Error("token endpoint answered without a body");
    return answer;
  };
}

/**
 * The client-credentials grant, cached: one request however many calls start together, renewed a margin
 * before expiry and once after a 401 for an expired token. The client authenticates with its secret, or
 * with a client assertion signed afresh for every attempt (Auth0 accepts each `jti` once, so a retried
 * request must not repeat the one it sent before).
 */
export class ClientCredentialsTokenSource implements TokenSource {
  private cached: { token: string; expiresAtMs: number; scopes: ReadonlySet<string> | undefined } | undefined;
  private pending: Promise<string> | undefined;
  private issued: string[] = [];
  /** Assertions signed lately: short-lived credentials, redacted like tokens. */
  private assertions: string[] = [];
  /** Number of token requests made, for tests. */
  requests = 0;

  constructor(
    private readonly credentials: GrantCredentials,
    private readonly post: PostToken,
    private readonly clock: Clock,
  ) {}

  async get(): Promise<string> {
    const now = this.clock.now();
    if (this.cached && now < this.cached.expiresAtMs) return this.cached.token;
    return this.fetchOnce();
  }

  isCurrent(token: string): boolean {
    return this.cached?.token === token && this.clock.now() < this.cached.expiresAtMs;
  }

  granted(): ReadonlySet<string> | undefined {
    return this.cached?.scopes;
  }

  async renew(rejected: string): Promise<string | undefined> {
    // Another call may have renewed it already; only the first 401 with this token fetches a new one.
    if (this.cached?.token === rejected) this.cached = undefined;
    return this.get();
  }

  secrets(): string[] {
    const own = this.credentials.kind === "client" ? [this.credentials.clientSecret] : this.assertions;
    return [...own, ...this.issued];
  }

  private fetchOnce(): Promise<string> {
    if (!this.pending) {
      this.pending = this.fetch().finally(() => {
        this.pending = undefined;
      });
    }
    return this.pending;
  }

  private async fetch(): Promise<string> {
    this.requests++;
    const answer = await this.post(this.requestBody());
    const lifetimeMs = answer.expires_in * 1000;
    // Renew before expiry: a minute early, or at 90% of a short lifetime.
    const margin = Math.min(TOKEN_RENEW_MARGIN_MS, lifetimeMs / 10);
    this.cached = {
      token: answer.access_token,
      expiresAtMs: this.clock.now() + lifetimeMs - margin,
      // The client-credentials answer lists the scopes granted (Auth0, "Get Management API Access Tokens").
      scopes: answer.scope === undefined ? undefined : scopeSet(answer.scope),
    };
    this.issued.push(answer.access_token);
    if (this.issued.length > 8) this.issued.shift();
    return answer.access_token;
  }

  /** A secret goes as JSON (as before); an assertion as a form, as RFC 7523 and go-auth0 send it. */
  private requestBody(): TokenRequestBody {
    const credentials = this.credentials;
    if (credentials.kind === "client")
      return {
        grant_type: "client_credentials",
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
        audience: credentials.audience,
      };
    return () => {
      const assertion = signClientAssertion({
        key: credentials.key,
        alg: credentials.alg,
        clientId: credentials.clientId,
        audience: credentials.assertionAudience,
        nowSeconds: Math.floor(this.clock.now() / 1000),
      });
      this.assertions.push(assertion);
      if (this.assertions.length > 8) this.assertions.shift();
      return new URLSearchParams({
        grant_type: "client_credentials",
        client_id: credentials.clientId,
        client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
        client_assertion: assertion,
        audience: credentials.audience,
      });
    };
  }
}

const scopeSet = (scope: string): ReadonlySet<string> => new Set(scope.split(/\s+/).filter((s) => s !== ""));

/**
 * The `scope` claim of a JWT access token (Auth0's Management API tokens carry one, space-separated), read
 * without checking the signature: it only decides which calls are worth making, and the API still decides.
 * Undefined for an opaque token or one without the claim.
 *
 * @example
 * scopesOfJwt("not-a-jwt"); // undefined
 */
export function scopesOfJwt(token: string): ReadonlySet<string> | undefined {
  const payload = token.split(".")[1];
  if (token.split(".").length !== 3 || !payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    const scope = (claims as { scope?: unknown } | null)?.scope;
    return typeof scope === "string" ? scopeSet(scope) : undefined;
  } catch {
    return undefined;
  }
}
