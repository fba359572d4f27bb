/**
 * Members by email and roles by name on the real engine: resolved at preview, shown in `pulumi preview --diff`,
 * stored as IDs; every ambiguity fails the preview with nothing written.
 */
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { OrgMemberRoles } from "../../components/org-member-roles";
import { engineSuite } from "../helpers/engine-suite";
import { ORG, role, tenant, user } from "../helpers/fixtures";

describe("names on the real engine: members by email, roles by name", function () {
  this.timeout(240_000);
  const suite = engineSuite("names", () => {
    const fixture = tenant(6, 6);
    // A second identity with user 1's email (another connection), not a member; and two roles named "dup".
    fixture.users.push({
      user_id: "google-oauth2|100000000000000000001",
      email: "user1@example.com",
      name: "U1",
    });
    fixture.roles.push(
      { id: "rol_dup1000000000001", name: "dup" },
      { id: "rol_dup2000000000002", name: "dup" },
    );
    return fixture;
  });
  let program: PulumiFn;
  const newStack = () => suite.newStack(() => program());
  const { onOutput, take } = suite;

  it("a declaration by email and role name: the preview shows what they resolve to, up assigns by ID, then no changes", async () => {
    let members: Record<string, string[]> = { "user0@example.com": ["role-1", "role-2"] };
    program = async () => void new OrgMemberRoles("acme", { organizationId: ORG, members });
    const stack = await newStack();
    take();
    await stack.preview({ diff: true, onOutput });
    const preview = take();
    expect(preview).to.contain("user0@example.com").and.contain(user(0)).and.contain(role(1));
    await stack.up({ onOutput });
    expect(suite.emulator.rolesOf(ORG, user(0))).to.deep.equal([role(1), role(2)]);
    await stack.preview({ expectNoChanges: true, onOutput });
    suite.emulator.resetCounters();
    members = { "user0@example.com": ["role-1", "role-2", "role-3"] };
    await stack.up({ onOutput });
    expect(suite.emulator.rolesOf(ORG, user(0))).to.deep.equal([role(1), role(2), role(3)]);
    expect(suite.emulator.count({ route: "users-by-email" })).to.equal(0); // resolved before: not looked up again
  });

  it("every ambiguity fails the preview at once, naming the entry and the candidates, with nothing written", async () => {
    program = async () =>
      void new OrgMemberRoles("acme", {
        organizationId: ORG,
        members: {
          "user1@example.com": ["role-1"], // two identities
          "nobody@example.com": ["role-1"], // none
          [user(2)]: ["dup", "role-9"], // two roles named dup; no role named role-9
          "user3@example.com": ["role-1"],
          [user(3)]: ["role-2"], // the same person twice
        },
      });
    const stack = await newStack();
    suite.emulator.resetCounters();
    const err = await stack.preview({ onOutput }).catch((e: Error) => e);
    expect(err).to.be.instanceOf(Error);
    const text = `${take()}\n${String(err)}`;
    expect(text).to.contain("2 users have the email").and.contain("google-oauth2|100000000000000000001");
    expect(text).to.contain("no user has the email").and.contain("nobody@example.com");
    expect(text).to.contain('2 roles are named "dup"').and.contain("rol_dup2000000000002");
    expect(text).to.contain('no role is named "role-9"');
    expect(text).to.contain("are the same user");
    expect(suite.emulator.writes()).to.equal(0);
  });
});
