/**
 * The pacer's habits for a bucket shared with other processes (src/client/rate-limit.ts), on a fake clock.
 * The expectations come from the bucket arithmetic, not from the pacer: a request sent when the last reading
 * leaves no token for it is a 429 on a shared bucket.
 */
import { expect } from "chai";
import { RateLimitPacer, type RateLimitSnapshot } from "../../src/client/rate-limit";
import { FakeClock } from "../helpers/fake-clock";

const settleAfterTicks = () => new Promise((r) => setImmediate(r));
/** Time stands still: a wait for the reset never ends by itself, only when an answer wakes it. */
const frozenClock = () => ({
  now: () => 0,
  sleep: (_ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve) => signal?.addEventListener("abort", () => resolve())),
});

describe("RateLimitPacer: a bucket shared with other processes", () => {
  it("until the process's first answer, one request is in flight, whatever its group; its answer lets the others go", async () => {
    const clock = new FakeClock();
    const pacer = new RateLimitPacer(clock, () => 0);
    const sent: number[] = [];
    const groups = ["member-roles:write", "member-roles:write", "members:read"];
    const requests = groups.map((group, i) => pacer.acquire(group).then(() => sent.push(i)));
    await settleAfterTicks();
    expect(sent).to.deep.equal([0]);
    // 20 tokens left, and this process assumes it shares them with three others: 5 are its own, 1 is in flight.
    const reading: RateLimitSnapshot = { limit: 20, remaining: 20, resetAtMs: clock.now() };
    pacer.settle("member-roles:write", reading, 204);
    await Promise.all(requests);
    expect(sent).to.deep.equal([0, 1, 2]);
  });

  it("uses its share of `remaining`, not all of it: four processes reading 20 left send 20 between them, not 80", async () => {
    const pacer = new RateLimitPacer(frozenClock(), () => 0);
    await pacer.acquire("g");
    pacer.settle("g", { limit: 20, remaining: 20, resetAtMs: 1000 }, 200);
    let sent = 0;
    for (let i = 0; i < 8; i++) void pacer.acquire("g").then(() => sent++);
    await settleAfterTicks();
    expect(sent).to.equal(5);
  });

  it("a group that has sent nothing yet starts from another group's reading: a drained global bucket is not probed blind", async () => {
    const clock = new FakeClock();
    const pacer = new RateLimitPacer(clock, () => 0);
    await pacer.acquire("member-roles:write");
    const resetAtMs = clock.now() + 3000;
    pacer.settle("member-roles:write", { limit: 50, remaining: 0, resetAtMs }, 204);
    await pacer.acquire("members:read");
    // It waited for the reset the other group read, then sent.
    expect(clock.now()).to.be.at.least(resetAtMs);
  });

  it("a wait after a second 429 in a row ends past the reset, at a random point of a window that doubles", async () => {
    const clock = new FakeClock();
    let draws = 0;
    const pacer = new RateLimitPacer(clock, () => {
      draws++;
      return 1; // the far end of the window
    });
    const start = clock.now();
    pacer.exhausted("g", start + 1000); // first 429: window 0 → the reset alone
    await pacer.acquire("g");
    expect(clock.now() - start).to.be.within(1000, 1001);
    pacer.settle("g", undefined, 429);
    const second = clock.now();
    pacer.exhausted("g", second + 1000); // second 429: the 250 ms window set by the first
    await pacer.acquire("g");
    expect(clock.now() - second).to.be.within(1250, 1251);
    expect(draws).to.be.greaterThan(0);
  });

  it("with tokens left, never waits for the reset, however far: 19 left and a reset 90 s away send all 8 as answers come", async () => {
    // Break-it finding (2026-12-07): the share rule sent the fifth request to wait for the reset, and the
    // client's 60 s wait bound refused it, naming "x-ratelimit-remaining 0" although 19 were left.
    const pacer = new RateLimitPacer(frozenClock(), () => 0);
    const guard = (waitMs: number) => {
      if (waitMs > 60_000) throw new Error(`a wait of ${waitMs} ms`);
    };
    await pacer.acquire("g", guard);
    let remaining = 19;
    pacer.settle("g", { limit: 20, remaining, resetAtMs: 90_000 }, 200);
    const sent = await Promise.all(
      Array.from({ length: 8 }, async () => {
        await pacer.acquire("g", guard);
        // Answered at once, one token fewer each time.
        await settleAfterTicks();
        pacer.settle("g", { limit: 20, remaining: --remaining, resetAtMs: 90_000 }, 200);
        return true;
      }),
    );
    expect(sent).to.have.length(8);
  });

  it("fewer tokens than sharers and a reset near: waits for the reset (and its spread) instead of sending into a shared bucket", async () => {
    // The spread decides who goes (see the class comment): four processes reading 3 left would otherwise each
    // send one, and one of them meet a 429 (10 to 14% of an edit round's calls in the stress bench).
    const clock = new FakeClock();
    const pacer = new RateLimitPacer(clock, () => 0);
    await pacer.acquire("g");
    const resetAtMs = clock.now() + 500;
    pacer.settle("g", { limit: 20, remaining: 3, resetAtMs }, 200);
    await pacer.acquire("g");
    expect(clock.now()).to.be.at.least(resetAtMs);
  });
});
