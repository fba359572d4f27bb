import { expect } from "chai";
import { resolveNames, type TenantNames, unresolvedNames } from "../../src/model/names";

const ADA = "auth0|69e9cd6013e3dca66bfbca39";
const ADA_GOOGLE = "google-oauth2|115015401343387192604";
const ADMIN = "rol_admin00000000001";
const directory: TenantNames = {
  usersByEmail: {
    "ada@acme.example": [ADA],
    "twice@acme.example": [ADA, ADA_GOOGLE],
    "none@acme.example": [],
  },
  roles: [
    { id: ADMIN, name: "admin" },
    { id: "rol_viewer0000000004", name: "viewer" },
    { id: "rol_dup1000000000001", name: "dup" },
    { id: "rol_dup2000000000002", name: "dup" },
  ],
};

describe("names: members by email and roles by name, resolved against the tenant", () => {
  it("resolves an email and a role name to IDs and records the resolution", () => {
    const out = resolveNames({ "ada@acme.example": ["admin", "rol_viewer0000000004"] }, undefined, directory);
    expect(out.failures).to.deep.equal([]);
    expect(out.members).to.deep.equal({ [ADA]: [ADMIN, "rol_viewer0000000004"] });
    expect(out.resolution).to.deep.equal({ users: { "ada@acme.example": ADA }, roles: { admin: ADMIN } });
  });

  it("an earlier resolution wins over the tenant: a renamed role or a changed email reassigns nothing", () => {
    const previous = { users: { "ada@acme.example": ADA }, roles: { admin: ADMIN } };
    const moved: TenantNames = { usersByEmail: { "ada@acme.example": [ADA_GOOGLE] }, roles: [] };
    expect(unresolvedNames({ "ada@acme.example": ["admin"] }, previous)).to.deep.equal({
      emails: [],
      roleNames: [],
    });
    expect(resolveNames({ "ada@acme.example": ["admin"] }, previous, moved).members).to.deep.equal({
      [ADA]: [ADMIN],
    });
  });

  it("each ambiguity is an error naming the entry, the candidates and the way out", () => {
    const out = resolveNames(
      {
        "twice@acme.example": ["admin"],
        "none@acme.example": ["admin"],
        [ADA]: ["dup", "admni"],
        "ada@acme.example": ["viewer"],
      },
      undefined,
      directory,
    );
    const reasons = out.failures.map((f) => f.reason);
    expect(reasons).to.have.length(5);
    expect(reasons[0])
      .to.contain('members["twice@acme.example"]')
      .and.contain(ADA_GOOGLE)
      .and.contain("Write the user ID");
    expect(reasons[1]).to.contain("no user has the email");
    expect(reasons[2])
      .to.contain(`members["${ADA}"][0]`)
      .and.contain("rol_dup1000000000001")
      .and.contain("rol_dup2000000000002");
    expect(reasons[3]).to.contain('no role is named "admni"').and.contain('"admin"');
    expect(reasons[4]).to.contain("are the same user").and.contain(ADA);
  });
});
