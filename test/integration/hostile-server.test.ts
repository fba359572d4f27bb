import type { ServerResponse } from "node:http";
import { expect } from "chai";
import { DEFAULT_CLIENT, Emulator } from "../../emulator/server";
import type { ErrorKind } from "../../src/client/classify";
import { ManagementApiError } from "../../src/client/errors";
import { type ClientOptions, ManagementClient } from "../../src/client/management-client";
import { impl, type Stored } from "../helpers/drive";
import { ORG, role, tenant, user } from "../helpers/fixtures";
import { HostileApi, json, tooManyRequests, trickle } from "../helpers/hostile-api";

const TOKEN = "static.token.for-hostile-tests-0123456789";
const MEMBER_ROLES = `/api/v2/organizations/${ORG}/members/`;
const MEMBERS = `/api/v2/organizations/${ORG}/members`;
const seconds = (ms: number) => String(Math.floor(ms / 1000));

/** Runs `work`, expecting a ManagementApiError; returns it with the time it took. */
async function timedFailure(work: () => Promise<unknown>): Promise<{ err: ManagementApiError; ms: number }> {
  const started = Date.now();
  try {
    await work();
  } catch (err) {
    if (!(err instanceof ManagementApiError)) throw err;
    return { err, ms: Date.now() - started };
  }
  throw new Error("expected a ManagementApiError, the call succeeded");
}

async function timedError(work: () => Promise<unknown>): Promise<{ err: Error; ms: number }> {
  const started = Date.now();
  try {
    await work();
  } catch (err) {
    return { err: err as Error, ms: Date.now() - started };
  }
  throw new Error("expected a failure, the call succeeded");
}

function expectKind(err: ManagementApiError, kind: ErrorKind): void {
  expect(err.kind, err.message).to.equal(kind);
}

const rolesPage = (ids: string[], start: number, total: number) => ({
  roles: ids.map((id) => ({ id, name: id, description: "" })),
  start,
  limit: ids.length,
  total,
});
const membersPage = (ids: string[], next?: string) => ({
  members: ids.map((id) => ({ user_id: id, roles: [] })),
  ...(next ? { next } : {}),
});
/** The offset form of the members listing (`page`, `include_totals`). */
const membersOffsetPage = (ids: string[], start: number, total: number) => ({
  members: ids.map((id) => ({ user_id: id, roles: [] })),
  start,
  limit: 100,
  total,
});

