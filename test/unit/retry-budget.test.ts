import { expect } from "chai";
import { MockAgent } from "undici";
import { ManagementApiError } from "../../src/client/errors";
import { RetryBudget } from "../../src/client/rate-limit";
import { type TokenSource, Transport } from "../../src/client/transport";
import { FakeClock } from "../helpers/fake-clock";

describe("the retry budget is a rate, and a token that keeps going stale is bounded", () => {
  it("a budget of 3 a minute gives 3 retries at once, none more, then one again 20 s later", () => {
    const clock = new FakeClock();
    const budget = new RetryBudget(3, clock);
    expect([budget.take(), budget.take(), budget.take(), budget.take()]).to.deep.equal([
      true,
      true,
      true,
      false,
    ]);
    clock.t += 20_000;
    expect(budget.take()).to.equal(true);
    expect(budget.take()).to.equal(false);
  });

  it("refills to its size and no further: an hour idle gives back 3 retries, not 180", () => {
    const clock = new FakeClock();
    const budget = new RetryBudget(3, clock);
    for (let i = 0; i < 3; i++) budget.take();
    clock.t += 3_600_000;
    let taken = 0;
    while (budget.take()) taken++;
    expect(taken).to.equal(3);
    expect(budget.spent).to.equal(6);
  });

  it("a budget of 0 never retries, whatever the time", () => {
    const clock = new FakeClock();
    const budget = new RetryBudget(0, clock);
    expect(budget.take()).to.equal(false);
    clock.t += 3_600_000;
    expect(budget.take()).to.equal(false);
  });

  it("a token due for renewal again each time its call gets a slot fails the call as unauthorized, naming the token lifetime, not a spin to the deadline", async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    let issued = 0;
    const tokens: TokenSource = {
      get: async () => `token-${++issued}`,
      isCurrent: () => false,
      renew: async () => undefined,
      secrets: () => [],
      granted: () => undefined,
    };
    const transport = new Transport({
      baseUrl: "https://tenant.example",
      dispatcher: agent,
      clock: new FakeClock(),
    });
    transport.useTokens(tokens);
    const err = await transport.send({ method: "GET", path: "/api/v2/roles", group: "roles" } as never).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(ManagementApiError);
    expect((err as ManagementApiError).kind).to.equal("unauthorized");
    expect((err as ManagementApiError).message).to.contain(
      "was due for renewal 4 times before this request could be sent",
    );
    expect((err as ManagementApiError).hint).to.contain("Token Expiration");
    expect(issued).to.be.at.most(5);
    await agent.close();
  });
});
