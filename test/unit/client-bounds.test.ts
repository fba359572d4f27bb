import { expect } from "chai";
import { WaitBounds } from "../../src/client/bounds";
import { classifyAnswer, classifyTokenAnswer } from "../../src/client/classify";
import { hintForClassification, ManagementApiError } from "../../src/client/errors";
import { CheckpointPaging, OffsetPaging } from "../../src/client/paging";
import { readRateLimit, readReset, readRetryAfter } from "../../src/client/rate-limit";
import { realClock } from "../../src/clock";
import { FakeClock } from "../helpers/fake-clock";

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const DAY = 86_400_000;

describe("client bounds, header readings, paging guards and error classification (pure)", () => {
  describe("x-ratelimit-reset values that cannot be right", () => {
    it("reads UNIX seconds as documented", () => {
      expect(readReset(String(NOW / 1000 + 7), NOW)).to.deep.equal({ value: NOW + 7_000 });
    });
    it("reads a value in milliseconds as milliseconds, and says so", () => {
      const reading = readReset(String(NOW + 700), NOW);
      expect(reading.value).to.equal(NOW + 700);
      expect(reading.note).to.contain("in milliseconds, not seconds");
    });
    it("keeps a reset a little in the past (the tokens are back), ignores one far in the past", () => {
      expect(readReset(String(NOW / 1000 - 30), NOW).value).to.equal(NOW - 30_000);
      const ancient = readReset("0", NOW);
      expect(ancient.value).to.equal(undefined);
      expect(ancient.note).to.contain("more than a day in the past");
    });
    it("ignores a reset years ahead, and a reset just over a day ahead", () => {
      for (const ahead of [5 * 365 * DAY, DAY + 60_000]) {
        const reading = readReset(String((NOW + ahead) / 1000), NOW);
        expect(reading.value).to.equal(undefined);
        expect(reading.note).to.contain("more than a day ahead");
      }
    });
    it("ignores garbage, negative and empty values", () => {
      for (const raw of ["soon", "-5", "1e10", "0x10", "NaN", "Infinity", "12 34"]) {
        const reading = readReset(raw, NOW);
        expect(reading.value, raw).to.equal(undefined);
        expect(reading.note, raw).to.contain("is not a time in seconds");
      }
      expect(readReset("", NOW)).to.deep.equal({});
      expect(readReset(undefined, NOW)).to.deep.equal({});
    });
    it("gives no snapshot when limit or remaining is missing or negative, whatever the reset", () => {
      const reset = String(NOW / 1000 + 1);
      expect(readRateLimit({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset }, NOW).value).to.equal(
        undefined,
      );
      expect(
        readRateLimit(
          { "x-ratelimit-limit": "20", "x-ratelimit-remaining": "-1", "x-ratelimit-reset": reset },
          NOW,
        ).value,
      ).to.equal(undefined);
      expect(
        readRateLimit(
          { "x-ratelimit-limit": "20", "x-ratelimit-remaining": "3", "x-ratelimit-reset": reset },
          NOW,
        ).value,
      ).to.deep.equal({ limit: 20, remaining: 3, resetAtMs: NOW + 1_000 });
    });
  });

  describe("Retry-After", () => {
    it("reads delta seconds and HTTP dates", () => {
      expect(readRetryAfter({ "retry-after": "2" }, NOW).value).to.equal(2_000);
      expect(readRetryAfter({ "retry-after": new Date(NOW + 5_000).toUTCString() }, NOW).value).to.equal(
        5_000,
      );
    });
    it("ignores negative values, dates in the past and garbage, with a note", () => {
      // 9e12 seconds is past the last date JavaScript can form: ignored, never a RangeError.
      for (const raw of ["-3", new Date(NOW - 5_000).toUTCString(), "later", "1.5.2", "9000000000000"]) {
        const reading = readRetryAfter({ "retry-after": raw }, NOW);
        expect(reading.value, raw).to.equal(undefined);
        expect(reading.note, raw).to.match(/ignored/);
      }
    });
  });

  describe("wait bounds", () => {
    it("refuses a single wait longer than the longest wait, naming the setting and when to come back", () => {
      const clock = new FakeClock();
      const bounds = new WaitBounds(clock, { maxWaitMs: 60_000 });
      expect(bounds.refuse(60_000, "A 429")).to.equal(undefined);
      const refusal = bounds.refuse(3_600_000, "A 429 with x-ratelimit-reset");
      expect(refusal?.limit).to.equal("maxWait");
      expect(refusal?.hint)
        .to.contain("orgMemberRoles:maxWaitSeconds")
        .and.contain(new Date(clock.now() + 3_600_000).toISOString());
    });
    it("refuses a wait that would pass the operation deadline, and every request once it has passed", () => {
      const clock = new FakeClock();
      const bounds = new WaitBounds(clock, { maxWaitMs: 60_000, operationTimeoutMs: 100_000 });
      expect(bounds.expired(), "not started: no deadline yet").to.equal(undefined);
      bounds.start();
      clock.t += 70_000;
      expect(bounds.refuse(20_000, "A backoff")).to.equal(undefined);
      expect(bounds.refuse(40_000, "A backoff")?.limit).to.equal("operation");
      expect(bounds.expired()).to.equal(undefined);
      clock.t += 30_000;
      expect(bounds.expired()?.hint).to.contain("orgMemberRoles:operationTimeoutSeconds");
    });
    it("rejects bounds that are not positive numbers", () => {
      expect(() => new WaitBounds(new FakeClock(), { maxWaitMs: 0 })).to.throw(/maxWaitMs/);
      expect(() => new WaitBounds(new FakeClock(), { operationTimeoutMs: Number.NaN })).to.throw(
        /operationTimeoutMs/,
      );
    });
    it("a sleep longer than a timer can wait fails instead of firing after 1 ms", async () => {
      const err = await realClock.sleep(2 ** 31).catch((e: Error) => e);
      expect(err).to.be.instanceOf(RangeError);
    });
  });

  describe("paging guards", () => {
    it("offset: done at the total or on an empty page, never on a short page", () => {
      const paging = new OffsetPaging();
      expect(paging.check(0, ["a", "b"], 0, 5)).to.deep.equal({ next: "more" });
      expect(paging.check(1, ["c", "d"], 2, 5)).to.deep.equal({ next: "more" });
      expect(paging.check(2, ["e"], 4, 5)).to.deep.equal({ next: "done" });
      expect(new OffsetPaging().check(0, [], 0, 5)).to.deep.equal({ next: "done" });
    });
    it("offset: a page equal to the previous one is a loop", () => {
      const paging = new OffsetPaging();
      paging.check(0, ["a", "b"], 0, 10);
      const verdict = paging.check(1, ["a", "b"], 0, 10);
      expect(verdict.next).to.equal("loop");
    });
    it("offset: more pages than the first total allows is a loop", () => {
      const paging = new OffsetPaging();
      const verdicts = Array.from({ length: 6 }, (_, p) => paging.check(p, [`x${p}`], 0, 3).next);
      // total 3 at 1 a page: 3 pages, plus one of slack.
      expect(verdicts).to.deep.equal(["more", "more", "more", "loop", "loop", "loop"]);
    });
    it("checkpoint: a repeated cursor, a repeated page, or a page of members already listed is a loop", () => {
      const cursor = new CheckpointPaging();
      expect(cursor.check(["a"], "c1").next).to.equal("more");
      expect(cursor.check(["b"], "c1").next).to.equal("loop");
      const page = new CheckpointPaging();
      page.check(["a", "b"], "c1");
      expect(page.check(["a", "b"], "c2").next).to.equal("loop");
      const round = new CheckpointPaging();
      round.check(["a"], "c1");
      round.check(["b"], "c2");
      expect(round.check(["a"], "c3").next).to.equal("loop");
      expect(new CheckpointPaging().check(["a"], undefined).next).to.equal("done");
      // One new member among old ones, for ever: not moving forward either.
      const creeping = new CheckpointPaging();
      creeping.check(["a", "b"], "c1");
      expect(creeping.check(["b", "c"], "c2").next).to.equal("loop");
    });
  });

  describe("classification: errorCode first, the documented text as fallback", () => {
    const cases: Array<[number, string | undefined, string, string]> = [
      [404, undefined, "No organization found by that id or name", "organization-not-found"],
      [404, "inexistent_user", "The user does not exist.", "member-not-found"],
      [404, undefined, "User is not a member of this organization", "member-not-found"],
      [404, undefined, "Role not found.", "role-not-found"],
      [404, "inexistent_role", "Role not found.", "role-not-found"],
      [404, undefined, "Not Found", "not-found"],
      [400, "invalid_body", "One or more of the specified roles do not exist: rol_x", "role-not-found"],
      [400, "invalid_body", "Payload validation error: 'x'.", "invalid-request"],
      [400, "invalid_query_string", "Query validation error", "invalid-request"],
      [401, undefined, "Invalid token", "unauthorized"],
      [403, "insufficient_scope", "Insufficient scope, expected any of: read:roles", "insufficient-scope"],
      [409, undefined, "No more roles can be assigned to this organization member.", "role-cap-exceeded"],
      [429, "too_many_requests", "Global limit has been reached", "rate-limited"],
      [503, undefined, "Service Unavailable", "server-error"],
      [418, undefined, "teapot", "invalid-request"],
    ];
    for (const [status, errorCode, message, kind] of cases)
      it(`${status} ${errorCode ?? "(no errorCode)"} "${message}" is ${kind}`, () => {
        expect(classifyAnswer(status, errorCode, message).kind).to.equal(kind);
      });
    it("an errorCode wins over message text that says something else", () => {
      expect(classifyAnswer(404, "inexistent_user", "No organization found by that id").kind).to.equal(
        "member-not-found",
      );
    });
    it("keeps what the hint needs: the scope named, an expired token", () => {
      expect(classifyAnswer(403, undefined, "Insufficient scope, expected any of; read:roles")).to.deep.equal(
        {
          kind: "insufficient-scope",
          scope: "read:roles",
        },
      );
      expect(
        classifyAnswer(401, undefined, "Expired token received for JSON Web Token validation").token,
      ).to.equal("expired");
      expect(
        hintForClassification(
          classifyAnswer(403, "insufficient_scope", "Insufficient scope, expected any of: read:roles"),
          403,
        ),
      ).to.contain("lack the scope read:roles");
    });
    it("token endpoint: refused credentials are unauthorized whatever the status", () => {
      expect(classifyTokenAnswer(401, "invalid_client").kind).to.equal("unauthorized");
      expect(classifyTokenAnswer(403, "access_denied").kind).to.equal("unauthorized");
      expect(classifyTokenAnswer(400, "unsupported_grant_type").kind).to.equal("unauthorized");
      expect(classifyTokenAnswer(400, "invalid_request").kind).to.equal("invalid-request");
      expect(classifyTokenAnswer(503, undefined).kind).to.equal("server-error");
    });
  });

  describe("errors: every text field through one redaction", () => {
    it("removes secrets from errorCode, message and hint; control characters and length are bounded", () => {
      const secret = "a-client-secret-0123456789";
      const err = new ManagementApiError({
        kind: "invalid-request",
        method: "GET",
        path: "/api/v2/roles",
        status: 400,
        errorCode: `code-${secret}`,
        apiMessage: `line one ${secret}\nline two ${"x".repeat(2_000)}`,
        hint: `Bearer abc.def ${secret}`,
        secrets: [secret],
      });
      const text = `${err.message} ${err.errorCode} ${err.apiMessage} ${err.hint} ${JSON.stringify(err)}`;
      expect(text).not.to.contain(secret).and.not.to.contain("abc.def");
      expect(err.apiMessage).not.to.contain("\n");
      expect(err.apiMessage!.length).to.be.below(600);
      expect(err.kind).to.equal("invalid-request");
    });
  });
});

describe("client settings that Node's timers cannot hold", () => {
  it("a request timeout past 2^31-1 ms is refused naming the setting, not turned into 1 ms", () => {
    const { Transport } =
      require("../../src/client/transport") as typeof import("../../src/client/transport");
    expect(() => new Transport({ baseUrl: "http://127.0.0.1:9", requestTimeoutMs: 3_000_000_000 })).to.throw(
      /orgMemberRoles:requestTimeoutMs .*at most|orgMemberRoles:requestTimeoutMs.*between 1 and 2147483647/,
    );
  });
});
