/**
 * Every exit of the provider with a secret `members` map (issue 23, case 3): check (shapes, names,
 * validation), the reads behind names and validation failing, create, update, delete and read failing
 * against the emulator. No message, check failure, stored reason (`initErrors`, kept in clear) or error
 * field names a user ID, email or role ID of the map, in plain or URL-encoded form.
 */
import { expect } from "chai";
import type { FaultConfig } from "../../emulator/faults";
import { configureFor, impl } from "../helpers/drive";
import { startEmulator } from "../helpers/emulator";
import { ORG, role, tenant, user } from "../helpers/fixtures";

const ADA = user(0);
const GRACE = user(1);
const EMAIL = "user2@example.com"; // user(2)'s email in the fixture
const ADMIN = role(1);
const BILLING = role(2);
/** The user IDs, emails, role IDs and role names of the secret maps the current test declared. */
let secretWords: string[] = [];

/** All the text an error or result carries: message, own fields, reasons. */
function textOf(value: unknown): string {
  if (value instanceof Error)
    return [value.message, value.stack ?? "", JSON.stringify({ ...value, properties: undefined })].join("\n");
  return JSON.stringify(value);
}

function expectNoSecret(text: string, exit: string): void {
  expect(secretWords.length).to.be.greaterThan(0);
  for (const word of secretWords) {
    expect(text, `${exit} leaks ${word}`).not.to.contain(word);
    expect(text, `${exit} leaks ${word} (URL-encoded)`).not.to.contain(encodeURIComponent(word));
  }
}

async function failureOf(call: () => Promise<unknown>): Promise<unknown> {
  try {
    return await call();
  } catch (err) {
    return err;
  }
}

/** user(3) shares user(2)'s email (two connections); role 5 shares role 4's name. */
function ambiguousTenant() {
  const f = tenant(6, 6, (i) => (i < 2 ? [1] : []));
  f.users[3]!.email = f.users[2]!.email;
  f.roles[5]!.name = f.roles[4]!.name;
  return f;
}

