import { expect } from "chai";
import { checkInputs } from "../../src/model/desired";
import { userIdProblem } from "../../src/model/ids";

const ORG = "org_0123456789abcdef";
const ROLE = "rol_0123456789abcdef";

describe("user IDs as Auth0 issues them", () => {
  it("accepts IDs with spaces and further bars (SAML NameIDs, custom databases)", () => {
    for (const id of [
      "samlp|acme|John Doe",
      "auth0|69e9cd6013e3dca66bfbca39",
      "oidc|okta|jane.doe@acme.example",
      "adfs|ACME\\jdoe",
    ]) {
      expect(userIdProblem(id), id).to.equal(undefined);
      const out = checkInputs({ organizationId: ORG, members: { [id]: [ROLE] } });
      expect(out.ok, id).to.equal(true);
    }
  });

  it("names each bad user ID's problem at its key, not 'must map user IDs to lists of role IDs'", () => {
    const out = checkInputs({
      organizationId: ORG,
      members: {
        ada: [ROLE],
        "auth0|x\n": [ROLE],
        " auth0|y": [ROLE],
        "a b|c": [ROLE],
        [`auth0|${"x".repeat(260)}`]: [ROLE],
      },
    });
    expect(out.ok).to.equal(false);
    const reasons = out.ok ? [] : out.failures.map((f) => f.reason);
    const text = reasons.join("\n");
    expect(text).not.to.contain("must map user IDs");
    expect(text).to.contain('members["ada"] (the user ID) is not a user ID: it is {provider}|{id}');
    expect(text).to.contain("control character");
    expect(text).to.contain("starts or ends with a space");
    expect(text).to.contain("space in its provider part");
    expect(text).to.contain("at most 255");
  });
});
