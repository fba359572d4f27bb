import { expect } from "chai";
import { Settings } from "../../src/provider/settings";
import { configureFor, impl } from "../helpers/drive";
import { startEmulator } from "../helpers/emulator";
import { ORG, role, tenant, user } from "../helpers/fixtures";

describe("orgMemberRoles:retryBudget through the provider", function () {
  this.timeout(30_000);
  const ctx = startEmulator(tenant(3, 3));

  it("0 means no retry: one POST answered 503 fails the create at once, one request sent", async () => {
    ctx.emulator.reset();
    await configureFor(ctx.emulator, {
      "orgMemberRoles:retryBudget": "0",
      "orgMemberRoles:previewValidation": "false",
    });
    impl.startRun();
    ctx.emulator.setFaults({ failOnly: "POST", failNext: { count: 1, status: 503 } });
    const err = await impl.create({ organizationId: ORG, members: { [user(0)]: [role(1)] } }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).to.contain("503");
    expect(ctx.emulator.count({ method: "POST", route: "member-roles" })).to.equal(1);
    ctx.emulator.setFaults({});
  });

  it("a negative or fractional budget is refused, naming the key and the variable", () => {
    for (const raw of ["-1", "2.5", "many"]) {
      const settings = new Settings((k) => (k === "orgMemberRoles:retryBudget" ? raw : undefined), {});
      expect(() => settings.clientOptions(), raw).to.throw(
        "orgMemberRoles:retryBudget (ORG_MEMBER_ROLES_RETRY_BUDGET) must be a whole number",
      );
    }
  });
});
