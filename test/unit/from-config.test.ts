import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { declareOrganizations } from "../../components/from-config";
import { OrgMemberRoles } from "../../components/org-member-roles";
import { refuseUnknownConfig } from "../../src/pulumi/unknown-config";
import { resolveOrganizations } from "../helpers/resolve-organizations";

const NS = "auth0-org-member-roles";
const ADMIN = "rol_admin00000000001";
const VIEWER = "rol_viewer0000000004";
const ADA = "auth0|69e9cd6013e3dca66bfbca39";
const config = (entry: Record<string, unknown>) => ({
  roles: { admin: ADMIN, viewer: VIEWER },
  organizations: [
    { name: "acme", organizationId: "org_acme000000000001", members: { [ADA]: ["admin"] }, ...entry },
  ],
});
const problem = (c: unknown) => {
  try {
    resolveOrganizations(c, NS);
  } catch (err) {
    return (err as Error).message;
  }
  return "";
};

describe("stack config: organizations resolved and validated at program time", () => {
  it("resolves role aliases to IDs and keeps role IDs as they are", () => {
    const [org] = resolveOrganizations(config({ members: { [ADA]: ["admin", VIEWER] } }), NS);
    expect(org!.members).to.deep.equal({ [ADA]: [ADMIN, VIEWER] });
    expect(org!.name).to.equal("acme");
  });

  it("a reference that is neither an alias nor a role ID passes as a role name (resolved by the resource at preview)", () => {
    const [org] = resolveOrganizations(config({ members: { [ADA]: ["admni"] } }), NS);
    expect(org!.members).to.deep.equal({ [ADA]: ["admni"] });
  });

  it("groups: role aliases resolve to IDs; a role name or an unknown alias is refused, naming the group", () => {
    const [org] = resolveOrganizations(config({ groups: { grp_eng: ["viewer", ADMIN] } }), NS);
    expect(org!.groups).to.deep.equal({ grp_eng: [VIEWER, ADMIN] });
    expect(resolveOrganizations(config({}), NS)[0]).to.not.have.property("groups");
    expect(problem(config({ groups: { grp_eng: ["viewr"] } })))
      .to.contain('organizations[0] (acme).groups["grp_eng"]')
      .and.contain('"viewr" is neither a role alias nor a role ID');
  });

  it("members may be written by email", () => {
    const [org] = resolveOrganizations(config({ members: { "ada@acme.example": ["admin"] } }), NS);
    expect(org!.members).to.deep.equal({ "ada@acme.example": [ADMIN] });
  });

  it("an invalid mode names the entry and the valid choices", () => {
    const message = problem(config({ mode: "wrong" }));
    expect(message).to.contain(`${NS}:organizations[0].mode`).and.contain('"authoritative", "additive"');
    expect(message).not.to.contain("Invalid input");
  });

  it("a member that is neither a user ID nor an email names the entry and the expected shapes", () => {
    const message = problem(config({ members: { "ada lovelace": ["admin"] } }));
    expect(message)
      .to.contain(`${NS}:organizations[0] (acme).members["ada lovelace"]`)
      .and.contain("{provider}|{id}")
      .and.contain("email");
  });

  it("lists the problems at once, including an alias that maps to something other than a role ID", () => {
    const message = problem({
      roles: { admin: "administrators" },
      organizations: [{ organizationId: "org_acme000000000001", members: { "not a user": ["admin"] } }],
    });
    expect(message.split("\n").filter((l) => l.startsWith("  "))).to.have.length(2);
    expect(message).to.contain(`${NS}:roles.admin`).and.contain('members["not a user"]');
  });

  it("repeated names are refused with the entry that repeats", () => {
    const c = config({});
    c.organizations.push({ ...c.organizations[0]! });
    expect(problem(c)).to.contain(`${NS}:organizations[1] (acme): repeats the name "acme"`);
  });
});

