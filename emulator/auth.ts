import { constants, createHmac, createPublicKey, randomBytes, timingSafeEqual, verify } from "node:crypto";
import { PRIVATE_KEY_JWT } from "./contract";

/** A Private Key JWT credential as registered on an application: its public key and algorithm. */
export interface AssertionCredential {
  /** PEM public key (`-----BEGIN PUBLIC KEY-----`) or X.509 certificate, as uploaded to Auth0. */
  publicKey: string;
  alg: (typeof PRIVATE_KEY_JWT.algorithms)[number];
  /** Auth0 generates one per credential; an assertion may name it in its header. */
  kid?: string;
}

/**
 * An application allowed to use the client-credentials grant against the emulator: with a client secret, or
 * (Private Key JWT) with registered credentials. An application switched to Private Key JWT no longer
 * authenticates with a secret, as in Auth0.
 */
export interface EmulatorClient {
  clientId: string;
  clientSecret?: string;
  /** At most two, as Auth0 allows per application. */
  credentials?: AssertionCredential[];
  scopes: readonly string[];
}

export interface TokenClaims {
  sub: string;
  scope: string;
  /** Expiry, epoch milliseconds in the emulator's clock. */
  exp: number;
  /** Issued at, epoch milliseconds in the emulator's clock. */
  iat?: number;
  /** The issuer's generation when issued: `expireAll()` makes every earlier generation expired. */
  gen?: number;
  jti: string;
}

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; message: string };

/** Signs and checks the emulator's access tokens: JWT-shaped (three base64url parts), HMAC-signed. */
export class TokenIssuer {
  private readonly key = randomBytes(32);
  /** Tokens of an earlier generation count as expired (fault injection: a token expiring mid-run). */
  private generation = 0;

  /** Every token issued so far is now expired; tokens issued from now on are valid. */
  expireAll(): void {
    this.generation++;
  }

  issue(claims: Omit<TokenClaims, "jti" | "iat">, now: number = Date.now()): string {
    const header = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
    const payload = Buffer.from(
      JSON.stringify({ ...claims, iat: now, gen: this.generation, jti: randomBytes(8).toString("hex") }),
    ).toString("base64url");
    return `${header}.${payload}.${this.sign(`${header}.${payload}`)}`;
  }

  /** Checks an `Authorization` header value: the three 401 messages of the API. */
  check(authorization: string | undefined, now: number): TokenCheck {
    if (!authorization) return { ok: false, message: "Missing authentication" };
    const match = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(authorization);
    if (!match) return { ok: false, message: "Invalid token" };
    const [, header, payload, signature] = match as unknown as [string, string, string, string];
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return { ok: false, message: "Invalid token" };
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as TokenClaims;
    } catch {
      return { ok: false, message: "Invalid token" };
    }
    if (claims.exp <= now || (claims.gen ?? 0) < this.generation)
      return { ok: false, message: "Expired token received for JSON Web Token validation" };
    return { ok: true, claims };
  }

  private sign(data: string): string {
    return createHmac("sha256", this.key).update(data).digest("base64url");
  }
}

/** The outcome of client authentication at `POST /oauth/token`. */
export type ClientAuthentication =
  | { ok: true; client: EmulatorClient; assertion?: string }
  | { ok: false; status: 400 | 401; error: string; description: string };

const HASHES: Record<string, string> = { RS256: "sha256", RS384: "sha384", PS256: "sha256" };

/**
 * Authenticates the client of a token request: `client_secret`, or a `client_assertion` checked for real
 * (RFC 7523 and Auth0's "Authenticate with Private Key JWT"): the registered public key and algorithm,
 * the signature, `iss` = `sub` = the client, `aud` = the tenant URL with its trailing slash, `exp` (at most
 * five minutes after `iat`), `iat`/`nbf` within ten seconds of skew, and each `jti` used once.
 *
 * Every failure answers 401 `invalid_client`, as Auth0 does for a failed client authentication (its logs
 * record "Failed client authentication" with the reason). The `error_description` texts are the
 * emulator's own, except the lifetime one, which is the reason Auth0 logs (community article 191217);
 * Auth0 does not document the others.
 */
export class ClientAuthenticator {
  /** `client jti` → when the assertion expires (ms): a replay is refused until then. */
  private readonly usedJti = new Map<string, number>();

  constructor(private readonly clients: () => EmulatorClient[]) {}

