/**
 * The audit trail (orgMemberRoles:auditLog, src/audit) on the real engine against the emulator: an `up` that
 * fails part-way (a fault injected on the additions) and the `up` that repeats it record each write that
 * reached the tenant once and none that did not, counted against the emulator's own count of the writes it
 * applied; a destroy records its removals; a secret member map leaves no member or role in clear.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { OrgMemberRoles } from "../../components/org-member-roles";
import { engineSuite } from "../helpers/engine-suite";
import { ORG, role, tenant, user } from "../helpers/fixtures";

const ADMIN = role(1);
const BILLING = role(2);
const MEMBERS = [0, 1, 2, 3, 4].map(user);

interface Line {
  time: string;
  organization: string;
  member?: string;
  rolesAdded: string[];
  rolesRemoved: string[];
  resource: string;
  status: number | null;
  uncertain?: boolean;
}

const linesOf = (file: string): Line[] =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);

describe("audit trail on the real engine (issue 38)", function () {
  this.timeout(240_000);
  const suite = engineSuite("audit", () => tenant(8, 10));
  let program: PulumiFn;
  const newStack = () => suite.newStack(() => program());
  const { onOutput } = suite;
  beforeEach(() => suite.emulator.reset());
  const applied = () => ({
    added: suite.emulator.count({ method: "POST", route: "member-roles", status: 204 }),
    removed: suite.emulator.count({ method: "DELETE", route: "member-roles", status: 204 }),
  });

  it("a failed up, then the up that repeats it: each write that reached the tenant once, none that did not (a 5xx: once, marked uncertain); a destroy adds its removals", async () => {
    let holds = ADMIN;
    program = async () =>
      void new OrgMemberRoles("acme", {
        organizationId: ORG,
        members: Object.fromEntries(MEMBERS.map((u) => [u, [holds]])),
      });
    const stack = await newStack();
    const file = path.join(suite.tmp, "audit-1.jsonl");
    await stack.setConfig("orgMemberRoles:auditLog", { value: file });
    // One request at a time and one retry a minute: the first addition of the update fails twice, for good.
    await stack.setConfig("orgMemberRoles:concurrency", { value: "1" });
    await stack.setConfig("orgMemberRoles:retryBudget", { value: "1" });
    await stack.up({ onOutput });
    expect(linesOf(file)).to.have.length(5);

    holds = BILLING;
    suite.emulator.resetCounters();
    suite.emulator.setFaults({ failOnly: "POST", failNext: { count: 2, status: 503 } });
    const failed = await stack.up({ onOutput }).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(failed, "the update must fail").to.be.instanceOf(Error);
    suite.emulator.setFaults({});
    await stack.up({ onOutput });
    const tenantApplied = applied();
    // Independently of the trail: 5 removals and 5 additions landed, and 2 additions were refused with 503.
    expect(tenantApplied).to.deep.equal({ added: 5, removed: 5 });
    expect(suite.emulator.count({ method: "POST", route: "member-roles", status: 503 })).to.equal(2);

    // The failed addition answered 503: the client cannot tell a 5xx before the write from one after it (the
    // emulator's fault was before), so it is written once, marked uncertain, with the status seen. Every other
    // line is a write that landed, each once, as many as the tenant applied.
    const all = linesOf(file).slice(5);
    const uncertain = all.filter((l) => l.uncertain);
    expect(uncertain.map((l) => [l.status, l.rolesAdded, l.rolesRemoved])).to.deep.equal([
      [503, [BILLING], []],
    ]);
    const update = all.filter((l) => !l.uncertain);
    expect(update).to.have.length(tenantApplied.added + tenantApplied.removed);
    expect(update.every((l) => l.status === 204 && l.organization === ORG)).to.equal(true);
    const writes = update
      .map((l) => `${l.member} +${l.rolesAdded.join(",")} -${l.rolesRemoved.join(",")}`)
      .sort();
    expect(writes).to.deep.equal(
      MEMBERS.flatMap((u) => [`${u} +${BILLING} -`, `${u} + -${ADMIN}`]).sort(),
      "each write once",
    );
    expect(update[0]!.resource).to.equal(`OrgMemberRoles of ${ORG}`);
    // The repeated up wrote only what the failed one had not: the uncertain member's addition, last.
    expect(all.at(-1)).to.include({ member: uncertain[0]!.member, status: 204 });

    await stack.destroy({ onOutput });
    const destroyed = linesOf(file).slice(16);
    expect(destroyed.map((l) => `${l.member} -${l.rolesRemoved.join(",")}`).sort()).to.deep.equal(
      MEMBERS.map((u) => `${u} -${BILLING}`).sort(),
    );
    for (const l of linesOf(file)) expect(Number.isNaN(Date.parse(l.time))).to.equal(false);
  });

  it("a secret member map: no member or role in clear in the trail", async () => {
    program = async () =>
      void new OrgMemberRoles("hidden", {
        organizationId: ORG,
        members: pulumi.secret(Object.fromEntries(MEMBERS.map((u) => [u, [ADMIN]]))),
      });
    const stack = await newStack();
    const file = path.join(suite.tmp, "audit-2.jsonl");
    await stack.setConfig("orgMemberRoles:auditLog", { value: file });
    await stack.up({ onOutput });
    const text = readFileSync(file, "utf8");
    expect(linesOf(file)).to.have.length(5);
    for (const u of MEMBERS) expect(text).not.to.include(u);
    expect(text).not.to.include(ADMIN);
    expect(linesOf(file).every((l) => l.member === "(secret member)" && l.rolesAdded.length === 1)).to.equal(
      true,
    );
  });

  it("addMissingMembers: each membership write has its line (membershipAdded), before the role write's", async () => {
    const joining = user(6);
    suite.emulator.tenant.members.get(ORG)!.delete(joining);
    program = async () =>
      void new OrgMemberRoles("joins", {
        organizationId: ORG,
        addMissingMembers: true,
        members: { [joining]: [ADMIN] },
      });
    const stack = await newStack();
    const file = path.join(suite.tmp, "audit-join.jsonl");
    await stack.setConfig("orgMemberRoles:auditLog", { value: file });
    suite.emulator.resetCounters();
    await stack.up({ onOutput });
    // Independently of the trail: one membership write and one role write landed.
    expect(suite.emulator.count({ method: "POST", route: "members", status: 204 })).to.equal(1);
    expect(
      linesOf(file).map((l) => [
        l.member,
        (l as { membershipAdded?: boolean }).membershipAdded ?? false,
        l.rolesAdded,
      ]),
    ).to.deep.equal([
      [joining, true, []],
      [joining, false, [ADMIN]],
    ]);
  });

  it("a path that cannot be written: the up fails naming the setting, with nothing written to the tenant", async () => {
    program = async () =>
      void new OrgMemberRoles("acme", { organizationId: ORG, members: { [MEMBERS[0]!]: [ADMIN] } });
    const stack = await newStack();
    await stack.setConfig("orgMemberRoles:auditLog", {
      value: path.join(suite.tmp, "no-such-dir", "audit.jsonl"),
    });
    suite.emulator.resetCounters();
    const failed = await stack.up({ onOutput }).then(
      () => "",
      (err: Error) => String(err),
    );
    expect(failed).to.match(
      /orgMemberRoles:auditLog \(ORG_MEMBER_ROLES_AUDIT_LOG\) names .* cannot be appended to \(ENOENT\)/,
    );
    expect(suite.emulator.writes()).to.equal(0);
  });
});
