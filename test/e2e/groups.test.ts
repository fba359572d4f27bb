/**
 * Issue 26 on the real engine against the emulator: another organization's role fails at preview with nothing
 * written, and a member holding a role through a group sees it in the PR summary and keeps it through
 * authoritative `up`s (the resource manages direct assignments only; it never fights a group grant).
 */

import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { declareOrganizations } from "../../components/from-config";
import { OrgGroupRoles } from "../../components/org-group-roles";
import { OrgMemberRoles } from "../../components/org-member-roles";
import { shardOf } from "../../components/shards";
import { effectiveRoles } from "../../emulator/groups";
import { DEFAULT_SEED_PATH, loadFixture } from "../../emulator/index";
import { previewJson } from "../../scripts/preview-json";
import { summarisePreview } from "../../src/summary";
import { engineSuite } from "../helpers/engine-suite";
import {
  ACME,
  ACME_OPS,
  ADA,
  DEVELOPER,
  ENGINEERING,
  GLOBEX,
  GLOBEX_OPS,
  GRACE,
  VIEWER,
  withOrgRoles,
} from "../helpers/org-roles-fixture";

describe("organization roles and groups on the real engine (issue 26)", function () {
  this.timeout(240_000);
  const suite = engineSuite("groups", () => withOrgRoles(loadFixture(DEFAULT_SEED_PATH)));
  let program: PulumiFn;
  const newStack = () => suite.newStack(() => program());
  const { onOutput, take } = suite;
  const deletes = () => suite.emulator.requests.filter((r) => r.method === "DELETE");
  const effective = (user: string) =>
    Object.fromEntries(
      effectiveRoles(suite.emulator.tenant, ACME, user, new Set(suite.emulator.rolesOf(ACME, user))),
    );
  beforeEach(() => suite.emulator.reset());

  it("another organization's role fails the preview, naming the role, its owner and the member; nothing is written", async () => {
    program = async () =>
      void new OrgMemberRoles("acme", { organizationId: ACME, members: { [GRACE]: [GLOBEX_OPS] } });
    const stack = await newStack();
    take();
    const failed = await stack.preview({ onOutput }).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(failed, "the preview fails").to.be.instanceOf(Error);
    expect(take()).to.contain(GLOBEX_OPS).and.contain(GLOBEX).and.contain(GRACE);
    const upFailed = await stack.up({ onOutput }).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(upFailed, "the up fails at check too").to.be.instanceOf(Error);
    expect(suite.emulator.writes()).to.equal(0);
    expect(suite.emulator.rolesOf(ACME, GRACE)).to.not.include(GLOBEX_OPS);
  });

  it("a member holding a role through a group: the summary shows it, and authoritative ups keep it, with no DELETE and no drift", async () => {
    let members: Record<string, string[]> = { [ADA]: [VIEWER] };
    program = async () => void new OrgMemberRoles("acme", { organizationId: ACME, members });
    const stack = await newStack();
    await stack.up({ onOutput });
    // Ada gains a direct role that her group grants already, and another: the summary shows both facts.
    members = { [ADA]: [DEVELOPER, VIEWER, ACME_OPS] };
    const json = await previewJson(stack, { diff: true }, "events");
    expect(json.failed).to.equal(false);
    const md = summarisePreview(json.text, {
      roles: [
        { id: DEVELOPER, name: "developer" },
        { id: VIEWER, name: "viewer" },
        { id: ACME_OPS, name: "ops" },
      ],
    }).summary.markdown;
    expect(md.split("\n").filter((l) => l.startsWith(`- \`${ADA}\``))).to.deep.equal([
      `- \`${ADA}\`: gains \`developer\`, \`ops\`; \`developer\` redundant: a group grants it too`,
    ]);
    await stack.up({ onOutput });
    // Dropping the direct assignment: the summary says she keeps the role through the group.
    members = { [ADA]: [VIEWER] };
    const drop = summarisePreview((await previewJson(stack, { diff: true }, "events")).text, {
      roles: [
        { id: DEVELOPER, name: "developer" },
        { id: ACME_OPS, name: "ops" },
      ],
    }).summary.markdown;
    expect(drop.split("\n").filter((l) => l.startsWith(`- \`${ADA}\``))).to.deep.equal([
      `- \`${ADA}\`: loses \`ops\`; its direct \`developer\` goes, still held through a group`,
    ]);
    suite.emulator.resetCounters();
    await stack.up({ onOutput });
    // The group gains a role outside Pulumi between ups: no drift, no write, nothing taken.
    suite.emulator.tenant.groups.get(ACME)!.get(ENGINEERING)!.roles.add(ACME_OPS);
    await stack.up({ onOutput, refresh: true });
    await stack.up({ onOutput });
    await stack.preview({ expectNoChanges: true, refresh: true, onOutput });
    expect(deletes().map((r) => r.body)).to.deep.equal([{ roles: [DEVELOPER, ACME_OPS].sort() }]);
    expect(effective(ADA)).to.deep.equal({
      [VIEWER]: ["direct"],
      [DEVELOPER]: ["groups"],
      [ACME_OPS]: ["groups"],
    });
    expect(suite.emulator.rolesOf(ACME, ADA)).to.deep.equal([VIEWER]);
  });

  it("OrgGroupRoles beside OrgMemberRoles: create adopts, update and refresh converge, destroy removes what it owns", async () => {
    const groupRoles = () => [...suite.emulator.tenant.groups.get(ACME)!.get(ENGINEERING)!.roles].sort();
    let groups: Record<string, string[]> = { [ENGINEERING]: [VIEWER] };
    let mode: "authoritative" | "additive" = "authoritative";
    program = async () => {
      new OrgMemberRoles("acme", { organizationId: ACME, members: { [GRACE]: [VIEWER] } });
      new OrgGroupRoles("acme-groups", { organizationId: ACME, groups, mode });
    };
    const stack = await newStack();
    // Create adopts: the group's developer stays (no preview showed it leaving), viewer is added.
    await stack.up({ onOutput });
    expect(groupRoles()).to.deep.equal([DEVELOPER, VIEWER].sort());
    expect(deletes()).to.deep.equal([]);
    const outputs = (await stack.exportStack()).deployment.resources.find((r: { type: string }) =>
      r.type.endsWith(":OrgGroupRoles"),
    ).outputs;
    expect(outputs.groups).to.deep.equal({ [ENGINEERING]: [VIEWER] });
    // A refresh shows the adopted role; the preview after it shows it leaving, and the up removes it.
    await stack.refresh({ onOutput });
    take();
    await stack.preview({ diff: true, onOutput });
    expect(take()).to.contain(`"${DEVELOPER}" => "${VIEWER}"`).and.contain("1 to update");
    await stack.up({ onOutput });
    expect(groupRoles()).to.deep.equal([VIEWER]);
    // Update: one role swapped; then the same declaration shows no change, also after a refresh.
    groups = { [ENGINEERING]: [ACME_OPS] };
    await stack.up({ onOutput });
    expect(groupRoles()).to.deep.equal([ACME_OPS]);
    await stack.preview({ expectNoChanges: true, refresh: true, onOutput });
    // Additive: a role granted outside Pulumi stays through ups and destroy, which takes only what it owns.
    mode = "additive";
    await stack.up({ onOutput });
    suite.emulator.tenant.groups.get(ACME)!.get(ENGINEERING)!.roles.add(VIEWER);
    await stack.up({ onOutput, refresh: true });
    expect(groupRoles()).to.deep.equal([ACME_OPS, VIEWER].sort());
    await stack.destroy({ onOutput });
    expect(groupRoles()).to.deep.equal([VIEWER]);
    expect(suite.emulator.rolesOf(ACME, GRACE)).to.not.include(VIEWER);
  });

  it("OrgGroupRoles: an unknown group fails the preview, naming it, with nothing written", async () => {
    program = async () =>
      void new OrgGroupRoles("acme-groups", {
        organizationId: ACME,
        groups: { grp_nosuchgroup0001: [VIEWER] },
      });
    const stack = await newStack();
    take();
    const failed = await stack.preview({ onOutput }).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(failed).to.be.instanceOf(Error);
    expect(take()).to.contain("grp_nosuchgroup0001").and.contain("has no group");
    expect(suite.emulator.writes()).to.equal(0);
  });

  it("stack config: an entry's groups declare an OrgGroupRoles <name>-groups, aliases resolved", async () => {
    program = async () =>
      void declareOrganizations(
        {
          roles: { ops: ACME_OPS },
          organizations: [
            {
              name: "acme",
              organizationId: ACME,
              mode: "additive",
              members: { [GRACE]: [VIEWER] },
              groups: { [ENGINEERING]: ["ops"] },
            },
          ],
        },
        "groups",
      );
    const stack = await newStack();
    await stack.up({ onOutput });
    const types = (await stack.exportStack()).deployment.resources.map((r: { urn: string }) =>
      r.urn.split("::").slice(2).join("::"),
    );
    expect(types).to.include("pulumi-nodejs:dynamic/auth0:OrgGroupRoles::acme-groups");
    expect([...suite.emulator.tenant.groups.get(ACME)!.get(ENGINEERING)!.roles].sort()).to.deep.equal(
      [ACME_OPS, DEVELOPER].sort(),
    );
    await stack.preview({ expectNoChanges: true, refresh: true, onOutput });
    await stack.destroy({ onOutput });
    expect([...suite.emulator.tenant.groups.get(ACME)!.get(ENGINEERING)!.roles]).to.deep.equal([DEVELOPER]);
  });

  it("in a shard, an entry with groups moves to another stack, in either order of their runs: its group keeps its roles (no DELETE)", async () => {
    // A count that moves acme away from shard 0, and the shard it moves to.
    const count = [2, 3, 4, 5].find((c) => shardOf(ACME, c) !== 0)!;
    const entry = {
      name: "acme",
      organizationId: ACME,
      mode: "additive" as const,
      members: { [GRACE]: [VIEWER] },
      groups: { [ENGINEERING]: [ACME_OPS] },
    };
    const groupRoles = () => [...suite.emulator.tenant.groups.get(ACME)!.get(ENGINEERING)!.roles].sort();
    for (const newFirst of [false, true]) {
      suite.emulator.reset();
      const layoutA = { index: 0, count: 1 };
      const shardProgram = (shard: { index: number; count: number }) => async () =>
        void declareOrganizations({ organizations: [entry], shard: { ...shard } }, "groups");
      program = shardProgram(layoutA);
      const stackA = await newStack();
      program = shardProgram({ index: shardOf(ACME, count), count });
      const stackB = await newStack();
      await stackA.up({ onOutput });
      expect(groupRoles()).to.deep.equal([ACME_OPS, DEVELOPER].sort());
      layoutA.count = count;
      for (const stack of newFirst ? [stackB, stackA] : [stackA, stackB]) {
        await stack.up({ onOutput });
        expect(deletes(), `after ${stack.name}`).to.deep.equal([]);
        expect(groupRoles(), `after ${stack.name}`).to.deep.equal([ACME_OPS, DEVELOPER].sort());
      }
      await stackB.preview({ expectNoChanges: true, refresh: true, onOutput });
      // A destroy of the retiring stack releases too.
      await stackA.destroy({ onOutput });
      expect(deletes()).to.deep.equal([]);
    }
  });

  it("stack config set with --secret: members and groups stay secrets in the state, not in clear", async () => {
    program = async () => {
      const config = new pulumi.Config();
      declareOrganizations({ organizations: config.requireObject("organizations") }, "groups");
    };
    const stack = await newStack();
    const organizations = [
      {
        name: "acme",
        organizationId: ACME,
        members: { [GRACE]: [VIEWER] },
        groups: { [ENGINEERING]: [ACME_OPS] },
      },
    ];
    await stack.setConfig("groups:organizations", { value: JSON.stringify(organizations), secret: true });
    take();
    await stack.up({ onOutput });
    // The state as the backend stores it (exportStack would decrypt), and what the engine printed.
    const stored = readFileSync(
      path.join(suite.tmp, "state", ".pulumi", "stacks", "groups", `${stack.name}.json`),
      "utf8",
    );
    expect(stored).to.contain("OrgGroupRoles").and.contain("ciphertext");
    expect(stored).not.to.contain(GRACE).and.not.to.contain(ENGINEERING);
    expect(take()).not.to.contain(GRACE);
    expect(suite.emulator.rolesOf(ACME, GRACE)).to.include(VIEWER);
  });
});
