import { expect } from "chai";
import { type AttemptResult, nextStep, type RetryState, rateLimitWait } from "../../src/client/retry-policy";

const fresh: RetryState = { attempt: 0, maxRetries: 5, retrySafe: true, mayRenewToken: false };
const answer = (status: number): AttemptResult => ({ kind: "answer", status });

describe("retry policy: what one attempt's outcome allows", () => {
  const table: Array<[string, AttemptResult, Partial<RetryState>, ReturnType<typeof nextStep>]> = [
    ["a 200 is read", answer(200), {}, "done"],
    ["a 204 is read", answer(204), {}, "done"],
    ["a 503 on a safe request backs off", answer(503), {}, "backoff"],
    ["a 500 on the last allowed attempt gives up", answer(500), { attempt: 5 }, "give-up"],
    ["a 503 on an unsafe request gives up", answer(503), { retrySafe: false }, "give-up"],
    ["a broken connection on a safe request backs off", { kind: "network" }, {}, "backoff"],
    ["a timeout on an unsafe request gives up", { kind: "timeout" }, { retrySafe: false }, "give-up"],
    ["a broken connection past the cap gives up", { kind: "network" }, { attempt: 5 }, "give-up"],
    [
      "a 429 waits, even for an unsafe request (not processed)",
      answer(429),
      { retrySafe: false },
      "rate-limited",
    ],
    [
      "a 429 waits past the per-request cap (the budget bounds it)",
      answer(429),
      { attempt: 5 },
      "rate-limited",
    ],
    ["a 401 with a renewable token renews it", answer(401), { mayRenewToken: true }, "renew-token"],
    ["a 401 after a renewal gives up", answer(401), { mayRenewToken: false }, "give-up"],
    ["a 404 gives up", answer(404), {}, "give-up"],
    ["a 409 gives up", answer(409), {}, "give-up"],
    ["a 400 gives up", answer(400), {}, "give-up"],
  ];
  for (const [title, result, state, expected] of table)
    it(title, () => expect(nextStep(result, { ...fresh, ...state })).to.equal(expected));
});

describe("retry policy: the wait after a 429", () => {
  it("Retry-After wins over the reset", () => {
    const wait = rateLimitWait({
      retryAfterMs: 2_000,
      retryAfterHeader: "2",
      resetAtMs: 60_000,
      now: 0,
      backoffMs: 1,
    });
    expect(wait).to.deep.equal({ waitMs: 2_000, cause: "A 429 with Retry-After 2" });
  });
  it("without Retry-After, the reset plus a margin", () => {
    const wait = rateLimitWait({ retryAfterMs: undefined, resetAtMs: 61_000, now: 1_000, backoffMs: 1 });
    expect(wait.waitMs).to.equal(60_050);
    expect(wait.cause).to.equal("A 429 with x-ratelimit-reset 1970-01-01T00:01:01.000Z");
  });
  it("with neither, the backoff", () => {
    const wait = rateLimitWait({ retryAfterMs: undefined, resetAtMs: undefined, now: 0, backoffMs: 300 });
    expect(wait).to.deep.equal({ waitMs: 300, cause: "A 429 without a usable reset (backoff)" });
  });
});
