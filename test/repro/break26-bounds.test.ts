/**
 * Break-26 reproduction: past 100 changing members the preview reads no group roles, and nothing in the
 * checked inputs (so nothing in the preview, the PR summary or the pack) says they were not read.
 * Run: npm run build && npx mocha --no-config dist/test/repro/break26-bounds.test.js
 */
import { expect } from "chai";
import { GROUP_ROLE_READS_UP_TO } from "../../src/provider/group-grants";
import { impl, providerSuite } from "../helpers/drive";
import { ORG, role, tenant, user } from "../helpers/fixtures";

const GROUP = "grp_everyone00000001";

describe("break-26: group roles past the bound of changing members", () => {
  const n = GROUP_ROLE_READS_UP_TO + 1;
  const f = tenant(n, 5);
  f.groups = { [ORG]: [{ id: GROUP, name: "everyone", members: [user(0)], roles: [role(1)] }] };
  const e = providerSuite(f);
  const members = (count: number) =>
    Object.fromEntries(Array.from({ length: count }, (_, i) => [user(i), [role(2)]]));

  it("100 changing members: user 0's group role is listed", async () => {
    impl.startRun();
    const checked = await impl.check({}, { organizationId: ORG, members: members(GROUP_ROLE_READS_UP_TO) });
    expect(checked.failures ?? []).to.deep.equal([]);
    expect(checked.inputs["groupRoles"]).to.deep.equal({ [user(0)]: [role(1)] });
  });

  it("101 changing members: the checked inputs say that group roles were not read", async () => {
    impl.startRun();
    e().resetCounters();
    const checked = await impl.check({}, { organizationId: ORG, members: members(n) });
    expect(checked.failures ?? []).to.deep.equal([]);
    expect(e().count({ route: "effective-roles" })).to.equal(0);
    // Expected: some marker (e.g. `groupRolesUnread: 101`) the summary and pack can name. Got: nothing at all.
    const keys = Object.keys(checked.inputs).filter((k) => /group/i.test(k));
    expect(keys, "a marker that group roles were not read").to.not.deep.equal([]);
  });
});
