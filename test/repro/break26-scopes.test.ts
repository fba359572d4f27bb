/**
 * Break-26 reproduction: the README's scopes (src/api/scopes.ts) do not cover OrgGroupRoles.
 * Run: npm run build && npx mocha --no-config dist/test/repro/break26-scopes.test.js
 */
import type { PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { OrgGroupRoles } from "../../components/org-group-roles";
import type { EmulatorClient } from "../../emulator/auth";
import { DEFAULT_SEED_PATH, loadFixture } from "../../emulator/index";
import { APPLY_SCOPES, PREVIEW_SCOPES } from "../../src/api/scopes";
import { engineSuite } from "../helpers/engine-suite";
import { ACME, ENGINEERING, VIEWER, withOrgRoles } from "../helpers/org-roles-fixture";

const READ_ONLY: EmulatorClient & { clientSecret: string } = {
  clientId: "pipeline-preview",
  clientSecret: "read-only-secret-of-the-preview-job",
  scopes: [...PREVIEW_SCOPES],
};
const WRITING: EmulatorClient & { clientSecret: string } = {
  clientId: "pipeline-apply",
  clientSecret: "writing-secret-of-the-apply-job",
  scopes: [...APPLY_SCOPES],
};

describe("break-26: least privilege for OrgGroupRoles", function () {
  this.timeout(240_000);
  const suite = engineSuite("b26scope", () => withOrgRoles(loadFixture(DEFAULT_SEED_PATH)), {
    clients: [READ_ONLY, WRITING],
  });
  const { onOutput, take } = suite;
  const program: PulumiFn = async () =>
    void new OrgGroupRoles("g", { organizationId: ACME, groups: { [ENGINEERING]: [VIEWER] } });
  let stack: Stack;
  const use = (app: EmulatorClient & { clientSecret: string }) => {
    stack.workspace.envVars["AUTH0_CLIENT_ID"] = app.clientId;
    stack.workspace.envVars["AUTH0_CLIENT_SECRET"] = app.clientSecret;
  };

  it("the documented read-only scopes preview an OrgGroupRoles; the documented writing scopes apply it", async () => {
    stack = await suite.newStack(program);
    await stack.removeAllConfig(["auth0:clientId", "auth0:clientSecret"]);
    use(READ_ONLY);
    take();
    const preview = await stack.preview({ onOutput }).then(
      () => "ok",
      (e: Error) => e.message,
    );
    const text = take();
    console.log(
      text
        .split("\n")
        .filter((l) => /error|scope/i.test(l))
        .slice(0, 4)
        .join("\n"),
    );
    use(WRITING);
    const up = await stack.up({ onOutput }).then(
      () => "ok",
      (e: Error) => e.message,
    );
    expect({ preview, up }).to.deep.equal({ preview: "ok", up: "ok" });
  });
});