describe("a misbehaving Management API: every wait, page and body is bounded, every failure named", () => {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.name);
  before(() => process.on("warning", onWarning));
  after(() => process.off("warning", onWarning));
  beforeEach(() => {
    warnings.length = 0;
  });
  afterEach(() => expect(warnings, "process warnings").not.to.include("TimeoutOverflowWarning"));

  describe("the client, against a server on loopback", () => {
    let api: HostileApi;
    const clients: ManagementClient[] = [];
    before(async () => {
      api = await HostileApi.start();
    });
    after(() => api.stop());
    beforeEach(() => api.reset());
    afterEach(async () => {
      await Promise.all(clients.splice(0).map((c) => c.close()));
    });
    const connect = (options: ClientOptions = {}) => {
      const client = ManagementClient.connect(
        { baseUrl: api.url, credentials: { kind: "token", token: TOKEN } },
        { backoffBaseMs: 20, ...options },
      );
      clients.push(client);
      return client;
    };
    const onMemberRoles = (answer: (res: ServerResponse, url: URL) => void) =>
      api.misbehave((_req, res, url) => {
        if (!url.pathname.startsWith(MEMBER_ROLES)) return false;
        answer(res, url);
        return true;
      });
    const readRoles = (client: ManagementClient) => client.listMemberRoles(ORG, user(1));

    describe("rate-limit headers", () => {
      it("a 429 whose reset is an hour ahead fails at once with wait-limit, naming the reset and maxWaitSeconds", async () => {
        const reset = Date.now() + 3_600_000;
        onMemberRoles((res) =>
          tooManyRequests(res, {
            "x-ratelimit-limit": "20",
            "x-ratelimit-remaining": "0",
            "x-ratelimit-reset": seconds(reset),
          }),
        );
        const { err, ms } = await timedFailure(() => readRoles(connect()));
        expectKind(err, "wait-limit");
        expect(err.status).to.equal(429);
        expect(err.message)
          .to.contain("orgMemberRoles:maxWaitSeconds")
          .and.contain(new Date(Math.floor(reset / 1000) * 1000).toISOString().slice(0, 16));
        expect(ms).to.be.below(1_000);
        expect(api.count(MEMBER_ROLES)).to.equal(1);
      });

      it("a Retry-After of a day fails at once with wait-limit", async () => {
        onMemberRoles((res) => tooManyRequests(res, { "retry-after": "86400" }));
        const { err, ms } = await timedFailure(() => readRoles(connect()));
        expectKind(err, "wait-limit");
        expect(err.hint).to.contain("Retry-After 86400").and.contain("maxWaitSeconds");
        expect(ms).to.be.below(1_000);
      });

      it("a reset sent in milliseconds with remaining 0 on every answer: each read is sent and completes, no spin", async () => {
        let served = 0;
        onMemberRoles((res) =>
          json(res, 200, rolesPage([role(served++)], 0, 1), {
            "x-ratelimit-limit": "20",
            "x-ratelimit-remaining": "0",
            "x-ratelimit-reset": String(Date.now() + 200),
          }),
        );
        const client = connect();
        const started = Date.now();
        for (let i = 0; i < 3; i++) expect(await readRoles(client)).to.have.length(1);
        expect(Date.now() - started).to.be.below(3 * 3 * 250);
        expect(api.count(MEMBER_ROLES)).to.equal(3);
      });

      const stormCases: Array<[string, () => string, RegExp]> = [
        ["in milliseconds", () => String(Date.now() + 100), /in milliseconds, not seconds; read as such/],
        ["in the past", () => seconds(Date.now() - 30_000), /is already past; backed off instead/],
        ["years ahead", () => seconds(Date.now() + 5 * 365 * 86_400_000), /more than a day ahead/],
        ["garbage", () => "soon-ish", /"soon-ish" is not a time in seconds; ignored/],
      ];
      for (const [name, reset, note] of stormCases) {
        it(`429s with a reset ${name}: bounded retries on a bounded wait, then rate-limited, saying so`, async () => {
          onMemberRoles((res) =>
            tooManyRequests(res, {
              "x-ratelimit-limit": "20",
              "x-ratelimit-remaining": "0",
              "x-ratelimit-reset": reset(),
            }),
          );
          const { err, ms } = await timedFailure(() => readRoles(connect({ retryBudget: 4 })));
          expectKind(err, "rate-limited");
          expect(err.message).to.match(note).and.contain("retry budget is spent (at most 4 retries a minute");
          expect(api.count(MEMBER_ROLES)).to.equal(5);
          // Backoffs of at most 20, 40, 80, 160 ms, or resets 100 ms away: well under a second in all.
          expect(ms).to.be.below(3 * 1_000);
        });
      }

      it("429s with a reset in the past back off instead of retrying at once", async () => {
        const times: number[] = [];
        onMemberRoles((res) => {
          times.push(Date.now());
          tooManyRequests(res, {
            "x-ratelimit-limit": "20",
            "x-ratelimit-remaining": "0",
            "x-ratelimit-reset": seconds(Date.now() - 30_000),
          });
        });
        await timedFailure(() => readRoles(connect({ retryBudget: 3, backoffBaseMs: 100 })));
        // Full-jitter backoff: at least half of 100, 200, 400 ms between the four tries.
        expect(times[3]! - times[0]!).to.be.at.least(350 - 20);
      });
    });

    describe("deadlines", () => {
      it("the request timeout covers the whole answer: a body trickling a byte every 150 ms times out at 500 ms", async () => {
        onMemberRoles((res) => trickle(res, JSON.stringify(rolesPage([role(1), role(2)], 0, 2)), 150));
        const { err, ms } = await timedFailure(() =>
          readRoles(connect({ requestTimeoutMs: 500, maxRetriesPerRequest: 0 })),
        );
        expectKind(err, "timeout");
        expect(err.hint).to.contain("within 500 ms").and.contain("orgMemberRoles:requestTimeoutMs");
        expect(ms)
          .to.be.at.least(450)
          .and.below(3 * 500);
      });

      it("the operation deadline ends a run of 429s each reset a second away", async () => {
        onMemberRoles((res) =>
          tooManyRequests(res, {
            "x-ratelimit-limit": "20",
            "x-ratelimit-remaining": "0",
            "x-ratelimit-reset": seconds(Date.now() + 1_000),
          }),
        );
        const { err, ms } = await timedFailure(() =>
          readRoles(connect({ operationTimeoutMs: 1_500, retryBudget: 1_000 })),
        );
        expectKind(err, "wait-limit");
        expect(err.hint).to.contain("orgMemberRoles:operationTimeoutSeconds").and.contain("deadline");
        expect(ms).to.be.below(3 * 1_500);
      });

      it("an answer larger than the size bound is cut off and named, not read to the end", async function () {
        this.timeout(20_000);
        onMemberRoles((res) => {
          res.writeHead(200, { "content-type": "application/json" });
          const chunk = Buffer.alloc(1024 * 1024, 0x20);
          let sent = 0;
          const pump = () => {
            while (sent < 64 && res.write(chunk)) sent++;
            if (sent < 64) res.once("drain", pump);
            else res.end();
          };
          pump();
        });
        const { err } = await timedFailure(() => readRoles(connect({ maxRetriesPerRequest: 0 })));
        expectKind(err, "unexpected-response");
        expect(err.hint).to.contain("larger than");
      });
    });

    describe("paging", () => {
      it("checkpoint paging: a `next` that repeats stops with paging-loop after two pages", async () => {
        let page = 0;
        api.misbehave((_req, res, url) => {
          if (url.pathname !== MEMBERS) return false;
          page++;
          json(res, 200, membersPage([user(page * 2), user(page * 2 + 1)], "same-cursor"));
          return true;
        });
        const { err, ms } = await timedFailure(() => connect().listMembersWithRoles(ORG));
        expectKind(err, "paging-loop");
        expect(err.hint).to.contain("a cursor already followed");
        expect(api.count(MEMBERS)).to.equal(2);
        expect(ms).to.be.below(1_000);
      });

      it("checkpoint paging: a page that repeats the previous one (fresh cursors) stops with paging-loop", async () => {
        let page = 0;
        api.misbehave((_req, res, url) => {
          if (url.pathname !== MEMBERS) return false;
          json(res, 200, membersPage([user(1), user(2)], `cursor-${page++}`));
          return true;
        });
        const { err } = await timedFailure(() => connect().listMembersWithRoles(ORG));
        expectKind(err, "paging-loop");
        expect(err.hint).to.contain("repeats the previous page");
        expect(api.count(MEMBERS)).to.equal(2);
      });

      it("checkpoint paging: pages going round the same members under new cursors stop with paging-loop", async () => {
        let page = 0;
        api.misbehave((_req, res, url) => {
          if (url.pathname !== MEMBERS) return false;
          const ids = page % 2 === 0 ? [user(1), user(2)] : [user(3), user(4)];
          json(res, 200, membersPage(ids, `cursor-${page++}`));
          return true;
        });
        const { err } = await timedFailure(() => connect().listMembersWithRoles(ORG));
        expectKind(err, "paging-loop");
        expect(err.hint).to.contain("already listed");
        expect(api.count(MEMBERS)).to.equal(3);
      });

      it("offset paging: a server that ignores `page` stops with paging-loop on the second page", async () => {
        onMemberRoles((res) => json(res, 200, rolesPage([role(1), role(2)], 0, 10)));
        const { err } = await timedFailure(() => readRoles(connect()));
        expectKind(err, "paging-loop");
        expect(err.hint).to.contain("ignores `page`");
        expect(api.count(MEMBER_ROLES)).to.equal(2);
      });

      it("offset paging: more pages than the first total allows stop with paging-loop", async () => {
        onMemberRoles((res, url) => {
          const page = Number(url.searchParams.get("page"));
          // New roles on every page, but `start` never moves: the listing would never reach total 10.
          json(res, 200, rolesPage([role(page * 2), role(page * 2 + 1)], 0, 10));
        });
        const { err } = await timedFailure(() => readRoles(connect()));
        expectKind(err, "paging-loop");
        expect(err.hint).to.contain("total 10 at 2 a page (6 pages at most)");
        expect(api.count(MEMBER_ROLES)).to.equal(6);
      });

      it("roles listing: a server that ignores `page` stops with paging-loop too", async () => {
        api.misbehave((_req, res, url) => {
          if (url.pathname !== "/api/v2/roles") return false;
          json(res, 200, rolesPage([role(1), role(2)], 0, 10));
          return true;
        });
        const { err } = await timedFailure(() => connect().listRoles());
        expectKind(err, "paging-loop");
      });
    });

    it("every field copied from an answer goes through redaction: errorCode, message and header values", async () => {
      onMemberRoles((res) =>
        json(res, 400, {
          statusCode: 400,
          error: "Bad Request",
          message: `Payload validation error: token ${TOKEN}\n[fake log line]`,
          errorCode: `invalid_body ${TOKEN}`,
        }),
      );
      const { err } = await timedFailure(() => readRoles(connect()));
      expectKind(err, "invalid-request");
      const text = `${err.message} ${err.errorCode} ${err.apiMessage} ${err.hint} ${JSON.stringify(err)}`;
      expect(text).not.to.contain(TOKEN);
      expect(err.errorCode).to.equal("invalid_body [redacted]");
      expect(err.apiMessage).not.to.contain("\n");

      api.reset();
      onMemberRoles((res) => tooManyRequests(res, { "retry-after": `Bearer ${TOKEN}` }));
      const second = await timedFailure(() => readRoles(connect({ retryBudget: 0 })));
      expect(`${second.err.message} ${JSON.stringify(second.err)}`).not.to.contain(TOKEN);
    });
  });

  describe("the provider's read and apply paths, against a misbehaving server in front of the emulator", () => {
    let emulator: Emulator;
    let api: HostileApi;
    // Four members: a refresh lists the organization (one call per 100 members) rather than reading one by one.
    const declared = {
      [user(0)]: [role(1)],
      [user(1)]: [role(2)],
      [user(2)]: [role(1), role(3)],
      [user(3)]: [role(4)],
    };
    const stored = (): Stored => ({
      id: `${ORG}/hostile`,
      outputs: { organizationId: ORG, mode: "authoritative", members: declared, declared, tenantDiffers: {} },
    });
    const configure = (extra: Record<string, string> = {}) =>
      impl.configureWith({
        "auth0:domain": api.url,
        "auth0:clientId": DEFAULT_CLIENT.clientId,
        "auth0:clientSecret": DEFAULT_CLIENT.clientSecret,
        "auth0:audience": `${emulator.url}/api/v2/`,
        "orgMemberRoles:concurrency": "4",
        ...extra,
      });
    const tenantNow = () => Object.keys(declared).map((u) => emulator.rolesOf(ORG, u));

    before(async () => {
      emulator = await Emulator.start({ fixture: tenant(20, 10) });
      api = await HostileApi.start(emulator.url);
    });
    after(async () => {
      await impl.configureWith({});
      await api.stop();
      await emulator.stop();
    });
    beforeEach(async () => {
      emulator.reset();
      for (const [u, roles] of Object.entries(declared)) emulator.setRolesOf(ORG, u, roles);
      emulator.resetCounters();
      api.reset();
      await configure();
    });

    /** The tenant and the stored state are what they were: nothing was written. */
    async function expectUnchanged(before: Array<string[] | undefined>, state: Stored) {
      expect(emulator.writes()).to.equal(0);
      expect(tenantNow()).to.deep.equal(before);
      expect(state).to.deep.equal(stored());
    }

    it("refresh: the members listing ignores `page` (the same page again): paging-loop, in bounded time, nothing changed", async () => {
      const state = stored();
      const before = tenantNow();
      api.misbehave((_req, res, url) => {
        if (url.pathname !== MEMBERS) return false;
        // 100 members, none declared: 4 members to read one by one cost more than the 2 pages left.
        json(
          res,
          200,
          membersOffsetPage(
            Array.from({ length: 100 }, (_, i) => user(10 + i)),
            0,
            250,
          ),
        );
        return true;
      });
      const { err, ms } = await timedFailure(() => impl.read(state.id, state.outputs));
      expectKind(err, "paging-loop");
      expect(err.hint).to.contain("page 1 repeats page 0");
      expect(ms).to.be.below(2_000);
      await expectUnchanged(before, state);
    });

    it("refresh: a member-roles read that ignores `page`: paging-loop", async () => {
      await configure();
      const state: Stored = {
        id: `${ORG}/hostile`,
        outputs: {
          organizationId: ORG,
          mode: "authoritative",
          members: { [user(0)]: [role(1)] },
          tenantDiffers: {},
          declared: { [user(0)]: [role(1)] },
        },
      };
      api.misbehave((_req, res, url) => {
        if (!url.pathname.startsWith(MEMBER_ROLES)) return false;
        json(res, 200, rolesPage([role(1), role(2)], 0, 50));
        return true;
      });
      const { err, ms } = await timedFailure(() => impl.read(state.id, state.outputs));
      expectKind(err, "paging-loop");
      expect(ms).to.be.below(2_000);
      expect(emulator.writes()).to.equal(0);
    });

    it("refresh: a 429 whose reset is an hour ahead: wait-limit at once, naming the reset and the setting", async () => {
      const state = stored();
      const before = tenantNow();
      api.misbehave((_req, res, url) => {
        if (!url.pathname.startsWith("/api/v2/")) return false;
        tooManyRequests(res, {
          "x-ratelimit-limit": "50",
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": seconds(Date.now() + 3_600_000),
        });
        return true;
      });
      const { err, ms } = await timedFailure(() => impl.read(state.id, state.outputs));
      expectKind(err, "wait-limit");
      expect(err.message).to.contain("orgMemberRoles:maxWaitSeconds").and.contain("429");
      expect(ms).to.be.below(2_000);
      await expectUnchanged(before, state);
    });

    it("refresh: resets in milliseconds with remaining 0 on every answer: the read completes, no spin", async () => {
      const state = stored();
      api.decorate(() => ({
        "x-ratelimit-limit": "50",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(Date.now() + 100),
      }));
      const started = Date.now();
      const result = await impl.read(state.id, state.outputs);
      expect(Date.now() - started).to.be.below(3_000);
      expect(result.props?.["members"]).to.deep.equal(declared);
      expect(api.count("/api/v2/")).to.be.below(10);
    });

    it("refresh: the listing's body trickles a byte every 150 ms: timeout after requestTimeoutMs", async () => {
      await configure({ "orgMemberRoles:requestTimeoutMs": "400", "orgMemberRoles:retryBudget": "1" });
      const state = stored();
      api.misbehave((_req, res, url) => {
        if (url.pathname !== MEMBERS) return false;
        trickle(res, JSON.stringify(membersPage([user(0), user(1)])), 150);
        return true;
      });
      const { err, ms } = await timedFailure(() => impl.read(state.id, state.outputs));
      expectKind(err, "timeout");
      // Two tries of 400 ms and one backoff of at most 250 ms.
      expect(ms).to.be.below(3 * (2 * 400 + 250));
      expect(api.count(MEMBERS)).to.equal(2);
    });

    it("refresh: the members listing never reaches the total it promises: paging-loop after the pages that total allows, tenant unchanged", async () => {
      const before = tenantNow();
      let page = 0;
      api.misbehave((_req, res, url) => {
        if (url.pathname !== MEMBERS) return false;
        // Pages of 100 new members each, none declared, always at `start` 0 of the 250 promised.
        const members = Array.from({ length: 100 }, (_, i) => user(1000 + page * 100 + i));
        page++;
        json(res, 200, membersOffsetPage(members, 0, 250));
        return true;
      });
      const state = stored();
      const { err } = await timedFailure(() => impl.read(state.id, state.outputs));
      expectKind(err, "paging-loop");
      expect(api.count(MEMBERS)).to.equal(4);
      expect(emulator.writes()).to.equal(0);
      expect(tenantNow()).to.deep.equal(before);
    });

    it("refresh: a member listed twice with different roles is read from the primary store, not taken from either entry", async () => {
      const state = stored();
      api.misbehave((_req, res, url) => {
        if (url.pathname !== MEMBERS) return false;
        const entry = (roles: string[]) => ({ user_id: user(0), roles: roles.map((id) => ({ id })) });
        json(res, 200, {
          members: [
            entry([role(7)]),
            ...[1, 2, 3].map((i) => ({ user_id: user(i), roles: [] })),
            entry([role(8)]),
          ],
          start: 0,
          limit: 100,
          total: 5,
        });
        return true;
      });
      const after = await impl.read(state.id, state.outputs);
      expect((after.props as { members: Record<string, string[]> }).members[user(0)]).to.deep.equal(
        emulator.rolesOf(ORG, user(0)),
      );
    });

    it("update: writes answered 429 with a reset an hour ahead: fails naming maxWaitSeconds, tenant unchanged", async () => {
      const state = stored();
      const before = tenantNow();
      api.misbehave((req, res, url) => {
        if (!url.pathname.startsWith(MEMBER_ROLES) || req.method === "GET") return false;
        tooManyRequests(res, {
          "x-ratelimit-limit": "20",
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": seconds(Date.now() + 3_600_000),
        });
        return true;
      });
      const { err, ms } = await timedError(() =>
        impl.update(state.id, state.outputs, {
          organizationId: ORG,
          mode: "authoritative",
          members: { ...declared, [user(0)]: [role(5)], [user(1)]: [role(6)] },
        }),
      );
      expect(err.message).to.contain("2 of 2 members failed").and.contain("orgMemberRoles:maxWaitSeconds");
      expect(ms).to.be.below(2_000);
      await expectUnchanged(before, state);
    });

    it("update: a 429 answered with the reset in milliseconds on every write: rate-limited when the budget is spent", async () => {
      await configure({ "orgMemberRoles:retryBudget": "3" });
      const state = stored();
      const before = tenantNow();
      api.misbehave((req, res, url) => {
        if (!url.pathname.startsWith(MEMBER_ROLES) || req.method === "GET") return false;
        tooManyRequests(res, {
          "x-ratelimit-limit": "20",
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": String(Date.now() + 300),
        });
        return true;
      });
      const { err, ms } = await timedError(() =>
        impl.update(state.id, state.outputs, {
          organizationId: ORG,
          mode: "authoritative",
          members: { ...declared, [user(0)]: [role(1), role(5)] },
        }),
      );
      expect(err.message).to.contain("retry budget is spent").and.contain("in milliseconds");
      expect(ms).to.be.below(3_000);
      expect(api.count(MEMBER_ROLES, "POST")).to.equal(4);
      await expectUnchanged(before, state);
    });

    it("update: a DELETE whose answer trickles: timeout named, within the bound; the next run converges", async () => {
      await configure({ "orgMemberRoles:requestTimeoutMs": "400", "orgMemberRoles:retryBudget": "1" });
      const state = stored();
      const before = tenantNow();
      api.misbehave((req, res, url) => {
        if (!url.pathname.startsWith(MEMBER_ROLES) || req.method !== "DELETE") return false;
        trickle(res, JSON.stringify({ padding: "x".repeat(100) }), 150);
        return true;
      });
      const next = {
        organizationId: ORG,
        mode: "authoritative",
        members: { ...declared, [user(2)]: [role(1)] },
      };
      const { err, ms } = await timedError(() => impl.update(state.id, state.outputs, next));
      expect(err.message).to.contain("1 of 1 members failed").and.contain("orgMemberRoles:requestTimeoutMs");
      // Two tries of 400 ms and one backoff of at most 250 ms.
      expect(ms).to.be.below(3 * (2 * 400 + 250));
      expect(api.count(MEMBER_ROLES, "DELETE")).to.equal(2);
      await expectUnchanged(before, state);
      api.reset();
      await impl.update(state.id, state.outputs, next);
      expect(emulator.rolesOf(ORG, user(2))).to.deep.equal([role(1)]);
    });

    it("delete: the operation deadline ends a run of 429s a second apart, naming operationTimeoutSeconds", async () => {
      await configure({
        "orgMemberRoles:operationTimeoutSeconds": "1.5",
        "orgMemberRoles:retryBudget": "1000",
      });
      const state = stored();
      const before = tenantNow();
      api.misbehave((req, res, url) => {
        if (!url.pathname.startsWith(MEMBER_ROLES) || req.method !== "DELETE") return false;
        tooManyRequests(res, {
          "x-ratelimit-limit": "20",
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": seconds(Date.now() + 1_000),
        });
        return true;
      });
      const { err, ms } = await timedError(() => impl.delete(state.id, state.outputs));
      expect(err.message).to.contain("orgMemberRoles:operationTimeoutSeconds");
      expect(ms).to.be.below(3 * 1_500);
      await expectUnchanged(before, state);
    });
  });
});
