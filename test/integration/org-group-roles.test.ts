import { expect } from "chai";
import { DEFAULT_SEED_PATH, loadFixture } from "../../emulator/index";
import { configureFor, impl, providerSuite } from "../helpers/drive";
import {
  ACME,
  ACME_OPS,
  DEVELOPER,
  ENGINEERING,
  GLOBEX_OPS,
  VIEWER,
  withOrgRoles,
} from "../helpers/org-roles-fixture";

type Props = Record<string, unknown>;
const g = impl.groupRoles;
const declare = (groups: Record<string, string[]>, mode = "authoritative") => ({
  organizationId: ACME,
  groups,
  mode,
});

/** `pulumi up` of OrgGroupRoles as the engine calls it: check, then create or diff and update. */
async function up(stored: { id: string; outputs: Props } | undefined, inputs: Props) {
  impl.startRun();
  const checked = await g.check(stored?.outputs ?? {}, inputs);
  if (checked.failures?.length) throw new Error(checked.failures.map((f) => f.reason).join("\n"));
  const news = checked.inputs as Props;
  if (!stored) {
    const created = await g.create(news);
    return { id: created.id, outputs: created.outs as Props };
  }
  const d = await g.diff(stored.id, stored.outputs, news);
  if (!d.changes) return stored;
  const updated = await g.update(stored.id, stored.outputs, news);
  return { id: stored.id, outputs: updated.outs as Props };
}

describe("OrgGroupRoles provider against the emulator", () => {
  const e = providerSuite(withOrgRoles(loadFixture(DEFAULT_SEED_PATH)));
  const groupRoles = () => [...e().tenant.groups.get(ACME)!.get(ENGINEERING)!.roles].sort();
  const writes = (method: string) => e().count({ method, route: "group-roles" });

  it("create adopts what the group holds: adds what is missing, removes nothing, and records the rest as tenantDiffers", async () => {
    const s = await up(undefined, declare({ [ENGINEERING]: [VIEWER] }));
    expect(groupRoles()).to.deep.equal([DEVELOPER, VIEWER].sort());
    expect(s.outputs["groups"]).to.deep.equal({ [ENGINEERING]: [VIEWER] });
    expect(s.outputs).to.not.have.property("members");
    expect(s.outputs["tenantDiffers"]).to.deep.equal({ [ENGINEERING]: { missing: [], extra: [DEVELOPER] } });
    expect(writes("DELETE")).to.equal(0);
    expect(writes("POST")).to.equal(1);
  });

  it("adoption of what is already held writes nothing", async () => {
    await up(undefined, declare({ [ENGINEERING]: [DEVELOPER] }));
    expect(e().writes()).to.equal(0);
  });

  it("update adds and removes what the preview shows; refresh reads drift; destroy removes what it owns", async () => {
    let s = await up(undefined, declare({ [ENGINEERING]: [DEVELOPER, VIEWER] }));
    s = await up(s, declare({ [ENGINEERING]: [ACME_OPS, VIEWER] }));
    expect(groupRoles()).to.deep.equal([ACME_OPS, VIEWER].sort());
    e().tenant.groups.get(ACME)!.get(ENGINEERING)!.roles.add(DEVELOPER);
    impl.startRun();
    const refreshed = await g.read(s.id, s.outputs);
    expect((refreshed.props as Props)["groups"]).to.deep.equal({
      [ENGINEERING]: [ACME_OPS, DEVELOPER, VIEWER].sort(),
    });
    expect((refreshed.inputs as Props)["groups"]).to.deep.equal({
      [ENGINEERING]: [ACME_OPS, DEVELOPER, VIEWER].sort(),
    });
    s = { id: s.id, outputs: refreshed.props as Props };
    // Authoritative: the role seen by the refresh (shown in the preview) goes.
    s = await up(s, declare({ [ENGINEERING]: [ACME_OPS, VIEWER] }));
    expect(groupRoles()).to.deep.equal([ACME_OPS, VIEWER].sort());
    impl.startRun();
    await g.delete(s.id, s.outputs);
    expect(groupRoles()).to.deep.equal([]);
  });

  it("additive: roles given elsewhere stay; a role dropped from the declaration goes", async () => {
    let s = await up(undefined, declare({ [ENGINEERING]: [VIEWER] }, "additive"));
    s = await up(s, declare({ [ENGINEERING]: [] }, "additive"));
    expect(groupRoles()).to.deep.equal([DEVELOPER]);
  });

  it("check fails for an unknown group and for another organization's role, naming them, with nothing written", async () => {
    const checked = await g.check(
      {},
      declare({ grp_nosuchgroup0001: [VIEWER], [ENGINEERING]: [GLOBEX_OPS] }),
    );
    const reasons = (checked.failures ?? []).map((f) => f.reason);
    expect(reasons).to.have.length(2);
    expect(reasons.join("\n"))
      .to.contain("grp_nosuchgroup0001")
      .and.contain(GLOBEX_OPS)
      .and.contain("org_globex");
    expect(e().writes()).to.equal(0);
  });

  it("check refuses bad shapes naming the field: a role name, a group ID with a space, no organization", async () => {
    const checked = await g.check({}, { groups: { "grp eng": ["viewer"] } });
    const reasons = (checked.failures ?? []).map((f) => f.reason).join("\n");
    expect(reasons).to.contain("organizationId").and.contain("role ID").and.contain("group ID");
  });

  it("a group listed by a resource of the run is kept when another resource drops it (claims, rule 4)", async () => {
    const a = await up(undefined, declare({ [ENGINEERING]: [VIEWER] }, "additive"));
    impl.startRun();
    await g.check({}, declare({ [ENGINEERING]: [VIEWER] }, "additive"));
    await g.delete(a.id, a.outputs);
    expect(groupRoles()).to.include(VIEWER);
  });

  it("a secret groups map is masked in every message", async () => {
    await configureFor(e());
    const checked = await g.check({}, { ...declare({ grp_nosuchgroup0001: [VIEWER] }), groupsSecret: true });
    const text = (checked.failures ?? []).map((f) => f.reason).join("\n");
    expect(text).to.not.contain("grp_nosuchgroup0001").and.not.contain(VIEWER);
  });
});
