import { expect } from "chai";
import { organizationsConfigSchema } from "../../components/organizations-config";
import { DEFAULT_SEED_PATH, loadFixture } from "../../emulator/index";
import { renderConfigYaml } from "../../src/export/config";
import { exportOrganizations } from "../../src/export/organizations";
import { configureFor, up } from "../helpers/drive";
import { clientFor, startEmulator } from "../helpers/emulator";
import { resolveOrganizations } from "../helpers/resolve-organizations";

describe("export a live organization as stack config (adoption without pulumi import)", () => {
  const ctx = startEmulator(loadFixture(DEFAULT_SEED_PATH));
  const ACME = "org_acme000000000001";

  it("declares exactly what members hold, with role names as aliases; `up` then adopts it with no write", async () => {
    const client = clientFor(ctx.emulator);
    const config = await exportOrganizations(client, [ACME]);
    await client.close();
    expect(config.roles).to.deep.equal({ support: "rol_support000000005", viewer: "rol_viewer0000000004" });
    expect(config.organizations[0]!.members["google-oauth2|115015401343387192604"]).to.deep.equal(["viewer"]);
    expect(organizationsConfigSchema.safeParse(config).success).to.equal(true);

    const yaml = renderConfigYaml(config, "auth0-org-member-roles");
    expect(yaml).to.contain('  auth0-org-member-roles:organizations:\n    - name: "acme"');
    expect(yaml).to.contain('        "auth0|69e9cd6013e3dca66bfbca43": ["support"]');

    await configureFor(ctx.emulator);
    ctx.emulator.resetCounters();
    const [org] = resolveOrganizations(config, "auth0-org-member-roles");
    await up(undefined, { organizationId: ACME, members: org!.members });
    expect(ctx.emulator.writes()).to.equal(0);
  });

  it("--by-email declares members by email where one user has it; up of that declaration resolves it and writes nothing", async () => {
    const client = clientFor(ctx.emulator);
    const config = await exportOrganizations(client, [ACME], { byEmail: true });
    await client.close();
    const members = config.organizations[0]!.members;
    expect(Object.keys(members)).to.include("ada@acme.example");
    expect(Object.keys(members).every((k) => k.includes("@") && !k.includes("|"))).to.equal(true);
    await configureFor(ctx.emulator);
    ctx.emulator.resetCounters();
    const [org] = resolveOrganizations(config, "auth0-org-member-roles");
    const s = await up(undefined, { organizationId: ACME, members: org!.members });
    expect(ctx.emulator.writes()).to.equal(0);
    expect(Object.keys(s.outputs.members).every((k) => k.includes("|"))).to.equal(true); // the state stores IDs
  });
});
