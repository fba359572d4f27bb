import { execFileSync } from "node:child_process";
import { createPublicKey, generateKeyPairSync, type KeyObject, verify } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { MockAgent } from "undici";
import { CLIENT_ASSERTION_ALGORITHMS, JWT_BEARER_ASSERTION_TYPE } from "../../src/api/limits";
import {
  type AssertionAlgorithm,
  loadAssertionKey,
  parseAssertionAlgorithm,
  signClientAssertion,
} from "../../src/client/client-assertion";
import { type Connection, resolveConnection } from "../../src/client/credentials";
import { carriesCustomDomainHeader } from "../../src/client/custom-domain";
import { ManagementApiError } from "../../src/client/errors";
import { ManagementClient } from "../../src/client/management-client";
import { FakeClock } from "../helpers/fake-clock";

const BASE = "https://tenant.example.auth0.com";
const ORG = "org_0123456789abcdef";
const USER = "auth0|69e9cd6013e3dca66bfbca39";
const ROLES_PATH = `/api/v2/organizations/${ORG}/members/auth0%7C69e9cd6013e3dca66bfbca39/roles`;
const json = { headers: { "content-type": "application/json" } };
const emptyPage = { roles: [], start: 0, limit: 100, total: 0 };

function decode(jwt: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [h, p] = jwt.split(".") as [string, string];
  return {
    header: JSON.parse(Buffer.from(h, "base64url").toString()),
    claims: JSON.parse(Buffer.from(p, "base64url").toString()),
  };
}

/** The key material of a PEM: the base64 body lines, which must appear nowhere either. */
function pemBody(pem: string): string[] {
  return pem.split("\n").filter((l) => l.length >= 40 && !l.startsWith("-----"));
}

