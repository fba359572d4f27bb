import { expect } from "chai";
import { MockAgent } from "undici";
import { baseUrlFor, resolveConnection } from "../../src/client/credentials";
import { ManagementApiError } from "../../src/client/errors";
import { ManagementClient } from "../../src/client/management-client";
import { FakeClock } from "../helpers/fake-clock";
import { findRoleByName } from "../helpers/roles";

const BASE = "https://tenant.example.auth0.com";
const ORG = "org_0123456789abcdef";
const USER = "auth0|69e9cd6013e3dca66bfbca39";
const ROLES_PATH = `/api/v2/organizations/${ORG}/members/auth0%7C69e9cd6013e3dca66bfbca39/roles`;
const SECRET = "client-secret-that-must-never-leak-0123";
const STATIC_TOKEN = "static.token.value-that-must-never-leak";
const json = { headers: { "content-type": "application/json" } };

function setup(kind: "token" | "client" = "token", clock = new FakeClock(), retryBudget = 10) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const pool = agent.get(BASE);
  const credentials =
    kind === "token"
      ? ({ kind: "token", token: STATIC_TOKEN } as const)
      : ({ kind: "client", clientId: "cid", clientSecret: SECRET, audience: `${BASE}/api/v2/` } as const);
  const client = ManagementClient.connect(
    { baseUrl: BASE, credentials },
    { dispatcher: agent, clock, backoffBaseMs: 1, retryBudget },
  );
  return { agent, pool, client, clock };
}

async function failure(p: Promise<unknown>): Promise<ManagementApiError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(ManagementApiError);
    return err as ManagementApiError;
  }
  throw new Error("expected a failure");
}

/** Auth0's documented 429: the body and the x-ratelimit-* headers with the reset (UNIX seconds). */
const tooManyRequests = (reset: number) =>
  [
    429,
    {
      statusCode: 429,
      error: "Too Many Requests",
      message: "Global limit has been reached",
      errorCode: "too_many_requests",
    },
    {
      headers: {
        "x-ratelimit-limit": "20",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(reset),
      },
    },
  ] as const;

const tokenReply = (token = "access.token.one-0123456789", expires_in = 86400) => ({
  access_token: token,
  expires_in,
  token_type: "Bearer",
});

