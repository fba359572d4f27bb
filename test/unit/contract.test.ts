/**
 * The client's endpoint table (src/api/endpoints.ts) held to the emulator's contract (emulator/contract.ts),
 * which is written from Auth0's published reference and never from the client: a wrong method, path or
 * scope in the client fails here instead of passing every test against an emulator that serves it back.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { CONTRACT, CONTRACT_SCOPES, type Operation } from "../../emulator/contract";
import { ENDPOINTS, type EndpointSpec } from "../../src/api/endpoints";
import {
  APPLY_SCOPES,
  GROUP_APPLY_SCOPES,
  GROUP_PREVIEW_SCOPES,
  OPTIONAL_PREVIEW_SCOPES,
  PREVIEW_SCOPES,
} from "../../src/api/scopes";

const root = path.resolve(__dirname, "../../..");
/** A path with its parameter names dropped: `organizations/{}/members`. */
const shape = (p: string) => p.replace(/\{\w+\}/g, "{}");

/** The contract's operation for a client row: same method and path shape; undefined when there is none. */
function operationFor(spec: EndpointSpec): [string, Operation] | undefined {
  return (Object.entries(CONTRACT) as Array<[string, Operation]>).find(
    ([, op]) => op.method === spec.method && shape(op.path) === shape(spec.path),
  );
}

describe("the client's endpoint table against Auth0's published contract", () => {
  for (const [name, spec] of Object.entries(ENDPOINTS) as Array<[string, EndpointSpec]>)
    it(`${name}: ${spec.method} ${spec.path} is a published operation, and its scope is one the operation accepts`, () => {
      const found = operationFor(spec);
      expect(found, `${spec.method} ${spec.path}: no published operation`).to.not.equal(undefined);
      const [id, op] = found!;
      expect(op.scopes, `${name} (${id}, ${op.page})`).to.include(spec.scope);
      // Each other scope the client accepts for it is one the operation accepts too.
      for (const other of spec.alsoAccepted ?? []) expect(op.scopes, `${name} (${id})`).to.include(other);
    });

  it("every scope the README asks users to grant is a published scope", () => {
    const docs = readFileSync(path.join(root, "README.md"), "utf8");
    const named = [...docs.matchAll(/`((?:read|create|delete|update):[a-z_]+)`/g)].map((m) => m[1]!);
    expect(named.length).to.be.greaterThan(5);
    for (const scope of new Set(named)) expect(CONTRACT_SCOPES, scope).to.include(scope);
  });

  it("every scope an application is told to hold is one some published operation accepts", () => {
    for (const scope of [
      ...PREVIEW_SCOPES,
      ...OPTIONAL_PREVIEW_SCOPES,
      ...APPLY_SCOPES,
      ...GROUP_PREVIEW_SCOPES,
      ...GROUP_APPLY_SCOPES,
    ])
      expect(CONTRACT_SCOPES, scope).to.include(scope);
  });

  it("the facts the contract takes from Auth0's reference pages (independent of the client)", () => {
    // Spot checks against the reference pages' <Scopes> tags (auth0/docs-v2 commit 092b879e), typed here
    // from those pages: effective roles need a scope of their own, not the member-roles one.
    const byPath = (method: string, p: string) =>
      Object.values(CONTRACT).find((op) => op.method === method && op.path === p) as Operation;
    expect(byPath("GET", "organizations/{id}/members/{user_id}/effective-roles").scopes).to.deep.equal([
      "read:organization_member_effective_roles",
    ]);
    expect(byPath("GET", "organizations/{id}/members/{user_id}/effective-roles").lifecycle).to.equal("GA");
    // GET /groups/{id}/members: its page's <Scopes> and <ApiReleaseLifecycle>; `from`/`take` in the description.
    const groupMembers = byPath("GET", "groups/{id}/members");
    expect([groupMembers.scopes, groupMembers.lifecycle, groupMembers.paging]).to.deep.equal([
      ["read:group_members"],
      "GA",
      "checkpoint",
    ]);
    expect(byPath("POST", "organizations/{organization_id}/groups/{group_id}/roles").statuses[409]).to.equal(
      "No more roles can be assigned to this organization group.",
    );
  });

  it("the emulator never imports the client's API facts (src/api): its contract is its own", () => {
    const dir = path.join(root, "emulator");
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
      const text = readFileSync(path.join(dir, file), "utf8");
      expect(text, file).to.not.match(/from "\.\.\/src\/api\//);
    }
  });
});