describe("stack config: keys and organization IDs", () => {
  it("a misspelt key is refused with the valid keys, not ignored", () => {
    const message = problem(config({ retainOnDelet: true }));
    expect(message).to.contain('"retainOnDelet"').and.contain("valid keys").and.contain("retainOnDelete");
  });
  it("an organization ID that is not one is refused at program time", () => {
    expect(problem(config({ organizationId: "acme" })))
      .to.contain("organizationId")
      .and.contain("org_");
  });
});

describe("stack config: grants with an end", () => {
  // What the real engine hands the program for unquoted `until: 2026-12-31T18:00:00Z` and `until: 2026-12-31`
  // in Pulumi.<stack>.yaml (measured: repro/yaml-date.js): Go's rendering of a YAML timestamp.
  it("an unquoted YAML date and time is refused with the fix (quote it), not passed on as 'no zone'", () => {
    for (const until of ["2026-12-31 18:00:00 +0000 UTC", "2026-12-31 00:00:00 +0000 UTC"]) {
      const message = problem(config({ members: { [ADA]: [{ role: "admin", until }] } }));
      expect(message, until)
        .to.contain(`${NS}:organizations[0] (acme).members["${ADA}"][0].until`)
        .and.contain("unquoted")
        .and.contain('until: "2026-12-31T18:00:00Z"');
    }
    const [org] = resolveOrganizations(
      config({ members: { [ADA]: [{ role: "admin", until: "2026-12-31T18:00:00Z" }] } }),
      NS,
    );
    expect(org!.members).to.deep.equal({ [ADA]: [{ role: ADMIN, until: "2026-12-31T18:00:00Z" }] });
  });

  it("an until that is no string (a number of seconds) says which shape is expected, not 'Invalid input'", () => {
    const message = problem(config({ members: { [ADA]: [{ role: "admin", until: 1798740000 }] } }));
    expect(message).to.not.contain("Invalid input");
    expect(message).to.contain(`${NS}:organizations[0].members`).and.contain("{ role, until }");
  });
});

describe("declareOrganizations() on stack config: the package's namespace, whatever the project is called", () => {
  const ORG = "org_acme000000000001";
  const setConfig = (values: Record<string, unknown>) =>
    pulumi.runtime.setAllConfig(
      Object.fromEntries(Object.entries(values).map(([k, v]) => [k, JSON.stringify(v)])),
      [],
    );
  before(() =>
    pulumi.runtime.setMocks(
      { newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs },
      "my-infra",
      "dev",
    ),
  );
  afterEach(() => pulumi.runtime.setAllConfig({}, []));

  it("reads auth0-org-member-roles:roles and :organizations in a project named my-infra", () => {
    setConfig({
      "auth0-org-member-roles:roles": { admin: ADMIN },
      "auth0-org-member-roles:organizations": [
        { name: "acme", organizationId: ORG, members: { [ADA]: ["admin"] } },
      ],
      "my-infra:organizations": "not read: the project's own namespace is the project's",
    });
    expect(pulumi.getProject()).to.equal("my-infra");
    const resources = declareOrganizations();
    expect(resources).to.have.length(1);
  });

  it("refuses a misspelt key of the namespace before declaring anything, naming it and the key meant", () => {
    setConfig({
      "auth0-org-member-roles:organizations": [{ organizationId: ORG, members: { [ADA]: [ADMIN] } }],
      "auth0-org-member-roles:shrad": { index: 0, count: 2 },
    });
    expect(() => declareOrganizations()).to.throw(
      "Unknown stack config auth0-org-member-roles:shrad (did you mean auth0-org-member-roles:shard?)",
    );
  });

  it("without organizations, names the key to set", () => {
    setConfig({});
    expect(() => declareOrganizations()).to.throw("auth0-org-member-roles:organizations");
  });
});