  authenticate(fields: Record<string, unknown>, tenantUrl: string, nowMs: number): ClientAuthentication {
    const { client_id, client_secret, client_assertion, client_assertion_type } = fields;
    if (client_assertion === undefined && client_assertion_type === undefined) {
      const client = this.clients().find((c) => c.clientId === client_id);
      if (!client?.clientSecret || client.clientSecret !== client_secret)
        return unauthorized("Client authentication failed");
      return { ok: true, client };
    }
    if (client_secret !== undefined)
      return invalidRequest("Use only one client authentication method: client_secret or client_assertion");
    if (client_assertion_type !== PRIVATE_KEY_JWT.assertionType)
      return invalidRequest(`client_assertion_type must be ${PRIVATE_KEY_JWT.assertionType}`);
    if (typeof client_assertion !== "string" || client_assertion === "")
      return invalidRequest("Missing required parameter: client_assertion");
    const verdict = this.verify(client_assertion, client_id, tenantUrl, nowMs);
    return verdict.ok ? { ...verdict, assertion: client_assertion } : verdict;
  }

  private verify(
    assertion: string,
    clientId: unknown,
    tenantUrl: string,
    nowMs: number,
  ): ClientAuthentication {
    const parts = assertion.split(".");
    const [headerPart, payloadPart, signaturePart] = parts;
    if (parts.length !== 3 || !parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p)))
      return unauthorized("client_assertion is not a signed JWT (header.payload.signature)");
    const header = decodeJson(headerPart!);
    const claims = decodeJson(payloadPart!);
    if (!header || !claims)
      return unauthorized("client_assertion is not a signed JWT (header.payload.signature)");
    const { iss, sub, aud, exp, iat, nbf, jti } = claims;
    if (typeof iss !== "string" || iss !== sub)
      return unauthorized("client_assertion: 'iss' and 'sub' must both be the client ID");
    if (clientId !== undefined && clientId !== iss)
      return unauthorized("client_assertion: 'iss' does not match client_id");
    const client = this.clients().find((c) => c.clientId === iss);
    if (!client) return unauthorized("Client authentication failed");
    if (!client.credentials?.length)
      return unauthorized("The client is not configured for Private Key JWT authentication");
    const alg = header["alg"];
    const kid = header["kid"];
    const candidates = client.credentials.filter(
      (c) => c.alg === alg && (kid === undefined || c.kid === kid),
    );
    if (candidates.length === 0)
      return unauthorized(
        `client_assertion: signing algorithm ${String(alg)} does not match a credential of the client`,
      );
    const signingInput = Buffer.from(`${headerPart}.${payloadPart}`);
    const signature = Buffer.from(signaturePart!, "base64url");
    if (!candidates.some((c) => verifies(c, signingInput, signature)))
      return unauthorized("client_assertion: invalid signature");
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (!audiences.includes(tenantUrl)) return unauthorized(`client_assertion: 'aud' must be ${tenantUrl}`);
    const now = nowMs / 1000;
    if (typeof exp !== "number") return unauthorized("client_assertion: 'exp' claim is required");
    if (exp <= now) return unauthorized("client_assertion has expired");
    if (iat !== undefined && (typeof iat !== "number" || iat > now + PRIVATE_KEY_JWT.clockSkewSeconds))
      return unauthorized("client_assertion: 'iat' is in the future");
    if (nbf !== undefined && (typeof nbf !== "number" || nbf > now + PRIVATE_KEY_JWT.clockSkewSeconds))
      return unauthorized("client_assertion is not valid yet ('nbf')");
    const lifetime = exp - (typeof iat === "number" ? iat : now);
    if (lifetime > PRIVATE_KEY_JWT.maxLifetimeSeconds)
      return unauthorized(
        `'exp' claim must specify a time that is no more than 5 minutes after 'iat': ${lifetime}`,
      );
    if (typeof jti !== "string" || jti.length === 0 || jti.length > 64)
      return unauthorized("client_assertion: 'jti' claim is required (at most 64 characters)");
    this.forgetExpired(nowMs);
    const seen = `${iss} ${jti}`;
    if (this.usedJti.has(seen)) return unauthorized("client_assertion: 'jti' has already been used");
    this.usedJti.set(seen, (exp + PRIVATE_KEY_JWT.clockSkewSeconds) * 1000);
    return { ok: true, client };
  }

  /** Expired assertions can no longer be replayed: their `jti` need not be kept (bounds the memory). */
  private forgetExpired(nowMs: number): void {
    for (const [key, until] of this.usedJti) if (until <= nowMs) this.usedJti.delete(key);
  }
}

function verifies(credential: AssertionCredential, data: Buffer, signature: Buffer): boolean {
  const hash = HASHES[credential.alg];
  if (!hash) return false;
  try {
    const key = createPublicKey(credential.publicKey);
    return verify(
      hash,
      data,
      credential.alg === "PS256"
        ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
        : { key, padding: constants.RSA_PKCS1_PADDING },
      signature,
    );
  } catch {
    return false;
  }
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function unauthorized(description: string): ClientAuthentication {
  return { ok: false, status: 401, error: "invalid_client", description };
}

function invalidRequest(description: string): ClientAuthentication {
  return { ok: false, status: 400, error: "invalid_request", description };
}
