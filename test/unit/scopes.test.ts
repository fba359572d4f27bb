import { readFileSync } from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { PROJECT_ROOT } from "../../scripts/engine";
import { ENDPOINTS } from "../../src/api/endpoints";
import { APPLY_SCOPES, GROUP_APPLY_SCOPES, GROUP_PREVIEW_SCOPES, PREVIEW_SCOPES } from "../../src/api/scopes";

describe("the scopes of the pipeline's two applications (src/api/scopes.ts)", () => {
  it("the read-only application reads member roles, members, roles and users, and can write nothing", () => {
    expect(PREVIEW_SCOPES).to.deep.equal([
      "read:organization_member_roles",
      "read:organization_members",
      "read:roles",
      "read:users",
    ]);
    const writes = Object.values(ENDPOINTS)
      .filter((e) => e.method !== "GET")
      .map((e) => e.scope);
    for (const scope of PREVIEW_SCOPES) expect(writes).not.to.include(scope);
  });

  it("the writing application adds the write scopes up uses, and never removes members", () => {
    expect(APPLY_SCOPES.filter((s) => !PREVIEW_SCOPES.includes(s))).to.deep.equal([
      "create:organization_member_roles",
      "create:organization_members",
      "delete:organization_member_roles",
    ]);
    expect(APPLY_SCOPES).not.to.include("delete:organization_members");
  });

  it("OrgGroupRoles adds the group-roles read to the read-only application and the group-roles writes to the writing one", () => {
    expect(GROUP_PREVIEW_SCOPES).to.deep.equal(["read:organization_group_roles"]);
    expect(GROUP_APPLY_SCOPES).to.deep.equal([
      "create:organization_group_roles",
      "delete:organization_group_roles",
      "read:organization_group_roles",
    ]);
    const readme = readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
    const scopes = readme.slice(readme.indexOf("## Scopes"), readme.indexOf("## Command-line tool"));
    const row = scopes.split("\n").find((l) => l.startsWith("| `OrgGroupRoles` |")) ?? "";
    for (const scope of GROUP_APPLY_SCOPES) expect(row).to.contain(`\`${scope}\``);
  });

  it("the README's scopes table and the workflow's header list the read-only scopes as the code derives them", () => {
    const readme = readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
    const previewRow = readme.split("\n").find((l) => l.startsWith("| `pulumi preview`, `pulumi refresh` |"));
    for (const scope of PREVIEW_SCOPES) expect(previewRow).to.contain(`\`${scope}\``);
    const workflow = readFileSync(path.join(PROJECT_ROOT, ".github/workflows/member-roles.yml"), "utf8");
    const listed = /read-only one \(scopes ([^)]+)\)/.exec(workflow.replace(/\n#\s*/g, " "))?.[1];
    expect(listed?.split(", ")).to.deep.equal([...PREVIEW_SCOPES]);
  });
});
