import { expect } from "chai";
import { request } from "undici";
import { RATE_LIMIT_PROFILES } from "../../emulator/buckets";
import { DEFAULT_SEED_PATH, loadFixture } from "../../emulator/index";
import { DEFAULT_CLIENT } from "../../emulator/server";
import { startEmulator } from "../helpers/emulator";

const ORG = "org_acme000000000001";
const ADA = "auth0|69e9cd6013e3dca66bfbca39";
const ALAN = "google-oauth2|115015401343387192604";
const KEN = "auth0|69e9cd6013e3dca66bfbca43";
const EDSGER = "auth0|69e9cd6013e3dca66bfbca41"; // a member of globex, not acme
const VIEWER = "rol_viewer0000000004";
const ADMIN = "rol_admin00000000001";
const rolesPath = (org: string, user: string) =>
  `/api/v2/organizations/${encodeURIComponent(org)}/members/${encodeURIComponent(user)}/roles`;

describe("emulator fidelity (real HTTP, facts of docs/auth0-api.md)", () => {
  const ctx = startEmulator(loadFixture(DEFAULT_SEED_PATH));
  let token: string;

  async function call(
    method: string,
    path: string,
    options: { body?: unknown; token?: string | null; raw?: string; type?: string } = {},
  ) {
    const headers: Record<string, string> = {};
    const bearer = options.token === undefined ? token : options.token;
    if (bearer !== null) headers["authorization"] = `Bearer ${bearer}`;
    let body: string | undefined;
    if (options.raw !== undefined) {
      body = options.raw;
      headers["content-type"] = options.type ?? "application/json";
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] = "application/json";
    }
    const res = await request(`${ctx.emulator.url}${path}`, {
      method: method as "GET",
      headers,
      body: body ?? null,
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
  }

  beforeEach(() => {
    ctx.emulator.reset();
    token = ctx.emulator.issueToken();
  });

  describe("POST /oauth/token", () => {
    const audience = () => `${ctx.emulator.url}/api/v2/`;
    it("issues a token for client credentials (JSON body)", async () => {
      const res = await call("POST", "/oauth/token", {
        token: null,
        body: {
          grant_type: "client_credentials",
          client_id: DEFAULT_CLIENT.clientId,
          client_secret: DEFAULT_CLIENT.clientSecret,
          audience: audience(),
        },
      });
      expect(res.status).to.equal(200);
      expect(res.json).to.include({ expires_in: 86400, token_type: "Bearer" });
      expect(res.json.access_token).to.be.a("string");
      expect((await call("GET", rolesPath(ORG, ALAN), { token: res.json.access_token })).status).to.equal(
        200,
      );
    });
    it("accepts a form-encoded body", async () => {
      const form = new URLSearchParams({
        grant_type: "client_credentials",
        client_id: DEFAULT_CLIENT.clientId,
        client_secret: DEFAULT_CLIENT.clientSecret,
        audience: audience(),
      });
      const res = await call("POST", "/oauth/token", {
        token: null,
        raw: form.toString(),
        type: "application/x-www-form-urlencoded",
      });
      expect(res.status).to.equal(200);
    });
    it("401 invalid_client, 403 access_denied, 400 unsupported_grant_type", async () => {
      const base = {
        grant_type: "client_credentials",
        client_id: DEFAULT_CLIENT.clientId,
        client_secret: "wrong",
        audience: audience(),
      };
      const bad = await call("POST", "/oauth/token", { token: null, body: base });
      expect(bad.status).to.equal(401);
      expect(bad.json.error).to.equal("invalid_client");
      const aud = await call("POST", "/oauth/token", {
        token: null,
        body: { ...base, client_secret: DEFAULT_CLIENT.clientSecret, audience: "https://other/api/v2/" },
      });
      expect(aud.status).to.equal(403);
      expect(aud.json.error).to.equal("access_denied");
      const grant = await call("POST", "/oauth/token", {
        token: null,
        body: { ...base, grant_type: "password" },
      });
      expect(grant.status).to.equal(400);
      expect(grant.json.error).to.equal("unsupported_grant_type");
    });
  });

  describe("authorization on every call", () => {
    it("401 for a missing, malformed and expired token, with attributes.error", async () => {
      const missing = await call("GET", rolesPath(ORG, ALAN), { token: null });
      expect(missing.status).to.equal(401);
      expect(missing.json).to.deep.include({
        statusCode: 401,
        error: "Unauthorized",
        message: "Missing authentication",
      });
      const malformed = await call("GET", rolesPath(ORG, ALAN), { token: "not-a-token" });
      expect(malformed.json).to.deep.equal({
        statusCode: 401,
        error: "Unauthorized",
        message: "Invalid token",
        attributes: { error: "Invalid token" },
      });
      const expired = await call("GET", rolesPath(ORG, ALAN), {
        token: ctx.emulator.issueToken(undefined, -1),
      });
      expect(expired.json.message).to.equal("Expired token received for JSON Web Token validation");
      expect(expired.json).not.to.have.property("errorCode");
    });
    it("403 insufficient_scope naming the scope", async () => {
      const res = await call("POST", rolesPath(ORG, ADA), {
        token: ctx.emulator.issueToken(["read:organization_member_roles"]),
        body: { roles: [ADMIN] },
      });
      expect(res.status).to.equal(403);
      expect(res.json).to.deep.equal({
        statusCode: 403,
        error: "Forbidden",
        message: "Insufficient scope, expected any of: create:organization_member_roles",
        errorCode: "insufficient_scope",
      });
    });
    it("a token without a scope claim (or another type there) holds no scope: 403 insufficient_scope, not a 500", async () => {
      // Found by a break-it run: such a token crashed the handler. Signed by the emulator's own issuer.
      const issuer = (ctx.emulator as unknown as { issuer: { issue(c: object): string } }).issuer;
      const exp = Date.now() + 60_000;
      for (const claims of [
        { sub: "x@clients", exp },
        { sub: "x@clients", exp, scope: ["read:roles"] },
      ]) {
        const res = await call("GET", rolesPath(ORG, ADA), { token: issuer.issue(claims) });
        expect(res.status).to.equal(403);
        expect(res.json.errorCode).to.equal("insufficient_scope");
      }
    });
    it("asking the members listing for roles needs read:organization_member_roles too", async () => {
      const res = await call(
        "GET",
        `/api/v2/organizations/${ORG}/members?fields=user_id,roles&include_fields=true`,
        {
          token: ctx.emulator.issueToken(["read:organization_members"]),
        },
      );
      expect(res.status).to.equal(403);
      expect(res.json.message).to.contain("read:organization_member_roles");
    });
  });

  describe("member roles", () => {
    it('GET without totals is a bare array; a role without description reads back description: ""', async () => {
      const res = await call("GET", rolesPath(ORG, ALAN));
      expect(res.status).to.equal(200);
      expect(res.json).to.deep.equal([{ id: VIEWER, name: "viewer", description: "" }]);
    });
    it("GET with totals is {roles, start, limit, total}; limit echoes per_page", async () => {
      const res = await call("GET", `${rolesPath(ORG, ALAN)}?include_totals=true&per_page=7&page=0`);
      expect(res.json).to.deep.equal({
        roles: [{ id: VIEWER, name: "viewer", description: "" }],
        start: 0,
        limit: 7,
        total: 1,
      });
    });
    it("per_page above 100 is 400 invalid_query_string", async () => {
      const res = await call("GET", `${rolesPath(ORG, ALAN)}?per_page=101`);
      expect(res.status).to.equal(400);
      expect(res.json.errorCode).to.equal("invalid_query_string");
    });
    it("the three 404s: unknown organization, unknown user, not a member", async () => {
      const org = await call("GET", rolesPath("org_nope000000000000", ALAN));
      expect(org.status).to.equal(404);
      expect(org.json).to.deep.equal({
        statusCode: 404,
        error: "Not Found",
        message: "No organization found by that id or name",
      });
      const user = await call("GET", rolesPath(ORG, "auth0|nobody"));
      expect(user.json).to.deep.include({
        message: "The user does not exist.",
        errorCode: "inexistent_user",
      });
      const notMember = await call("GET", rolesPath(ORG, EDSGER));
      expect(notMember.json).to.deep.include({
        statusCode: 404,
        message: "User is not a member of this organization",
      });
    });
    it("POST answers 204 with an empty body and assigns; re-assigning changes nothing", async () => {
      const res = await call("POST", rolesPath(ORG, ADA), { body: { roles: [ADMIN] } });
      expect(res.status).to.equal(204);
      expect(res.text).to.equal("");
      expect((await call("POST", rolesPath(ORG, ADA), { body: { roles: [ADMIN] } })).status).to.equal(204);
      expect(ctx.emulator.rolesOf(ORG, ADA)).to.deep.equal([ADMIN]);
    });
    it("POST validates the body: at least one role, no other property, known role IDs", async () => {
      const empty = await call("POST", rolesPath(ORG, ADA), { body: { roles: [] } });
      expect(empty.status).to.equal(400);
      expect(empty.json.errorCode).to.equal("invalid_body");
      const extra = await call("POST", rolesPath(ORG, ADA), { body: { roles: [ADMIN], x: 1 } });
      expect(extra.json.message).to.contain("Additional properties not allowed: x");
      const unknown = await call("POST", rolesPath(ORG, ADA), { body: { roles: ["rol_doesnotexist0000"] } });
      expect(unknown.json.message).to.contain("rol_doesnotexist0000");
    });
    it("POST accepts a form-encoded body", async () => {
      const res = await call("POST", rolesPath(ORG, ADA), {
        raw: `roles=${ADMIN}&roles=${VIEWER}`,
        type: "application/x-www-form-urlencoded",
      });
      expect(res.status).to.equal(204);
      expect(ctx.emulator.rolesOf(ORG, ADA)).to.deep.equal([ADMIN, VIEWER].sort());
    });
    it("POST past the per-member cap is 409 and assigns nothing", async () => {
      ctx.emulator.reset();
      const small = await (async () => {
        const { Emulator } = await import("../../emulator/server");
        return Emulator.start({ fixture: loadFixture(DEFAULT_SEED_PATH), roleCap: 2 });
      })();
      try {
        const t = small.issueToken();
        const res = await request(`${small.url}${rolesPath(ORG, ALAN)}`, {
          method: "POST",
          headers: { authorization: `Bearer ${t}`, "content-type": "application/json" },
          body: JSON.stringify({ roles: [ADMIN, "rol_support000000005"] }),
        });
        expect(res.statusCode).to.equal(409);
        expect(await res.body.json()).to.deep.equal({
          statusCode: 409,
          error: "Conflict",
          message: "No more roles can be assigned to this organization member.",
        });
        expect(small.rolesOf(ORG, ALAN)).to.deep.equal([VIEWER]);
      } finally {
        await small.stop();
      }
    });
    it("DELETE answers 204 also for roles the member does not have; without a body it is 400", async () => {
      expect((await call("DELETE", rolesPath(ORG, ALAN), { body: { roles: [ADMIN] } })).status).to.equal(204);
      expect(ctx.emulator.rolesOf(ORG, ALAN)).to.deep.equal([VIEWER]);
      expect((await call("DELETE", rolesPath(ORG, ALAN), { body: { roles: [VIEWER] } })).status).to.equal(
        204,
      );
      expect(ctx.emulator.rolesOf(ORG, ALAN)).to.deep.equal([]);
      const none = await call("DELETE", rolesPath(ORG, ALAN));
      expect(none.json).to.deep.equal({
        statusCode: 400,
        error: "Bad Request",
        message: "Payload validation error: 'Expected type object but found type null'.",
        errorCode: "invalid_body",
      });
    });
    it("an organization ID over 50 characters is 400 invalid_uri", async () => {
      const res = await call("GET", rolesPath(`org_${"x".repeat(60)}`, ALAN));
      expect(res.status).to.equal(400);
      expect(res.json.errorCode).to.equal("invalid_uri");
    });
  });

  describe("members", () => {
    it("checkpoint paging: next on the last page too, then {members: []} with no next", async () => {
      const first = await call(
        "GET",
        `/api/v2/organizations/${ORG}/members?take=3&fields=user_id,roles&include_fields=true`,
      );
      expect(first.json.members).to.have.length(3);
      expect(first.json.next).to.be.a("string");
      const second = await call(
        "GET",
        `/api/v2/organizations/${ORG}/members?take=3&from=${first.json.next}&fields=user_id,roles&include_fields=true`,
      );
      expect(second.json.members).to.have.length(1);
      expect(second.json.next).to.be.a("string");
      const third = await call("GET", `/api/v2/organizations/${ORG}/members?take=3&from=${second.json.next}`);
      expect(third.json).to.deep.equal({ members: [] });
    });
    it("a `from` cursor it did not issue answers 400 invalid_query_string, not an empty page", async () => {
      const first = await call("GET", `/api/v2/organizations/${ORG}/members?take=1`);
      expect(first.status).to.equal(200);
      const forged = Buffer.from("auth0|zzzz", "utf8").toString("base64url");
      for (const from of ["garbage", "%%%", forged, `${first.json.next}x`]) {
        const res = await call("GET", `/api/v2/organizations/${ORG}/members?take=3&from=${from}`);
        expect(res.status, from).to.equal(400);
        expect(res.json.errorCode, from).to.equal("invalid_query_string");
      }
    });
    it("fields=roles returns each member's roles as {id, name}", async () => {
      const res = await call(
        "GET",
        `/api/v2/organizations/${ORG}/members?take=100&fields=user_id,roles&include_fields=true`,
      );
      const alan = res.json.members.find((m: { user_id: string }) => m.user_id === ALAN);
      expect(alan).to.deep.equal({ user_id: ALAN, roles: [{ id: VIEWER, name: "viewer" }] });
    });
    it("offset paging with totals, and 400 invalid_paging beyond 1000 records", async () => {
      const res = await call(
        "GET",
        `/api/v2/organizations/${ORG}/members?page=0&per_page=2&include_totals=true`,
      );
      expect(res.json).to.include({ start: 0, limit: 2, total: 4 });
      expect(res.json.members[0]).not.to.have.property("roles");
      const beyond = await call("GET", `/api/v2/organizations/${ORG}/members?page=10&per_page=100`);
      expect(beyond.status).to.equal(400);
      expect(beyond.json.errorCode).to.equal("invalid_paging");
    });
    it("POST adds members (at most 10 a request)", async () => {
      expect(
        (await call("POST", `/api/v2/organizations/${ORG}/members`, { body: { members: [EDSGER] } })).status,
      ).to.equal(204);
      expect(ctx.emulator.rolesOf(ORG, EDSGER)).to.deep.equal([]);
      const tooMany = await call("POST", `/api/v2/organizations/${ORG}/members`, {
        body: { members: Array(11).fill(EDSGER) },
      });
      expect(tooMany.status).to.equal(400);
    });
    it("the listing lags behind writes when the switch is on; member roles GET does not", async () => {
      ctx.emulator.setFaults({ listingLagMs: 60_000 });
      await call("POST", rolesPath(ORG, KEN), { body: { roles: [ADMIN] } });
      const listing = await call(
        "GET",
        `/api/v2/organizations/${ORG}/members?take=100&fields=user_id,roles&include_fields=true`,
      );
      const ken = listing.json.members.find((m: { user_id: string }) => m.user_id === KEN);
      expect(ken.roles.map((r: { id: string }) => r.id)).not.to.include(ADMIN);
      expect((await call("GET", rolesPath(ORG, KEN))).json.map((r: { id: string }) => r.id)).to.include(
        ADMIN,
      );
    });
  });

  describe("roles and organizations", () => {
    it("GET /roles with name_filter (case-insensitive) and totals; GET /roles/{id} 404 as recorded real traffic words it", async () => {
      const res = await call("GET", "/api/v2/roles?name_filter=ADM&include_totals=true");
      expect(res.json.roles.map((r: { id: string }) => r.id)).to.deep.equal([ADMIN]);
      expect(res.json.total).to.equal(1);
      expect((await call("GET", `/api/v2/roles/${ADMIN}`)).json.name).to.equal("admin");
      const missing = await call("GET", "/api/v2/roles/rol_nope000000000000");
      expect(missing.status).to.equal(404);
      // go-auth0 test/data/recordings/TestRoleManager_Delete.yaml: no errorCode (the OpenAPI description says "Role not found.").
      expect(missing.json.message).to.equal("The role does not exist.");
      expect(missing.json.errorCode).to.equal(undefined);
    });
    it("GET /organizations/{id}", async () => {
      expect((await call("GET", `/api/v2/organizations/${ORG}`)).json).to.include({ id: ORG, name: "acme" });
    });
  });

  describe("rate limits", () => {
    it("x-ratelimit-* on every response, and the documented 429 body when a bucket is empty", async () => {
      ctx.emulator.setRateLimits(RATE_LIMIT_PROFILES.enterprise);
      try {
        const statuses: number[] = [];
        let last: Awaited<ReturnType<typeof call>> | undefined;
        for (let i = 0; i < 22; i++) {
          last = await call("GET", rolesPath(ORG, ALAN));
          statuses.push(last.status);
          expect(last.headers).to.include.keys(
            "x-ratelimit-limit",
            "x-ratelimit-remaining",
            "x-ratelimit-reset",
          );
        }
        expect(statuses.slice(0, 20).every((s) => s === 200)).to.equal(true);
        expect(statuses).to.include(429);
        expect(last!.json).to.deep.equal({
          statusCode: 429,
          error: "Too Many Requests",
          message: "Global limit has been reached",
          errorCode: "too_many_requests",
        });
        expect(last!.headers["x-ratelimit-limit"]).to.equal("20");
        expect(Number(last!.headers["x-ratelimit-reset"])).to.be.at.least(Math.floor(Date.now() / 1000));
      } finally {
        ctx.emulator.setRateLimits(RATE_LIMIT_PROFILES.none);
      }
    });
  });

  describe("faults and robustness", () => {
    it("fails the next N requests with 503 and counts every request", async () => {
      ctx.emulator.setFaults({ failNext: { count: 2, status: 503 } });
      expect((await call("GET", rolesPath(ORG, ALAN))).status).to.equal(503);
      expect((await call("GET", rolesPath(ORG, ALAN))).status).to.equal(503);
      expect((await call("GET", rolesPath(ORG, ALAN))).status).to.equal(200);
      expect(ctx.emulator.count({ route: "member-roles", status: 503 })).to.equal(2);
      expect(ctx.emulator.count({ method: "GET", route: "member-roles" })).to.equal(3);
    });
    it("fails after applying when failPhase is after (the write happened)", async () => {
      ctx.emulator.setFaults({ failNext: { count: 1, status: 500 }, failPhase: "after" });
      expect((await call("POST", rolesPath(ORG, ADA), { body: { roles: [ADMIN] } })).status).to.equal(500);
      expect(ctx.emulator.rolesOf(ORG, ADA)).to.deep.equal([ADMIN]);
    });
    it("resets connections", async () => {
      ctx.emulator.setFaults({ resetNext: 1 });
      let failed = false;
      await call("GET", rolesPath(ORG, ALAN)).catch(() => {
        failed = true;
      });
      expect(failed).to.equal(true);
      expect(ctx.emulator.count({ status: "reset" })).to.equal(1);
    });
    it("expires every token issued so far after N requests (a token expiring mid-run)", async () => {
      ctx.emulator.setFaults({ expireTokensAfter: 1 });
      expect((await call("GET", rolesPath(ORG, ALAN))).status).to.equal(200);
      const expired = await call("GET", rolesPath(ORG, ALAN));
      expect(expired.status).to.equal(401);
      expect(expired.json.message).to.equal("Expired token received for JSON Web Token validation");
      expect((await call("GET", rolesPath(ORG, ALAN), { token: ctx.emulator.issueToken() })).status).to.equal(
        200,
      );
    });
    it("delays the next N answers (slower than a client's timeout)", async () => {
      ctx.emulator.setFaults({ slowNext: { count: 1, ms: 300 } });
      let start = performance.now();
      await call("GET", rolesPath(ORG, ALAN));
      expect(performance.now() - start).to.be.at.least(290);
      start = performance.now();
      await call("GET", rolesPath(ORG, ALAN));
      expect(performance.now() - start).to.be.below(290);
    });
    it("a 429 storm answers 429 with the reset seconds away", async () => {
      ctx.emulator.setFaults({ storm: { requests: 2, resetInSeconds: 5 } });
      const res = await call("GET", rolesPath(ORG, ALAN));
      expect(res.status).to.equal(429);
      expect(Number(res.headers["x-ratelimit-reset"])).to.be.at.least(Math.ceil(Date.now() / 1000) + 4);
    });
    it("malformed JSON, unknown routes and huge bodies get the error envelope, and it keeps serving", async () => {
      const bad = await call("POST", rolesPath(ORG, ADA), { raw: "{not json" });
      expect(bad.status).to.equal(400);
      expect(bad.json).to.include({ statusCode: 400 });
      const unknown = await call("GET", "/api/v2/nothing-here");
      expect(unknown.json).to.deep.equal({ statusCode: 404, error: "Not Found", message: "Not Found" });
      const huge = await call("POST", rolesPath(ORG, ADA), {
        raw: JSON.stringify({ roles: ["x".repeat(2_000_000)] }),
      }).catch(() => ({ status: 413 }));
      expect(huge.status).to.equal(413);
      expect((await call("GET", rolesPath(ORG, ALAN))).status).to.equal(200);
    });
  });
});
