import { expect } from "chai";
import { resolveNames, type TenantNames } from "../../src/model/names";
import { changedMembers, usableIn, validateChanges } from "../../src/model/validate";

const ACME = "org_acme000000000001";
const GLOBEX = "org_globex0000000002";
const ADA = "auth0|69e9cd6013e3dca66bfbca39";
const TENANT_VIEWER = "rol_viewer0000000004";
const ACME_VIEWER = "rol_acmeviewer000009";
const ACME_OPS = "rol_acmeops000000007";
const GLOBEX_OPS = "rol_globexops0000008";
const GLOBEX_AUDIT = "rol_globexaudit00010";

const directory: TenantNames = {
  usersByEmail: {},
  roles: [
    { id: TENANT_VIEWER, name: "viewer", type: "tenant" },
    { id: ACME_VIEWER, name: "viewer", type: "organization", owner_id: ACME },
    { id: ACME_OPS, name: "ops", type: "organization", owner_id: ACME },
    { id: GLOBEX_OPS, name: "ops", type: "organization", owner_id: GLOBEX },
    { id: GLOBEX_AUDIT, name: "audit", type: "organization", owner_id: GLOBEX },
  ],
};

describe("organization roles: names resolve among the tenant's roles and this organization's own", () => {
  it("resolves a name that only this organization's role has, ignoring another organization's", () => {
    const out = resolveNames({ [ADA]: ["ops"] }, undefined, directory, ACME);
    expect(out.failures).to.deep.equal([]);
    expect(out.members).to.deep.equal({ [ADA]: [ACME_OPS] });
  });

  it("fails a name that a tenant role and this organization's role share, listing both with whose they are", () => {
    const [failure, ...rest] = resolveNames({ [ADA]: ["viewer"] }, undefined, directory, ACME).failures;
    expect(rest).to.deep.equal([]);
    expect(failure!.reason)
      .to.contain(`${TENANT_VIEWER}, a tenant role`)
      .and.contain(`${ACME_VIEWER}, a role of organization ${ACME}`);
  });

  it("takes the tenant role where the other organization's role of that name is out of reach", () => {
    const out = resolveNames({ [ADA]: ["viewer"] }, undefined, directory, GLOBEX);
    expect(out.members).to.deep.equal({ [ADA]: [TENANT_VIEWER] });
  });

  it("says a name exists only in another organization, rather than nowhere", () => {
    const [failure] = resolveNames({ [ADA]: ["audit"] }, undefined, directory, ACME).failures;
    expect(failure!.reason).to.contain(GLOBEX_AUDIT).and.contain(`organization ${GLOBEX}`);
  });
});

describe("organization roles: validation refuses another organization's role", () => {
  const options = {
    organizationId: ACME,
    mode: "additive" as const,
    roleCap: 100,
    addsMissingMembers: false,
  };
  const role = (id: string) => directory.roles.find((r) => r.id === id);

  it("names the role, its owner and the member, at the role's path", () => {
    const changed = changedMembers(undefined, { [ADA]: [ACME_OPS, GLOBEX_OPS] });
    const failures = validateChanges(changed, { live: { [ADA]: [] }, role }, options);
    expect(failures.map((f) => f.property)).to.deep.equal([`members["${ADA}"][1]`]);
    expect(failures[0]!.reason).to.contain(GLOBEX_OPS).and.contain(`organization ${GLOBEX}`).and.contain(ADA);
  });

  it("takes a role without a type as a tenant role (tenants without the Early Access feature)", () => {
    expect(usableIn({ name: "legacy" }, ACME)).to.equal(true);
    expect(usableIn({ name: "ops", type: "organization", owner_id: GLOBEX }, ACME)).to.equal(false);
  });
});
