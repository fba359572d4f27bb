import { expect } from "chai";
import { ClientCredentialsTokenSource, type TokenRequestBody } from "../../src/client/token";
import { FakeClock } from "../helpers/fake-clock";

const CREDENTIALS = {
  kind: "client" as const,
  clientId: "app",
  clientSecret: "s3cret-value-for-tests",
  audience: "https://tenant.example/api/v2/",
};

/** A token source over a plain function: no transport, no server. */
function source(lifetimeSeconds = 86_400) {
  const clock = new FakeClock();
  const bodies: TokenRequestBody[] = [];
  let issued = 0;
  const tokens = new ClientCredentialsTokenSource(
    CREDENTIALS,
    async (body) => {
      bodies.push(body);
      return { access_token: `token-${++issued}`, expires_in: lifetimeSeconds };
    },
    clock,
  );
  return { tokens, clock, bodies };
}

describe("client-credentials token source, given a plain post", () => {
  it("asks once for concurrent callers and caches the token until it is due for renewal", async () => {
    const { tokens, clock, bodies } = source();
    expect(await Promise.all([tokens.get(), tokens.get(), tokens.get()])).to.deep.equal([
      "token-1",
      "token-1",
      "token-1",
    ]);
    expect(bodies).to.have.length(1);
    expect(bodies[0]).to.deep.include({ grant_type: "client_credentials", client_id: "app" });
    clock.t += 86_400_000 - 61_000; // a minute and a second before expiry: still current
    expect(await tokens.get()).to.equal("token-1");
    clock.t += 2_000; // inside the renewal minute
    expect(tokens.isCurrent("token-1")).to.equal(false);
    expect(await tokens.get()).to.equal("token-2");
  });

  it("a 401 with a token renews it once, however many callers saw that token rejected", async () => {
    const { tokens, bodies } = source();
    const first = await tokens.get();
    const renewed = await Promise.all([tokens.renew(first), tokens.renew(first)]);
    expect(renewed).to.deep.equal(["token-2", "token-2"]);
    expect(bodies).to.have.length(2);
  });

  it("the secret and every token issued are the secrets to redact", async () => {
    const { tokens } = source();
    await tokens.get();
    expect(tokens.secrets()).to.include.members([CREDENTIALS.clientSecret, "token-1"]);
  });
});
