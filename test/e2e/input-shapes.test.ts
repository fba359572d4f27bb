/**
 * Issue 37's slip on the real engine: `members` given as a list of strings. `pulumi preview` must fail with
 * the path and the shape expected (what the user sees), not a TypeError, and nothing is written.
 */
import { expect } from "chai";
import { OrgMemberRoles } from "../../components";
import { DEFAULT_SEED_PATH, loadFixture } from "../../emulator/index";
import { engineSuite } from "../helpers/engine-suite";
import { pathText, SHAPE } from "../helpers/wrong-shapes";

describe("an input of the wrong shape on the real engine", function () {
  this.timeout(240_000);
  const suite = engineSuite("shapes", () => loadFixture(DEFAULT_SEED_PATH));

  it("members as a list of strings fails pulumi preview naming members[0] and members[1] and the shape, with nothing written", async () => {
    const stack = await suite.newStack(async () => {
      new OrgMemberRoles("acme", {
        organizationId: "org_acme000000000001",
        members: ["auth0|69e9cd6013e3dca66bfbca39", "rol_viewer0000000004"] as never,
      });
    });
    suite.emulator.resetCounters();
    const err = await stack.preview({ onOutput: suite.onOutput }).catch((e: Error) => e);
    expect(err).to.be.instanceOf(Error);
    const text = `${suite.take()}\n${String(err)}`;
    for (const i of [0, 1]) expect(text).to.contain(`${pathText(["members", i])} ${SHAPE.entry}`);
    expect(text).not.to.contain("TypeError");
    expect(text).not.to.contain("Cannot read properties");
    expect(suite.emulator.writes()).to.equal(0);
  });
});