describe("secret members on every exit of the provider", function () {
  this.timeout(60_000);
  const ctx = startEmulator(ambiguousTenant());
  const secret = (members: Record<string, string[]>) => {
    secretWords.push(...Object.keys(members).map((k) => k.trim()), ...Object.values(members).flat());
    return declared(members);
  };
  const declared = (members: Record<string, string[]>) => ({
    organizationId: ORG,
    mode: "authoritative",
    members,
    membersSecret: true,
  });
  const fail = (faults: FaultConfig) =>
    ctx.emulator.setFaults({ failRate: { fraction: 1, status: 503 }, ...faults });

  beforeEach(async () => {
    secretWords = [];
    ctx.emulator.reset();
    await configureFor(ctx.emulator, { "orgMemberRoles:retryBudget": "0" });
    impl.startRun();
  });

  it("check: a malformed user ID and a malformed role ID are reported masked", async () => {
    const out = await impl.check({}, secret({ [`${ADA} `]: ["not a role"], [GRACE]: [BILLING, "rol_x"] }));
    expect(out.failures?.length).to.be.greaterThan(0);
    expectNoSecret(textOf(out.failures), "check (shapes)");
  });

  it("check: an email no user has, and a role name the tenant lacks, are reported masked", async () => {
    const out = await impl.check(
      {},
      secret({ "nobody@acme.example": [ADMIN], [ADA]: ["role-3", "no-such-role"] }),
    );
    expect(out.failures?.length).to.be.greaterThan(0);
    expectNoSecret(textOf(out.failures), "check (names)");
  });

  it("check: validation failures (not a member, unknown role) are reported masked", async () => {
    const out = await impl.check({}, secret({ "auth0|outsider": [ADMIN], [ADA]: ["rol_typo000000000001"] }));
    expect(out.failures?.length).to.be.greaterThan(0);
    expectNoSecret(textOf(out.failures), "check (validation)");
  });

  it("check: the email lookup failing leaves a masked error", async () => {
    fail({ failOnly: "GET" });
    const err = await failureOf(() => impl.check({}, secret({ [EMAIL]: [ADMIN] })));
    expect(err).to.be.instanceOf(Error);
    expectNoSecret(textOf(err), "check (name reads)");
  });

  it("check: the validation reads failing leave a masked error", async () => {
    fail({ failOnly: "GET" });
    const err = await failureOf(() => impl.check({}, secret({ [ADA]: [ADMIN, BILLING] })));
    expect(err).to.be.instanceOf(Error);
    expectNoSecret(textOf(err), "check (validation reads)");
  });

  it("create, update, read and delete failing leave masked errors and masked stored reasons", async () => {
    const inputs = { ...secret({ [ADA]: [ADMIN, BILLING], [GRACE]: [BILLING] }), __provider: "p" };
    await configureFor(ctx.emulator, {
      "orgMemberRoles:retryBudget": "0",
      "orgMemberRoles:previewValidation": "false",
    });
    fail({ failOnly: "POST" });
    const created = await failureOf(() => impl.create(inputs));
    expect(created).to.be.instanceOf(Error);
    expectNoSecret(textOf(created), "create");
    expectNoSecret(
      JSON.stringify((created as { reasons?: string[] }).reasons ?? []),
      "create (stored reasons)",
    );

    ctx.emulator.setFaults({});
    impl.startRun();
    const made = await impl.create(inputs);
    const news = { ...secret({ [ADA]: [BILLING], [GRACE]: [ADMIN] }), __provider: "p" };
    fail({ failOnly: "DELETE" });
    const updated = await failureOf(() => impl.update(made.id, made.outs, news));
    expect(updated).to.be.instanceOf(Error);
    expectNoSecret(textOf(updated), "update");

    fail({ failOnly: "GET" });
    const read = await failureOf(() => impl.read(made.id, made.outs));
    expect(read).to.be.instanceOf(Error);
    expectNoSecret(textOf(read), "read");

    fail({ failOnly: "DELETE" });
    const deleted = await failureOf(() => impl.delete(made.id, made.outs));
    expect(deleted).to.be.instanceOf(Error);
    expectNoSecret(textOf(deleted), "delete");
  });

  it("check: an email two users share and a role name two roles share name neither candidate in clear", async () => {
    const out = await impl.check({}, secret({ [EMAIL]: [ADMIN], [ADA]: ["role-4"] }));
    expect(out.failures?.length).to.equal(2);
    const text = textOf(out.failures);
    for (const candidate of [user(2), user(3), role(4), role(5)]) {
      expect(text, `names ${candidate}`).not.to.contain(candidate);
      expect(text, `names ${candidate}`).not.to.contain(encodeURIComponent(candidate));
    }
    expectNoSecret(text, "check (ambiguous names)");
  });

  it("delete of a resource that left the program, in a run whose new resource declares the same members secret, masks them", async () => {
    await configureFor(ctx.emulator, { "orgMemberRoles:retryBudget": "0" });
    // Created while its members were not a secret: its state says nothing of secrecy.
    const plain = {
      organizationId: ORG,
      mode: "authoritative",
      members: { [ADA]: [ADMIN] },
      __provider: "p",
    };
    const made = await impl.create(plain);
    // The next run: the program renamed the resource and made its members a secret.
    impl.startRun();
    // An additive resource that grants Ada another role: the old one's delete still removes its own.
    await impl.check({}, { ...secret({ [ADA]: [BILLING] }), mode: "additive" });
    fail({ failOnly: "DELETE" });
    const deleted = await failureOf(() => impl.delete(made.id, made.outs));
    expect(deleted).to.be.instanceOf(Error);
    expectNoSecret(textOf(deleted), "delete of the old resource");
  });

  it("masking is by whole token: a secret word does not mask part of a longer one; a secret map masks every ID-shaped word besides", async () => {
    const { SecretMask } = await import("../../src/provider/secret-mask");
    const words = new SecretMask();
    words.add("samlp|acme|John Doe", "(secret member #1)");
    words.add("ada", "(secret #2)");
    expect(words.apply("samlp|acme|John Doe, samlp%7Cacme%7CJohn%20Doe. adam ada.")).to.equal(
      "(secret member #1), (secret member #1). adam (secret #2).",
    );
    const map = new SecretMask();
    map.addMembers({ members: { "auth0|1": ["rol_aaaaaaaaaaaaaaaa"] } });
    expect(map.apply("auth0|1 and auth0|12, auth0%7C1, rol_bbbbbbbbbbbbbbbb, bob@acme.example.")).to.equal(
      "(secret member #1) and (secret member), (secret member #1), (secret role), (secret email).",
    );
  });
});