describe("Private Key JWT: client assertions and settings (Node crypto, openssl as the independent check)", () => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pkcs8 = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const pkcs1 = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const publicPem = publicKey.export({ type: "spki", format: "pem" }).toString();

  describe("signing", () => {
    it("claims are those Auth0 documents: iss = sub = client ID, aud with trailing slash, iat, exp two minutes on, a UUID jti", () => {
      const key = loadAssertionKey(pkcs8, "RS256");
      const jwt = signClientAssertion({
        key,
        alg: "RS256",
        clientId: "cid123",
        audience: `${BASE}/`,
        nowSeconds: 1_800_000_000,
      });
      const { header, claims } = decode(jwt);
      expect(header).to.deep.equal({ alg: "RS256", typ: "JWT" });
      expect(claims).to.include({
        iss: "cid123",
        sub: "cid123",
        aud: `${BASE}/`,
        iat: 1_800_000_000,
        exp: 1_800_000_120,
      });
      expect(claims["jti"]).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const other = decode(signClientAssertion({ key, alg: "RS256", clientId: "cid123", audience: BASE }));
      expect(other.claims["jti"]).not.to.equal(claims["jti"]);
    });

    for (const alg of CLIENT_ASSERTION_ALGORITHMS) {
      it(`${alg}: openssl verifies the signature with the public key`, () => {
        const jwt = signClientAssertion({
          key: loadAssertionKey(pkcs1, alg),
          alg,
          clientId: "cid",
          audience: `${BASE}/`,
        });
        const [h, p, s] = jwt.split(".") as [string, string, string];
        const dir = mkdtempSync(path.join(os.tmpdir(), "assertion-"));
        try {
          writeFileSync(path.join(dir, "pub.pem"), publicPem);
          writeFileSync(path.join(dir, "data"), `${h}.${p}`);
          writeFileSync(path.join(dir, "sig"), Buffer.from(s, "base64url"));
          const pss =
            alg === "PS256" ? ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32"] : [];
          const digest = alg === "RS384" ? "-sha384" : "-sha256";
          const out = execFileSync(
            "openssl",
            ["dgst", digest, ...pss, "-verify", "pub.pem", "-signature", "sig", "data"],
            { cwd: dir },
          ).toString();
          expect(out).to.contain("Verified OK");
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }

    it("RS256 and PS256 differ in padding: a PS256 signature does not verify as RS256", () => {
      const jwt = signClientAssertion({
        key: loadAssertionKey(pkcs8, "PS256"),
        alg: "PS256",
        clientId: "cid",
        audience: BASE,
      });
      const [h, p, s] = jwt.split(".") as [string, string, string];
      expect(verify("sha256", Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, "base64url"))).to.equal(
        false,
      );
    });
  });

  describe("a key or algorithm in the wrong format: a clear error naming the setting, never the key", () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
    const small = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey;
    const encrypted = privateKey
      .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "pass-phrase" })
      .toString();
    const cases: Array<[string, string, RegExp]> = [
      ["a public key", publicPem, /public key or a certificate/],
      ["a JWK", JSON.stringify(privateKey.export({ format: "jwk" })), /looks like a JWK/],
      ["plain text", "not a key at all", /is not a PEM private key/],
      ["literal \\n escapes", pkcs8.trim().replaceAll("\n", "\\n"), /literal \\n sequences/],
      ["an encrypted key", encrypted, /encrypted with a passphrase/],
      [
        "an EC key",
        ec.export({ type: "pkcs8", format: "pem" }).toString(),
        /is an EC key; RS256 needs an RSA key/,
      ],
      ["a 1024-bit key", small.export({ type: "pkcs8", format: "pem" }).toString(), /1024-bit RSA key/],
      ["a truncated PEM", `${pkcs8.slice(0, 200)}\n-----END PRIVATE KEY-----\n`, /damaged or truncated/],
    ];
    for (const [name, value, reason] of cases) {
      it(`${name}`, () => {
        let err: unknown;
        try {
          resolveConnection(
            (k) =>
              ({
                "auth0:domain": "tenant.example.auth0.com",
                "auth0:clientId": "cid",
                "auth0:clientAssertionPrivateKey": value,
                "auth0:clientAssertionSigningAlg": "RS256",
              })[k],
            {},
          );
        } catch (e) {
          err = e;
        }
        expect(err).to.be.instanceOf(ManagementApiError);
        const e = err as ManagementApiError;
        expect(e.kind).to.equal("configuration");
        expect(e.message).to.contain("auth0:clientAssertionPrivateKey").and.match(reason);
        const text = `${e.message} ${e.stack} ${JSON.stringify(e)}`;
        for (const line of pemBody(value)) expect(text).not.to.contain(line);
        for (const line of pemBody(pkcs8)) expect(text).not.to.contain(line);
      });
    }

    it("algorithms other than Auth0's RS256, RS384 and PS256 are refused by name", () => {
      for (const alg of ["HS256", "RS512", "ES256", "none", ""]) {
        expect(() => parseAssertionAlgorithm(alg)).to.throw(/is not one of RS256, RS384, PS256/);
      }
      expect(parseAssertionAlgorithm(" PS256 ")).to.equal("PS256");
    });

    it("a private key put in the algorithm's setting is never echoed, and the swap is named", () => {
      let message = "";
      try {
        parseAssertionAlgorithm(pkcs8);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).to.contain("swapped");
      for (const line of pkcs8.split("\n").filter((l) => l.length > 20)) expect(message).not.to.contain(line);
    });

    it("a key without its algorithm or client ID names the missing setting", () => {
      const base = { "auth0:domain": "t.auth0.com", "auth0:clientAssertionPrivateKey": pkcs8 };
      expect(() =>
        resolveConnection((k) => ({ ...base, "auth0:clientId": "cid" })[k as keyof typeof base], {}),
      ).to.throw(/auth0:clientAssertionSigningAlg \(AUTH0_CLIENT_ASSERTION_SIGNING_ALG\) not set/);
      expect(() =>
        resolveConnection(
          (k) => ({ ...base, "auth0:clientAssertionSigningAlg": "RS256" })[k as keyof typeof base],
          {},
        ),
      ).to.throw(/auth0:clientId \(AUTH0_CLIENT_ID\) not set: Private Key JWT/);
    });
  });

  describe("which credentials win, as @pulumi/auth0 decides: token, then private key, then secret", () => {
    const env = {
      AUTH0_DOMAIN: "env.auth0.com",
      AUTH0_CLIENT_ID: "env-client",
      AUTH0_CLIENT_SECRET: "secret-from-env-0123456789",
      AUTH0_CLIENT_ASSERTION_PRIVATE_KEY: pkcs8,
      AUTH0_CLIENT_ASSERTION_SIGNING_ALG: "PS256",
    };
    it("a private key wins over a secret, from the environment alone", () => {
      const { credentials } = resolveConnection(() => undefined, env);
      expect(credentials).to.include({
        kind: "assertion",
        clientId: "env-client",
        alg: "PS256",
        audience: "https://env.auth0.com/api/v2/",
        assertionAudience: "https://env.auth0.com/",
      });
    });
    it("a private key wins over a secret even when the secret is in stack config (config first, setting by setting)", () => {
      const config: Record<string, string> = { "auth0:clientSecret": "secret-from-config-0123456789" };
      expect(resolveConnection((k) => config[k], env).credentials.kind).to.equal("assertion");
    });
    it("a token wins over both", () => {
      const config: Record<string, string> = { "auth0:apiToken": "token-0123456789" };
      expect(resolveConnection((k) => config[k], env).credentials.kind).to.equal("token");
    });
    it("without a private key the secret is used, and a custom audience feeds the token request", () => {
      const { AUTH0_CLIENT_ASSERTION_PRIVATE_KEY: _k, ...rest } = env;
      const c = resolveConnection(
        (k) => (k === "auth0:audience" ? "https://t.eu.auth0.com/api/v2/" : undefined),
        rest,
      );
      expect(c.credentials).to.include({ kind: "client", audience: "https://t.eu.auth0.com/api/v2/" });
    });
    it("the parsed key prints as an opaque object: inspecting or serialising the connection shows no key", () => {
      const c = resolveConnection(() => undefined, env);
      const text = `${JSON.stringify(c)} ${require("node:util").inspect(c, { depth: 5 })}`;
      for (const line of pemBody(pkcs8)) expect(text).not.to.contain(line);
    });
  });

  describe("auth0:customDomainHeader", () => {
    it("is a host name; anything else is refused with the fix", () => {
      const at = (value: string) =>
        resolveConnection(
          (k) =>
            ({
              "auth0:domain": "login.acme.com",
              "auth0:apiToken": "tok-0123456789",
              "auth0:customDomainHeader": value,
            })[k],
          {},
        );
      expect(at("Login.Acme.com").customDomainHeader).to.equal("login.acme.com");
      expect(() => at("https://login.acme.com")).to.throw(/is not a host name.*login\.acme\.com \(no scheme/);
      expect(() => at("login.acme.com/path")).to.throw(/is not a host name/);
    });
    it("names the Management API paths that build user-facing links (go-auth0's list), and none of ours", () => {
      for (const p of [
        "/api/v2/users",
        "/api/v2/users/auth0%7C1",
        "/api/v2/organizations/org_1/invitations",
        "/api/v2/tickets/password-change",
        "/api/v2/tickets/email-verification",
        "/api/v2/jobs/verification-email",
        "/api/v2/guardian/enrollments/ticket",
        "/api/v2/self-service-profiles/ssp_1/sso-ticket",
      ])
        expect(carriesCustomDomainHeader(p), p).to.equal(true);
      for (const p of [
        "/oauth/token",
        ROLES_PATH,
        `/api/v2/organizations/${ORG}/members`,
        `/api/v2/organizations/${ORG}`,
        "/api/v2/roles",
        "/api/v2/users/auth0%7C1/roles",
      ])
        expect(carriesCustomDomainHeader(p), p).to.equal(false);
    });
  });

  describe("the token request (MockAgent, network disabled)", () => {
    const publicKeyObject: KeyObject = createPublicKey(publicPem);
    function connect(alg: AssertionAlgorithm = "RS256", clock = new FakeClock(), custom?: string) {
      const agent = new MockAgent();
      agent.disableNetConnect();
      const settings: Record<string, string> = {
        "auth0:domain": "tenant.example.auth0.com",
        "auth0:clientId": "cid",
        "auth0:clientAssertionPrivateKey": pkcs8,
        "auth0:clientAssertionSigningAlg": alg,
        ...(custom ? { "auth0:customDomainHeader": custom } : {}),
      };
      const connection: Connection = resolveConnection((k) => settings[k], {});
      const client = ManagementClient.connect(connection, { dispatcher: agent, clock, backoffBaseMs: 1 });
      return { agent, pool: agent.get(BASE), client, clock };
    }
    /** The form of a token request, its assertion checked with the public key. */
    function assertionOf(body: unknown): { form: URLSearchParams; jti: string } {
      const form = new URLSearchParams(String(body));
      const jwt = form.get("client_assertion") ?? "";
      const [h, p, s] = jwt.split(".") as [string, string, string];
      expect(
        verify("sha256", Buffer.from(`${h}.${p}`), publicKeyObject, Buffer.from(s, "base64url")),
      ).to.equal(true);
      return { form, jti: String(decode(jwt).claims["jti"]) };
    }

    it("sends grant_type=client_credentials, the JWT bearer assertion type and a verifiable assertion, as a form", async () => {
      const clock = new FakeClock();
      const { agent, pool, client } = connect("RS256", clock);
      const seen: Array<{ form: URLSearchParams; type: string }> = [];
      pool.intercept({ path: "/oauth/token", method: "POST" }).reply(
        200,
        (opts) => {
          const headers = opts.headers as Record<string, string>;
          seen.push({ form: assertionOf(opts.body).form, type: headers["content-type"] ?? "" });
          return { access_token: "access.token.one-0123456789", expires_in: 86400, token_type: "Bearer" };
        },
        json,
      );
      pool.intercept({ path: (p) => p.startsWith(ROLES_PATH), method: "GET" }).reply(200, emptyPage, json);
      await client.listMemberRoles(ORG, USER);
      agent.assertNoPendingInterceptors();
      const [{ form, type }] = seen as [{ form: URLSearchParams; type: string }];
      expect(type).to.equal("application/x-www-form-urlencoded");
      expect(Object.fromEntries(form)).to.include({
        grant_type: "client_credentials",
        client_id: "cid",
        client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
        audience: `${BASE}/api/v2/`,
      });
      expect(form.has("client_secret")).to.equal(false);
      const { claims } = decode(form.get("client_assertion")!);
      expect(claims).to.include({ aud: `${BASE}/`, iat: Math.floor(clock.t / 1000) });
    });

    it("signs a fresh assertion (new jti) for a retry after a 503 and for a renewal after an expired token", async () => {
      const { agent, pool, client } = connect("PS256");
      const jtis: string[] = [];
      const tokenAnswer = (status: number, data: object) =>
        pool.intercept({ path: "/oauth/token", method: "POST" }).reply(
          status,
          (opts) => {
            const jwt = new URLSearchParams(String(opts.body)).get("client_assertion") ?? "";
            jtis.push(String(decode(jwt).claims["jti"]));
            return data;
          },
          json,
        );
      tokenAnswer(503, { error: "temporarily_unavailable" });
      tokenAnswer(200, { access_token: "access.token.one-0123456789", expires_in: 86400 });
      pool.intercept({ path: (p) => p.startsWith(ROLES_PATH), method: "GET" }).reply(
        401,
        {
          statusCode: 401,
          error: "Unauthorized",
          message: "Expired token received for JSON Web Token validation",
        },
        json,
      );
      tokenAnswer(200, { access_token: "access.token.two-0123456789", expires_in: 86400 });
      pool.intercept({ path: (p) => p.startsWith(ROLES_PATH), method: "GET" }).reply(200, emptyPage, json);
      await client.listMemberRoles(ORG, USER);
      agent.assertNoPendingInterceptors();
      expect(jtis).to.have.length(3);
      expect(new Set(jtis).size).to.equal(3);
    });

    it("a rejected assertion: the hint names the key setting; neither the key nor the assertion reaches the error", async () => {
      const { pool, client } = connect();
      let sent = "";
      pool.intercept({ path: "/oauth/token", method: "POST" }).reply(
        401,
        (opts) => {
          sent = new URLSearchParams(String(opts.body)).get("client_assertion") ?? "";
          return { error: "invalid_client", error_description: `bad assertion ${sent}` };
        },
        json,
      );
      let err: ManagementApiError | undefined;
      try {
        await client.listMemberRoles(ORG, USER);
      } catch (e) {
        err = e as ManagementApiError;
      }
      expect(err).to.be.instanceOf(ManagementApiError);
      expect(err!.errorCode).to.equal("invalid_client");
      expect(err!.hint)
        .to.contain("auth0:clientAssertionPrivateKey")
        .and.contain("auth0:clientAssertionSigningAlg");
      const text = `${err!.message} ${err!.stack} ${JSON.stringify(err)}`;
      expect(sent.length).to.be.greaterThan(100);
      expect(text).not.to.contain(sent);
      for (const line of pemBody(pkcs8)) expect(text).not.to.contain(line);
    });

    it("Auth0-Custom-Domain goes on the paths that take it, and on none of this client's own calls", async () => {
      const { agent, pool, client } = connect("RS256", new FakeClock(), "login.acme.com");
      const without = (h: Record<string, string>) => !("auth0-custom-domain" in h);
      pool
        .intercept({ path: "/oauth/token", method: "POST", headers: without })
        .reply(200, { access_token: "access.token.one-0123456789", expires_in: 86400 }, json);
      pool
        .intercept({ path: (p) => p.startsWith(ROLES_PATH), method: "GET", headers: without })
        .reply(200, emptyPage, json);
      pool.intercept({ path: ROLES_PATH, method: "POST", headers: without }).reply(204, "");
      pool
        .intercept({
          path: `/api/v2/organizations/${ORG}/invitations`,
          method: "POST",
          headers: { "auth0-custom-domain": "login.acme.com" },
        })
        .reply(201, { id: "uinv_1" }, json);
      await client.listMemberRoles(ORG, USER);
      await client.addMemberRoles(ORG, USER, ["rol_0123456789abcdef"]);
      await client.transport.send({
        method: "POST",
        path: `/api/v2/organizations/${ORG}/invitations`,
        body: { invitee: { email: "a@example.com" } },
        // Not an endpoint of the table: any group paces it; the header follows the path alone.
        group: "members:write",
        retrySafe: false,
      });
      agent.assertNoPendingInterceptors();
    });
  });
});
