import { expect } from "chai";
import { RESOURCE_TYPE_TOKEN } from "../../src/pulumi/tokens";
import { previewChanges } from "../../src/summary/member-changes";
import type { PreviewRecord, StateView } from "../../src/summary/preview-json";

const ADA = "auth0|ada";
const GRACE = "auth0|grace";
const A = "rol_aaaaaaaaaaaaaaaa";
const B = "rol_bbbbbbbbbbbbbbbb";

const view = (outputs: Record<string, unknown>): StateView => ({
  type: RESOURCE_TYPE_TOKEN,
  inputs: { organizationId: "org_0123456789abcdef", members: outputs["members"], mode: outputs["mode"] },
  outputs: { organizationId: "org_0123456789abcdef", ...outputs },
  retainOnDelete: false,
});

function update(
  old: Record<string, unknown>,
  members: Record<string, string[]>,
  mode = "authoritative",
): PreviewRecord {
  return {
    format: "events",
    config: {},
    steps: [
      {
        op: "update",
        urn: "urn:pulumi:s::p::t::acme",
        type: RESOURCE_TYPE_TOKEN,
        old: view(old),
        new: view({ members, mode }),
      },
    ],
    refreshes: [],
    policy: { reported: false, findings: [], packs: [] },
    diagnostics: [],
    failed: false,
  } as PreviewRecord;
}

describe("the PR summary plans with the provider's planning code", () => {
  it("shows an addition the last run failed to make (in tenantDiffers) as a gain, as up retries it", () => {
    const record = update(
      {
        members: { [ADA]: [A, B], [GRACE]: [A] },
        mode: "authoritative",
        tenantDiffers: { [ADA]: { missing: [B], extra: [] } },
      },
      { [ADA]: [A, B], [GRACE]: [] },
    );
    const [resource] = previewChanges(record).organizations[0]!.resources;
    expect(resource!.members).to.deep.equal([
      { userId: ADA, kind: "changed", gains: [B], loses: [], secret: false },
      { userId: GRACE, kind: "changed", gains: [], loses: [A], secret: false },
    ]);
  });

  it("additive: a member dropped loses only what the resource owns (declaredDiffers), not every role shown", () => {
    const record = update(
      { members: { [ADA]: [A, B] }, mode: "additive", declaredDiffers: { [ADA]: [A] } },
      {},
      "additive",
    );
    const [resource] = previewChanges(record).organizations[0]!.resources;
    expect(resource!.members).to.deep.equal([
      { userId: ADA, kind: "removed", gains: [], loses: [A], secret: false },
    ]);
  });

  it("a member named like an Object property (constructor, __proto__) is planned as any other", () => {
    const record = update({ members: {}, mode: "authoritative" }, { constructor: [A], toString: [B] });
    const [resource] = previewChanges(record).organizations[0]!.resources;
    expect(resource!.members.map((m) => [m.userId, m.gains])).to.deep.equal([
      ["constructor", [A]],
      ["toString", [B]],
    ]);
  });
});