describe("stack config set with --secret: its errors show no member, group or role reference", () => {
  const secretKeys = (keys: string[]) => pulumi.runtime.setAllConfig({ [`${NS}:organizations`]: "[]" }, keys);
  afterEach(() => pulumi.runtime.setAllConfig({}, []));
  const declared = (c: unknown) => {
    try {
      declareOrganizations(c, NS);
    } catch (err) {
      return (err as Error).message;
    }
    return "";
  };
  const bad = {
    organizations: [
      {
        organizationId: "org_acme000000000001",
        members: { "auth0|SECRETBADKEY0000000001": "admin", "jane.doe-secret-handle": ["viewer"] },
        groups: { grp_engineering00001: ["notarole"] },
      },
    ],
  };

  it("a schema error and a later check each keep the key path with the secret words masked", () => {
    secretKeys([`${NS}:organizations`]);
    const schema = declared(bad);
    expect(schema).to.contain("Invalid stack config").and.contain("(secret member");
    expect(schema).not.to.contain("SECRETBADKEY");
    const later = declared({
      organizations: [{ ...bad.organizations[0], members: { "jane.doe-secret-handle": ["viewer"] } }],
    });
    expect(later).to.contain("nor an email").and.contain("is neither a role alias nor a role ID");
    for (const word of ["jane.doe-secret-handle", "grp_engineering00001", "notarole"])
      expect(later).not.to.contain(word);
  });

  it("the same config, not secret, names them (the fix needs them)", () => {
    secretKeys([]);
    expect(declared(bad)).to.contain("SECRETBADKEY0000000001");
  });
});

describe("the unknown-key check", () => {
  it("refuses a key of its namespace it does not read, naming the nearest key and the keys it reads", () => {
    expect(() =>
      refuseUnknownConfig({ "proj:shards": "{}", "proj:roles": "{}", "auth0:domain": "x" }, "proj", [
        "roles",
        "shard",
      ]),
    ).to.throw(
      "Unknown stack config proj:shards (did you mean proj:shard?): this program reads proj:roles, proj:shard",
    );
  });

  it("names the nearest key for the usual typos (swapped, missing, doubled, wrong case), none for an unrelated key", () => {
    const keys = ["roles", "organizations", "shard"];
    const message = (config: Record<string, unknown>) => {
      try {
        refuseUnknownConfig(config, "ns", keys);
      } catch (err) {
        return (err as Error).message;
      }
      return "";
    };
    expect(message({ "ns:shrad": "{}" })).to.contain("ns:shrad (did you mean ns:shard?)");
    expect(message({ "ns:organisations": "[]" })).to.contain("(did you mean ns:organizations?)");
    expect(message({ "ns:role": "{}" })).to.contain("(did you mean ns:roles?)");
    expect(message({ "ns:Roles": "{}" })).to.contain("(did you mean ns:roles?)");
    expect(message({ "ns:concurrency": "4" }))
      .to.contain("Unknown stack config ns:concurrency:")
      .and.not.contain("did you mean");
  });

  it("a misspelt orgMemberRoles: setting stops the program at the first resource, naming the setting meant (the provider cannot see keys it does not ask for)", () => {
    pulumi.runtime.setMocks(
      { newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs },
      "my-infra",
      "dev",
    );
    pulumi.runtime.setAllConfig(
      { "orgMemberRoles:requestTimeoutMS": "1000", "orgMemberRoles:roleCap": "50" },
      [],
    );
    try {
      const declare = () =>
        new OrgMemberRoles("acme", { organizationId: "org_acme000000000001", members: {} });
      expect(declare).to.throw(
        "Unknown stack config orgMemberRoles:requestTimeoutMS (did you mean orgMemberRoles:requestTimeoutMs?)",
      );
      pulumi.runtime.setAllConfig({ "orgMemberRoles:requestTimeoutMs": "1000" }, []);
      expect(declare).to.not.throw();
    } finally {
      pulumi.runtime.setAllConfig({}, []);
    }
  });
});
