import { generateKeyPairSync } from "node:crypto";
import { expect } from "chai";
import { request } from "undici";
import {
  ASSERTION_CLIENT_ID,
  assertionClient,
  DEFAULT_CLIENT,
  emulatorAssertionSettings,
} from "../../emulator/server";
import { JWT_BEARER_ASSERTION_TYPE } from "../../src/api/limits";
import {
  type AssertionAlgorithm,
  loadAssertionKey,
  signClientAssertion,
} from "../../src/client/client-assertion";
import { resolveConnection } from "../../src/client/credentials";
import { ManagementApiError } from "../../src/client/errors";
import { ManagementClient } from "../../src/client/management-client";
import { type Clock, realClock } from "../../src/clock";
import { startEmulator } from "../helpers/emulator";
import { ORG, role, tenant, user } from "../helpers/fixtures";

function rsaPair() {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

const registered = rsaPair();
const stranger = rsaPair();
const PS_CLIENT = "emulator-jwt-ps256";
const RS384_CLIENT = "emulator-jwt-rs384";

describe("Private Key JWT against the emulator (real HTTP): assertions verified for real", () => {
  const ctx = startEmulator(tenant(5, 10), {
    clients: [
      DEFAULT_CLIENT,
      assertionClient(registered.publicPem, "RS256"),
      assertionClient(registered.publicPem, "PS256", PS_CLIENT),
      assertionClient(registered.publicPem, "RS384", RS384_CLIENT),
    ],
  });
  beforeEach(() => ctx.emulator.reset());

  function connect(
    privatePem: string,
    options: { alg?: AssertionAlgorithm; clientId?: string; clock?: Clock } = {},
  ): ManagementClient {
    const settings = emulatorAssertionSettings(ctx.emulator.url, privatePem, options.alg, options.clientId);
    return ManagementClient.connect(
      resolveConnection((k) => settings[k], {}),
      { backoffBaseMs: 5, clock: options.clock ?? realClock },
    );
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

  /** Posts a token request as a form, the way Private Key JWT clients send it. */
  async function postToken(fields: Record<string, string>) {
    const res = await request(`${ctx.emulator.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        audience: `${ctx.emulator.url}/api/v2/`,
        ...fields,
      }).toString(),
    });
    const text = await res.body.text();
    return { status: res.statusCode, json: JSON.parse(text) as Record<string, string> };
  }

  function assertion(
    options: {
      aud?: string;
      nowSeconds?: number;
      lifetimeSeconds?: number;
      jti?: string;
      privatePem?: string;
    } = {},
  ): string {
    return signClientAssertion({
      key: loadAssertionKey(options.privatePem ?? registered.privatePem, "RS256"),
      alg: "RS256",
      clientId: ASSERTION_CLIENT_ID,
      audience: options.aud ?? `${ctx.emulator.url}/`,
      ...(options.nowSeconds !== undefined ? { nowSeconds: options.nowSeconds } : {}),
      ...(options.lifetimeSeconds !== undefined ? { lifetimeSeconds: options.lifetimeSeconds } : {}),
      ...(options.jti !== undefined ? { jti: options.jti } : {}),
    });
  }

  const withAssertion = (jwt: string) => ({
    client_id: ASSERTION_CLIENT_ID,
    client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
    client_assertion: jwt,
  });

  for (const [alg, clientId] of [
    ["RS256", ASSERTION_CLIENT_ID],
    ["RS384", RS384_CLIENT],
    ["PS256", PS_CLIENT],
  ] as const) {
    it(`a good ${alg} assertion: one token request, then the roles are applied`, async () => {
      const client = connect(registered.privatePem, { alg, clientId });
      await client.addMemberRoles(ORG, user(1), [role(3)]);
      expect((await client.listMemberRoles(ORG, user(1))).map((r) => r.id)).to.deep.equal([role(3)]);
      expect(ctx.emulator.count({ route: "token", status: 200 })).to.equal(1);
      expect(ctx.emulator.rolesOf(ORG, user(1))).to.deep.equal([role(3)]);
      await client.close();
    });
  }

  it("a wrong key: 401 invalid_client with Auth0's reason, a hint naming the key setting, no API call", async () => {
    const client = connect(stranger.privatePem);
    const err = await failure(client.addMemberRoles(ORG, user(1), [role(3)]));
    expect(err.status).to.equal(401);
    expect(err.errorCode).to.equal("invalid_client");
    expect(err.apiMessage).to.equal("client_assertion: invalid signature");
    expect(err.hint).to.contain("auth0:clientAssertionPrivateKey");
    const text = `${err.message} ${err.stack} ${JSON.stringify(err)}`;
    for (const line of stranger.privatePem.split("\n").filter((l) => l.length > 40))
      expect(text).not.to.contain(line);
    expect(ctx.emulator.apiCalls()).to.equal(0);
    expect(ctx.emulator.rolesOf(ORG, user(1))).to.deep.equal([]);
    await client.close();
  });

  it("a wrong audience: 401 invalid_client naming the audience the tenant expects", async () => {
    for (const aud of [`${ctx.emulator.url}/api/v2/`, ctx.emulator.url, "https://other.eu.auth0.com/"]) {
      const res = await postToken(withAssertion(assertion({ aud })));
      expect(res.status, aud).to.equal(401);
      expect(res.json).to.deep.equal({
        error: "invalid_client",
        error_description: `client_assertion: 'aud' must be ${ctx.emulator.url}/`,
      });
    }
    expect((await postToken(withAssertion(assertion()))).status).to.equal(200);
  });

  it("an expired assertion: refused, whether crafted or signed by a client whose clock is ten minutes slow", async () => {
    const now = Math.floor(Date.now() / 1000);
    const crafted = await postToken(withAssertion(assertion({ nowSeconds: now - 300 })));
    expect(crafted.status).to.equal(401);
    expect(crafted.json).to.deep.include({
      error: "invalid_client",
      error_description: "client_assertion has expired",
    });
    const slow: Clock = { now: () => Date.now() - 600_000, sleep: realClock.sleep };
    const err = await failure(connect(registered.privatePem, { clock: slow }).listMemberRoles(ORG, user(1)));
    expect(err.apiMessage).to.equal("client_assertion has expired");
    expect(err.hint).to.contain("clock");
  });

  it("an assertion living longer than five minutes is refused with the reason Auth0 logs", async () => {
    const res = await postToken(withAssertion(assertion({ lifetimeSeconds: 600 })));
    expect(res.status).to.equal(401);
    expect(res.json["error_description"]).to.equal(
      "'exp' claim must specify a time that is no more than 5 minutes after 'iat': 600",
    );
  });

  it("a replayed jti: the same assertion twice, or a new one reusing its jti, is refused the second time", async () => {
    const once = assertion({ jti: "5b0f8f0e-4a39-4d5e-9a4c-3f1b2c0d9e11" });
    expect((await postToken(withAssertion(once))).status).to.equal(200);
    const replay = await postToken(withAssertion(once));
    expect(replay.status).to.equal(401);
    expect(replay.json).to.deep.equal({
      error: "invalid_client",
      error_description: "client_assertion: 'jti' has already been used",
    });
    const sameJti = assertion({
      jti: "5b0f8f0e-4a39-4d5e-9a4c-3f1b2c0d9e11",
      nowSeconds: Math.floor(Date.now() / 1000) + 1,
    });
    expect((await postToken(withAssertion(sameJti))).status).to.equal(401);
    expect(ctx.emulator.acceptedAssertions).to.include(once);
  });

  it("a key in the wrong format: a clear error before any call reaches the emulator", () => {
    ctx.emulator.resetCounters();
    for (const bad of [
      registered.publicPem,
      "-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----",
    ]) {
      const settings = emulatorAssertionSettings(ctx.emulator.url, bad);
      expect(() => resolveConnection((k) => settings[k], {})).to.throw(
        ManagementApiError,
        /auth0:clientAssertionPrivateKey \(AUTH0_CLIENT_ASSERTION_PRIVATE_KEY\)/,
      );
    }
    expect(ctx.emulator.count()).to.equal(0);
  });

  it("the algorithm must be the credential's: an RS256 credential refuses a PS256 assertion", async () => {
    const err = await failure(connect(registered.privatePem, { alg: "PS256" }).listMemberRoles(ORG, user(1)));
    expect(err.apiMessage).to.equal(
      "client_assertion: signing algorithm PS256 does not match a credential of the client",
    );
  });

  it("one method per application: a Private Key JWT application has no secret, a secret application no credential", async () => {
    const secretForJwtClient = await postToken({
      client_id: ASSERTION_CLIENT_ID,
      client_secret: DEFAULT_CLIENT.clientSecret,
    });
    expect(secretForJwtClient.status).to.equal(401);
    const defaultClientAssertion = signClientAssertion({
      key: loadAssertionKey(registered.privatePem, "RS256"),
      alg: "RS256",
      clientId: DEFAULT_CLIENT.clientId,
      audience: `${ctx.emulator.url}/`,
    });
    const noCredential = await postToken({
      client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
      client_assertion: defaultClientAssertion,
    });
    expect(noCredential.status).to.equal(401);
    expect(noCredential.json["error_description"]).to.equal(
      "The client is not configured for Private Key JWT authentication",
    );
    const both = await postToken({ ...withAssertion(assertion()), client_secret: "anything-at-all" });
    expect(both.status).to.equal(400);
    expect(both.json["error"]).to.equal("invalid_request");
  });

  it("a token expiring mid-run is renewed with a fresh assertion, not a replay of the first", async () => {
    const client = connect(registered.privatePem);
    await client.listMemberRoles(ORG, user(1));
    ctx.emulator.setFaults({ expireTokensAfter: 0 });
    await client.listMemberRoles(ORG, user(2));
    expect(ctx.emulator.count({ route: "token", status: 200 })).to.equal(2);
    expect(ctx.emulator.count({ route: "token", status: 401 })).to.equal(0);
    const [first, second] = ctx.emulator.acceptedAssertions.slice(-2);
    expect(first).not.to.equal(second);
    await client.close();
  });
});
