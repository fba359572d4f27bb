import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { expect } from "chai";
import { GROUP_RESOURCE_TYPE_TOKEN } from "../../src/pulumi/tokens";
import { summarisePreview } from "../../src/summary";
import { ADA, fixtureFile, ROLE, scenarioUsers } from "../helpers/preview-scenarios";

/** The recorded one-member change (Ada: developer → support), with the new state's members and groupRoles set. */
function withGroups(news: string[], groupRoles: unknown): string {
  const doc = JSON.parse(
    gunzipSync(readFileSync(fixtureFile("one-member-change", "digest"))).toString("utf8"),
  );
  const step = doc.steps.find((s: { op: string }) => s.op === "update");
  step.newState.inputs.members = { ...step.newState.inputs.members, [ADA]: news };
  step.newState.inputs.groupRoles = groupRoles;
  return JSON.stringify(doc);
}
const adaLine = (text: string) =>
  summarisePreview(text, { users: scenarioUsers() })
    .summary.markdown.split("\n")
    .find((l) => l.startsWith(`- \`${ADA}\``));

/**
 * A copy of `step` (an OrgMemberRoles step of a recording) as the OrgGroupRoles `acme-groups`: its group
 * `grp_eng` held `before` and is declared with `after`.
 */
// biome-ignore lint/suspicious/noExplicitAny: a recorded preview step, edited as JSON
function asGroupStep(step: any, before: string[], after: string[]): any {
  const group = structuredClone(step);
  group.urn = step.urn.replace("OrgMemberRoles::acme", "OrgGroupRoles::acme-groups");
  for (const state of [group.oldState, group.newState]) {
    if (!state) continue;
    state.urn = group.urn;
    state.type = GROUP_RESOURCE_TYPE_TOKEN;
    for (const side of ["inputs", "outputs"]) {
      if (!state[side]?.members) continue;
      state[side].groups = { grp_eng: side === "inputs" && state === group.newState ? after : before };
      delete state[side].members;
      delete state[side].groupRoles;
    }
  }
  return group;
}

describe("pr-summary: roles a changing member holds through a group", () => {
  it("lists the group's roles beside the change", () => {
    expect(adaLine(withGroups([ROLE.admin, ROLE.support], { [ADA]: [ROLE.auditor] }))).to.equal(
      `- \`${ADA}\` \`ada@acme.example\`: gains \`support\`; loses \`developer\`; also holds through a group \`auditor\``,
    );
  });

  it("never shows a group-held role as lost: the direct assignment goes, the member keeps the role", () => {
    const line = adaLine(withGroups([ROLE.admin, ROLE.support], { [ADA]: [ROLE.developer] }));
    expect(line).to.equal(
      `- \`${ADA}\` \`ada@acme.example\`: gains \`support\`; its direct \`developer\` goes, still held through a group`,
    );
    expect(line).to.not.contain("loses");
  });

  it("a member dropped from the map keeps a group-held role: shown as kept, not lost", () => {
    const doc = JSON.parse(withGroups([], { [ADA]: [ROLE.developer] }));
    const step = doc.steps.find((s: { op: string }) => s.op === "update");
    delete step.newState.inputs.members[ADA];
    const line = adaLine(JSON.stringify(doc));
    expect(line).to.contain(`removed`).and.contain("its direct `developer` goes, still held through a group");
    expect(line).to.not.contain("loses `developer`");
  });

  it("marks a declared direct role that a group already grants as redundant", () => {
    expect(adaLine(withGroups([ROLE.admin, ROLE.support, ROLE.viewer], { [ADA]: [ROLE.viewer] }))).to.equal(
      `- \`${ADA}\` \`ada@acme.example\`: gains \`support\`, \`viewer\`; loses \`developer\`; \`viewer\` redundant: a group grants it too`,
    );
  });

  it("says when the preview read no group roles (too many changing members), so a role shown lost may stay", () => {
    const doc = JSON.parse(withGroups([ROLE.admin, ROLE.support], undefined));
    const step = doc.steps.find((s: { op: string }) => s.op === "update");
    step.newState.inputs.groupRolesUnread =
      "101 members change, more than the 100 whose group roles a preview reads";
    const markdown = summarisePreview(JSON.stringify(doc), { users: scenarioUsers() }).summary.markdown;
    expect(markdown).to.contain(
      "roles held through groups were not read (101 members change, more than the 100 whose group roles a preview reads); a role shown as lost may still be held through a group.",
    );
  });

  it("a delete says that roles held through groups stay", () => {
    const doc = JSON.parse(withGroups([ROLE.admin, ROLE.support], undefined));
    const step = doc.steps.find((s: { op: string }) => s.op === "update");
    step.op = "delete";
    step.newState = undefined;
    const markdown = summarisePreview(JSON.stringify(doc), { users: scenarioUsers() }).summary.markdown;
    expect(markdown).to.contain(
      "lose the direct roles it declared (group roles are not read for a delete; those stay)",
    );
  });

  it("a secret or malformed groupRoles shows nothing about groups", () => {
    for (const hidden of ["[secret]", "04da6b54-80e4-46f7-96ec-b56ff0331ba9", [ROLE.viewer], null])
      expect(adaLine(withGroups([ROLE.admin, ROLE.support], hidden))).to.equal(
        `- \`${ADA}\` \`ada@acme.example\`: gains \`support\`; loses \`developer\``,
      );
  });
});