describe("ManagementClient (MockAgent, network disabled)", () => {
  describe("one error per documented status", () => {
    const cases: Array<[string, number, object, RegExp]> = [
      [
        "400 invalid_body",
        400,
        {
          statusCode: 400,
          error: "Bad Request",
          message: "Payload validation error: 'x'.",
          errorCode: "invalid_body",
        },
        /role ID \(rol_\.\.\.\)/,
      ],
      [
        "400 invalid_query_string",
        400,
        {
          statusCode: 400,
          error: "Bad Request",
          message: "Query validation error",
          errorCode: "invalid_query_string",
        },
        /query string/,
      ],
      [
        "401 invalid token",
        401,
        {
          statusCode: 401,
          error: "Unauthorized",
          message: "Invalid token",
          attributes: { error: "Invalid token" },
        },
        /token was rejected/,
      ],
      [
        "401 missing authentication",
        401,
        { statusCode: 401, error: "Unauthorized", message: "Missing authentication" },
        /No access token was sent/,
      ],
      [
        "401 expired token",
        401,
        {
          statusCode: 401,
          error: "Unauthorized",
          message: "Expired token received for JSON Web Token validation",
        },
        /expired/,
      ],
      [
        "403 insufficient_scope",
        403,
        {
          statusCode: 403,
          error: "Forbidden",
          message: "Insufficient scope, expected any of: read:organization_member_roles",
          errorCode: "insufficient_scope",
        },
        /lack the scope read:organization_member_roles/,
      ],
      [
        "404 organization",
        404,
        { statusCode: 404, error: "Not Found", message: "No organization found by that id or name" },
        /check organizationId/,
      ],
      [
        "404 user",
        404,
        {
          statusCode: 404,
          error: "Not Found",
          message: "The user does not exist.",
          errorCode: "inexistent_user",
        },
        /does not exist in this tenant/,
      ],
      [
        "404 not a member",
        404,
        { statusCode: 404, error: "Not Found", message: "User is not a member of this organization" },
        /add them to it first/,
      ],
      [
        "409 member role cap",
        409,
        {
          statusCode: 409,
          error: "Conflict",
          message: "No more roles can be assigned to this organization member.",
        },
        /declare fewer roles/,
      ],
    ];
    for (const [name, status, body, hint] of cases) {
      it(`${name}: status, errorCode, message and hint`, async () => {
        const { pool, client } = setup();
        pool.intercept({ path: (p) => p.startsWith(ROLES_PATH), method: "GET" }).reply(status, body, json);
        const err = await failure(client.listMemberRoles(ORG, USER));
        expect(err.status).to.equal(status);
        expect(err.method).to.equal("GET");
        expect(err.path).to.equal(ROLES_PATH);
        expect(err.apiMessage).to.equal((body as { message: string }).message);
        expect(err.errorCode).to.equal((body as { errorCode?: string }).errorCode);
        expect(err.hint).to.match(hint);
        expect(err.message).to.contain(ROLES_PATH).and.match(hint);
      });
    }

    it("429 with the budget spent names the limit and when it resets", async () => {
      const { pool, client, clock } = setup("token", new FakeClock(), 0);
      const reset = Math.floor(clock.now() / 1000) + 30;
      pool
        .intercept({ path: (p) => p.startsWith(ROLES_PATH), method: "GET" })
        .reply(...tooManyRequests(reset));
      const err = await failure(client.listMemberRoles(ORG, USER));
      expect(err.kind).to.equal("rate-limited");
      expect(err.status).to.equal(429);
      expect(err.message)
        .to.contain("the retry budget is spent")
        .and.contain("limit 20")
        .and.contain(new Date(reset * 1000).toISOString());
    });
  });

  it("pages member roles over short pages until start + length reaches total", async () => {
    const { pool, client } = setup();
    const roles = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        id: `rol_${String(from + i).padStart(16, "0")}`,
        name: `r${from + i}`,
        description: "",
      }));
    // The server caps per_page at 50 although the client asks for 100: a short page is not the last page.
    [0, 1, 2].forEach((page) => {
      pool
        .intercept({ path: (p) => p.startsWith(ROLES_PATH) && p.includes(`page=${page}&`), method: "GET" })
        .reply(
          200,
          { roles: roles(page * 50, page === 2 ? 20 : 50), start: page * 50, limit: 50, total: 120 },
          json,
        );
    });
    const result = await client.listMemberRoles(ORG, USER);
    expect(result).to.have.length(120);
    expect(client.transport.stats.requests).to.equal(3);
  });

  it("encodes every path segment (auth0|abc travels as auth0%7Cabc)", async () => {
    const { agent, pool, client } = setup();
    pool
      .intercept({
        path: ROLES_PATH,
        method: "POST",
        body: JSON.stringify({ roles: ["rol_0123456789abcdef"] }),
      })
      .reply(204, "");
    await client.addMemberRoles(ORG, USER, ["rol_0123456789abcdef"]);
    agent.assertNoPendingInterceptors();
  });

  it("requests the token once when fifty calls start together", async () => {
    const { pool, client } = setup("client");
    pool.intercept({ path: "/oauth/token", method: "POST" }).reply(200, tokenReply(), json);
    pool
      .intercept({ path: (p) => p.startsWith(ROLES_PATH), method: "GET" })
      .reply(200, { roles: [], start: 0, limit: 100, total: 0 }, json)
      .times(50);
    await Promise.all(Array.from({ length: 50 }, () => client.listMemberRoles(ORG, USER)));
    expect(client.transport.stats.byEndpoint["POST oauth-token"]).to.equal(1);
  });

  it("renews the token once after a 401 for an expired token, then succeeds", async () => {
    const { agent, pool, client } = setup("client");
    pool
      .intercept({ path: "/oauth/token", method: "POST" })
      .reply(200, tokenReply("access.token.one-0123456789"), json);
    pool.intercept({ path: (p) => p.startsWith(ROLES_PATH), method: "GET" }).reply(
      401,
      {
        statusCode: 401,
        error: "Unauthorized",
        message: "Expired token received for JSON Web Token validation",
      },
      json,
    );
    pool
      .intercept({ path: "/oauth/token", method: "POST" })
      .reply(200, tokenReply("access.token.two-0123456789"), json);
    pool
      .intercept({
        path: (p) => p.startsWith(ROLES_PATH),
        method: "GET",
        headers: { authorization: "Bearer access.token.two-0123456789" },
      })
      .reply(200, { roles: [], start: 0, limit: 100, total: 0 }, json);
    expect(await client.listMemberRoles(ORG, USER)).to.deep.equal([]);
    agent.assertNoPendingInterceptors();
  });

  it("renews a cached token shortly before it expires", async () => {
    const clock = new FakeClock();
    const { pool, client } = setup("client", clock);
    pool
      .intercept({ path: "/oauth/token", method: "POST" })
      .reply(200, tokenReply("access.token.one-0123456789", 600), json);
    pool
      .intercept({ path: "/oauth/token", method: "POST" })
      .reply(200, tokenReply("access.token.two-0123456789", 600), json);
    pool
      .intercept({ path: (p) => p.startsWith(ROLES_PATH), method: "GET" })
      .reply(200, { roles: [], start: 0, limit: 100, total: 0 }, json)
      .times(3);
    await client.listMemberRoles(ORG, USER);
    clock.t += 500_000; // within the lifetime, before the renewal margin
    await client.listMemberRoles(ORG, USER);
    expect(client.transport.stats.byEndpoint["POST oauth-token"]).to.equal(1);
    clock.t += 50_000; // inside the last minute: renewed before use
    await client.listMemberRoles(ORG, USER);
    expect(client.transport.stats.byEndpoint["POST oauth-token"]).to.equal(2);
  });

  it("waits for X-RateLimit-Reset after a 429, then retries and succeeds", async () => {
    const { pool, client, clock } = setup();
    const reset = Math.floor(clock.now() / 1000) + 7;
    pool.intercept({ path: ROLES_PATH, method: "POST" }).reply(...tooManyRequests(reset));
    pool.intercept({ path: ROLES_PATH, method: "POST" }).reply(204, "");
    const start = clock.now();
    await client.addMemberRoles(ORG, USER, ["rol_0123456789abcdef"]);
    expect(clock.now()).to.be.at.least(reset * 1000);
    expect(clock.now() - start).to.be.below(9_000);
    expect(client.transport.stats.rateLimited).to.equal(1);
  });

  it("prefers Retry-After over the reset when both are sent", async () => {
    const { pool, client, clock } = setup();
    pool.intercept({ path: ROLES_PATH, method: "POST" }).reply(
      429,
      {},
      {
        headers: {
          "retry-after": "2",
          "x-ratelimit-limit": "20",
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": String(Math.floor(clock.now() / 1000) + 30),
        },
      },
    );
    pool.intercept({ path: ROLES_PATH, method: "POST" }).reply(204, "");
    await client.addMemberRoles(ORG, USER, ["rol_0123456789abcdef"]);
    expect(clock.slept[0]).to.equal(2000);
  });

  it("paces: when remaining reaches zero the next call waits for the reset instead of spending a 429", async () => {
    const { pool, client, clock } = setup();
    const reset = Math.floor(clock.now() / 1000) + 3;
    const headers = {
      "x-ratelimit-limit": "20",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": String(reset),
    };
    pool.intercept({ path: ROLES_PATH, method: "POST" }).reply(204, "", { headers });
    pool
      .intercept({ path: ROLES_PATH, method: "POST" })
      .reply(204, "", { headers: { ...headers, "x-ratelimit-remaining": "5" } });
    await client.addMemberRoles(ORG, USER, ["rol_0123456789abcdef"]);
    expect(clock.totalSlept).to.equal(0);
    await client.addMemberRoles(ORG, USER, ["rol_0123456789abcdef"]);
    expect(clock.now()).to.be.at.least(reset * 1000);
    expect(client.transport.stats.rateLimited).to.equal(0);
  });

  it("retries member-role writes on 503 (idempotent)", async () => {
    const { agent, pool, client } = setup();
    pool
      .intercept({ path: ROLES_PATH, method: "DELETE" })
      .reply(503, { statusCode: 503, error: "Service Unavailable", message: "x" }, json);
    pool.intercept({ path: ROLES_PATH, method: "DELETE" }).reply(204, "");
    await client.removeMemberRoles(ORG, USER, ["rol_0123456789abcdef"]);
    agent.assertNoPendingInterceptors();
  });

  it("does not retry adding organization members on 503: the second call never happens", async () => {
    const { agent, pool, client } = setup();
    const path = `/api/v2/organizations/${ORG}/members`;
    pool
      .intercept({ path, method: "POST" })
      .reply(503, { statusCode: 503, error: "Service Unavailable", message: "x" }, json);
    pool.intercept({ path, method: "POST" }).reply(204, "");
    const err = await failure(client.addMembers(ORG, [USER]));
    expect(err.status).to.equal(503);
    expect(agent.pendingInterceptors()).to.have.length(1);
  });

  it("adds members at most 10 a request", async () => {
    const { agent, pool, client } = setup();
    const users = Array.from({ length: 23 }, (_, i) => `auth0|${i}`);
    pool
      .intercept({ path: `/api/v2/organizations/${ORG}/members`, method: "POST" })
      .reply(204, "")
      .times(3);
    await client.addMembers(ORG, users);
    agent.assertNoPendingInterceptors();
    expect(client.transport.stats.requests).to.equal(3);
  });

  it("an answer of the wrong shape is an error naming the endpoint", async () => {
    const { pool, client } = setup();
    pool
      .intercept({ path: (p) => p.startsWith(ROLES_PATH), method: "GET" })
      .reply(200, { role: "nope" }, json);
    const err = await failure(client.listMemberRoles(ORG, USER));
    expect(err.kind).to.equal("unexpected-response");
    expect(err.message).to.contain(`GET ${ROLES_PATH}`).and.contain("documented shape");
  });

  it("looks a role up by exact name (name_filter matches substrings)", async () => {
    const { pool, client } = setup();
    pool
      .intercept({
        path: (p) => p.startsWith("/api/v2/roles?") && p.includes("name_filter=admin"),
        method: "GET",
      })
      .reply(
        200,
        {
          roles: [
            { id: "rol_0000000000000001", name: "admin-lite", description: "" },
            { id: "rol_0000000000000002", name: "admin", description: "" },
          ],
          start: 0,
          limit: 100,
          total: 2,
        },
        json,
      );
    expect((await findRoleByName(client, "admin"))?.id).to.equal("rol_0000000000000002");
  });

  describe("secrets", () => {
    it("never appear in errors: client secret on a token failure, token on an API failure", async () => {
      const a = setup("client");
      a.pool
        .intercept({ path: "/oauth/token", method: "POST" })
        .reply(401, { error: "invalid_client", error_description: `bad secret ${SECRET}` }, json);
      const tokenErr = await failure(a.client.listMemberRoles(ORG, USER));
      expect(tokenErr.hint).to.match(/auth0:clientSecret/);
      expect(tokenErr.errorCode).to.equal("invalid_client");
      const b = setup("token");
      b.pool
        .intercept({ path: (p) => p.startsWith(ROLES_PATH), method: "GET" })
        .replyWithError(new Error(`socket hang up with Bearer ${STATIC_TOKEN}`));
      const netErr = await failure(b.client.listMemberRoles(ORG, USER));
      for (const err of [tokenErr, netErr]) {
        const text = `${err.message} ${err.stack} ${JSON.stringify(err)} ${String(err)}`;
        expect(text).not.to.contain(SECRET);
        expect(text).not.to.contain(STATIC_TOKEN);
      }
    });
  });

  describe("connection settings", () => {
    it("uses https for a bare domain and accepts http only on loopback", () => {
      expect(baseUrlFor("acme.eu.auth0.com")).to.equal("https://acme.eu.auth0.com");
      expect(baseUrlFor("http://127.0.0.1:4010")).to.equal("http://127.0.0.1:4010");
      expect(baseUrlFor("http://localhost:4010/")).to.equal("http://localhost:4010");
      expect(() => baseUrlFor("http://acme.eu.auth0.com")).to.throw(/not loopback/);
      expect(() => baseUrlFor("ftp://acme")).to.throw(/https/);
    });

    it("prefers the API token, then client credentials, from config before the environment", () => {
      const env = {
        AUTH0_DOMAIN: "env.auth0.com",
        AUTH0_CLIENT_ID: "id",
        AUTH0_CLIENT_SECRET: "secret-from-env",
      };
      const fromEnv = resolveConnection(() => undefined, env);
      expect(fromEnv.baseUrl).to.equal("https://env.auth0.com");
      expect(fromEnv.credentials).to.deep.include({
        kind: "client",
        audience: "https://env.auth0.com/api/v2/",
      });
      const config: Record<string, string> = {
        "auth0:domain": "cfg.auth0.com",
        "auth0:apiToken": "tok-123456789",
      };
      const fromConfig = resolveConnection((k) => config[k], env);
      expect(fromConfig.baseUrl).to.equal("https://cfg.auth0.com");
      expect(fromConfig.credentials.kind).to.equal("token");
    });

    it("an API token pasted with its Bearer prefix, or with spaces inside, is refused naming the setting and not quoting it; a trailing newline is dropped", () => {
      const connect = (token: string) =>
        resolveConnection((k) => ({ "auth0:domain": "a.auth0.com", "auth0:apiToken": token })[k], {});
      for (const [token, said] of [
        ["Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln", /starts with "Bearer ": give the token alone/],
        ["eyJhbGciOiJIUzI1NiJ9 .e30.c2ln", /has spaces or line breaks inside/],
      ] as const) {
        let message = "";
        try {
          connect(token);
        } catch (err) {
          message = (err as Error).message;
        }
        expect(message).to.match(said).and.contain("auth0:apiToken");
        expect(message).to.not.contain("c2ln");
      }
      expect(connect("eyJhbGciOiJIUzI1NiJ9.e30.c2ln\n").credentials).to.deep.equal({
        kind: "token",
        token: "eyJhbGciOiJIUzI1NiJ9.e30.c2ln",
      });
    });

    it("names the missing settings and the fix", () => {
      expect(() => resolveConnection(() => undefined, {})).to.throw(/auth0:domain is not set/);
      expect(() => resolveConnection((k) => (k === "auth0:domain" ? "a.auth0.com" : undefined), {})).to.throw(
        /auth0:clientId \(AUTH0_CLIENT_ID\) and auth0:clientSecret \(AUTH0_CLIENT_SECRET\) not set/,
      );
    });
  });

  it("regression: a token renewed while every concurrency slot waits for it does not deadlock", async function () {
    this.timeout(5_000);
    const clock = new FakeClock();
    const agent = new MockAgent();
    agent.disableNetConnect();
    const pool = agent.get(BASE);
    const client = ManagementClient.connect(
      {
        baseUrl: BASE,
        credentials: { kind: "client", clientId: "cid", clientSecret: SECRET, audience: `${BASE}/api/v2/` },
      },
      { dispatcher: agent, clock, backoffBaseMs: 1, concurrency: 2 },
    );
    pool
      .intercept({ path: "/oauth/token", method: "POST" })
      .reply(200, tokenReply("access.token.one-0123456789", 600), json);
    pool
      .intercept({ path: "/oauth/token", method: "POST" })
      .reply(200, tokenReply("access.token.two-0123456789", 600), json);
    const page = { roles: [], start: 0, limit: 100, total: 0 };
    pool
      .intercept({ path: (p) => p.startsWith(ROLES_PATH), method: "GET" })
      .reply(200, page, json)
      .times(1);
    pool
      .intercept({ path: (p) => p.startsWith(ROLES_PATH), method: "GET" })
      .reply(200, page, json)
      .delay(30)
      .times(2);
    pool
      .intercept({ path: (p) => p.startsWith(ROLES_PATH), method: "GET" })
      .reply(200, page, json)
      .times(4);
    await client.listMemberRoles(ORG, USER); // caches token one
    const slow = [client.listMemberRoles(ORG, USER), client.listMemberRoles(ORG, USER)]; // both slots, 30 ms
    const queued = Array.from({ length: 4 }, () => client.listMemberRoles(ORG, USER)); // waiting for a slot
    clock.t += 590_000; // token one is now inside its renewal margin: the next call to start renews it
    await Promise.all([...slow, ...queued]);
    expect(client.transport.stats.byEndpoint["POST oauth-token"]).to.equal(2);
  });
});
