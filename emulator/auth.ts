import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** An application allowed to use the client-credentials grant against the emulator. */
export interface EmulatorClient {
  clientId: string;
  clientSecret: string;
  scopes: string[];
}

/** Every scope the emulated endpoints check. */
export const ALL_SCOPES = [
  "read:organizations",
  "read:organization_members",
  "create:organization_members",
  "delete:organization_members",
  "read:organization_member_roles",
  "create:organization_member_roles",
  "delete:organization_member_roles",
  "read:roles",
];

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