describe("pr-summary: OrgGroupRoles", () => {
  it("shows each group's gains and losses as a group line, counted as groups, not members", () => {
    const doc = JSON.parse(
      gunzipSync(readFileSync(fixtureFile("one-member-change", "digest"))).toString("utf8"),
    );
    const step = doc.steps.find((s: { op: string }) => s.op === "update");
    doc.steps.push(asGroupStep(step, [ROLE.admin], [ROLE.viewer]));
    const md = summarisePreview(JSON.stringify(doc), { users: scenarioUsers() }).summary.markdown;
    expect(md).to.contain("- group `grp_eng`: gains `viewer`; loses `admin`");
    expect(md).to.contain(": 1 member changed, 1 group changed");
    expect(md).to.not.contain("OrgGroupRoles` (not summarised here)");
  });

  it("a deleted or released OrgGroupRoles' note speaks of its groups, not of members' group roles", () => {
    const doc = JSON.parse(
      gunzipSync(readFileSync(fixtureFile("one-member-change", "digest"))).toString("utf8"),
    );
    const index = doc.steps.findIndex((s: { op: string }) => s.op === "update");
    const group = asGroupStep({ ...doc.steps[index], op: "delete", newState: undefined }, [ROLE.admin], []);
    doc.steps[index] = group;
    const state = group.oldState;
    const summary = () => summarisePreview(JSON.stringify(doc), { users: scenarioUsers() }).summary.markdown;
    expect(summary()).to.contain("is deleted: its groups lose the roles it declared.");
    expect(summary()).to.not.contain("group roles are not read");
    state.retainOnDelete = true;
    expect(summary()).to.contain("leaves the stack with retainOnDelete: its groups keep their roles.");
  });
});

describe("pr-summary: a group losing a role in the same preview", () => {
  it("a member's group-held role that an OrgGroupRoles of the organization removes is not shown as kept", () => {
    const doc = JSON.parse(withGroups([ROLE.admin, ROLE.support], { [ADA]: [ROLE.developer, ROLE.auditor] }));
    const step = doc.steps.find((s: { op: string }) => s.op === "update");
    doc.steps.push(asGroupStep(step, [ROLE.developer], [ROLE.viewer]));
    const line = adaLine(JSON.stringify(doc));
    expect(line).to.equal(
      `- \`${ADA}\` \`ada@acme.example\`: gains \`support\`; loses \`developer\`; also holds through a group \`auditor\`; held through a group at preview: \`developer\`, which a group loses in this change (in \`acme\`)`,
    );
    expect(line).to.not.contain("still held");
  });
});
