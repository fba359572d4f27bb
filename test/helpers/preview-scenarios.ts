/**
 * Known previews, recorded from the real engine: the project's program (dist/index.js) on stack config, the
 * dynamic provider and the policy pack, against the emulator. Each scenario is previewed in both JSON forms
 * (`digest` and `events`). The unit tests read the committed recordings (test/fixtures/previews/); the e2e
 * test records them again and checks that they still summarise the same.
 *
 * Regenerate the fixtures: `npm run build && npm run setup && node dist/test/helpers/preview-scenarios.js`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import { OrgMemberRoles } from "../../components/org-member-roles";
import { DEFAULT_SEED_PATH, loadFixture } from "../../emulator/index";
import { Emulator, emulatorSettings } from "../../emulator/server";
import type { TenantFixture } from "../../emulator/tenant";
import { configureStack, openStack, PROJECT_ROOT, scratchProject } from "../../scripts/engine";
import { type PreviewJsonFormat, previewJson } from "../../scripts/preview-json";

export const FIXTURE_DIR = path.join(PROJECT_ROOT, "test/fixtures/previews");
export const PROJECT = "auth0-org-member-roles";

export const ADA = "auth0|69e9cd6013e3dca66bfbca39";
export const GRACE = "auth0|69e9cd6013e3dca66bfbca40";
export const EDSGER = "auth0|69e9cd6013e3dca66bfbca41";
export const BARBARA = "auth0|69e9cd6013e3dca66bfbca42";
export const KEN = "auth0|69e9cd6013e3dca66bfbca43";
export const LINUS = "auth0|69e9cd6013e3dca66bfbca44";
export const MARGARET = "auth0|69e9cd6013e3dca66bfbca45";
export const ALAN = "google-oauth2|115015401343387192604";

export const ORG = {
  acme: "org_acme000000000001",
  globex: "org_globex0000000002",
  hooli: "org_hooli00000000003",
  initech: "org_initech000000004",
  umbrella: "org_umbrella00000005",
};
export const ROLE = {
  admin: "rol_admin00000000001",
  billing: "rol_billing000000002",
  developer: "rol_developer0000003",
  viewer: "rol_viewer0000000004",
  support: "rol_support000000005",
  auditor: "rol_auditor000000006",
};
/** Roles the config does not alias: the summary shows their IDs. */
export const extraRole = (i: number) => `rol_extra${String(i).padStart(11, "0")}`;

/** The emulator's default seed, plus three organizations, two users and 60 unaliased roles. */
export function scenarioTenant(): TenantFixture {
  const seed = loadFixture(DEFAULT_SEED_PATH);
  return {
    organizations: [
      ...seed.organizations,
      { id: ORG.hooli, name: "hooli", display_name: "Hooli" },
      { id: ORG.initech, name: "initech", display_name: "Initech" },
      { id: ORG.umbrella, name: "umbrella", display_name: "Umbrella" },
    ],
    users: [
      ...seed.users,
      { user_id: LINUS, email: "linus@hooli.example", name: "Linus Torvalds" },
      { user_id: MARGARET, email: "margaret@hooli.example", name: "Margaret Hamilton" },
    ],
    roles: [
      ...seed.roles,
      ...Array.from({ length: 60 }, (_, i) => ({ id: extraRole(i), name: `extra-${i}`, description: "" })),
    ],
    members: {
      ...seed.members,
      [ORG.hooli]: { [LINUS]: [], [MARGARET]: [] },
      [ORG.initech]: { [EDSGER]: [], [BARBARA]: [] },
      [ORG.umbrella]: { [LINUS]: [] },
    },
  };
}

/**
 * The users directory the tests pass to the summary: emails for most, a name only for Margaret, nothing for
 * Alan (shown by ID).
 */
export function scenarioUsers(): Array<{ user_id: string; email?: string; name?: string }> {
  return scenarioTenant()
    .users.filter((u) => u.user_id !== ALAN)
    .map((u) => (u.user_id === MARGARET ? { user_id: u.user_id, name: u.name } : u));
}

type OrganizationConfig = {
  name: string;
  organizationId: string;
  mode?: "additive";
  retainOnDelete?: boolean;
  members: Record<string, string[]>;
};

const ROLE_ALIASES = {
  admin: ROLE.admin,
  billing: ROLE.billing,
  developer: ROLE.developer,
  viewer: ROLE.viewer,
  support: ROLE.support,
  auditor: ROLE.auditor,
};

function baseline(): OrganizationConfig[] {
  return [
    {
      name: "acme",
      organizationId: ORG.acme,
      members: { [ADA]: ["admin", "developer"], [GRACE]: ["billing", "viewer"], [ALAN]: ["viewer"] },
    },
    {
      name: "globex",
      organizationId: ORG.globex,
      mode: "additive",
      members: { [EDSGER]: ["developer"], [BARBARA]: ["admin", "auditor"] },
    },
    {
      name: "hooli",
      organizationId: ORG.hooli,
      retainOnDelete: true,
      members: { [LINUS]: ["viewer"], [MARGARET]: ["developer"] },
    },
  ];
}

export interface Scenario {
  name: string;
  /** What the preview shows, in words (for test titles and the fixture README). */
  description: string;
}

export const SCENARIOS: Scenario[] = [
  { name: "one-member-change", description: "Ada gains support and loses developer; nothing else changes" },
  {
    name: "members-added-removed",
    description: "acme: Alan removed, Ken added with support and viewer; globex (additive): Edsger removed",
  },
  {
    name: "policy-violation",
    description:
      "a second authoritative resource on acme declares Alan (mandatory one-owner-per-member) and Grace gets 55 roles (advisory)",
  },
  {
    name: "lifecycle",
    description:
      "hooli leaves the stack (retainOnDelete), globex moves to initech (replacement), umbrella is new",
  },
  {
    name: "drift",
    description:
      "preview --refresh after changes outside Pulumi: Ada was given auditor, Grace lost viewer, Alan left acme (and the code)",
  },
  {
    name: "secrets-and-unknowns",
    description:
      "vault's members become secret; pending declares a role ID known only after apply and one member's roles as a secret",
  },
];

/** A resource whose output (a role ID) is known only after apply: the preview shows it as unknown. */
class LaterRole extends pulumi.dynamic.Resource {
  declare readonly roleId: pulumi.Output<string>;
  constructor(name: string) {
    super({ create: async () => ({ id: "later", outs: { roleId: "rol_later00000000007" } }) }, name, {
      roleId: undefined,
    });
  }
}

export interface Recording {
  scenario: string;
  format: PreviewJsonFormat;
  text: string;
  failed: boolean;
}

export const fixtureFile = (scenario: string, format: PreviewJsonFormat) =>
  path.join(FIXTURE_DIR, `${scenario}.${format}.json.gz`);

async function configure(stack: Stack, organizations: OrganizationConfig[]): Promise<void> {
  await stack.setAllConfig({
    roles: { value: JSON.stringify(ROLE_ALIASES) },
    organizations: { value: JSON.stringify(organizations) },
  });
}

/**
 * Records every scenario in both forms. `workRoot` holds the scratch project and its file backend.
 *
 * @example
 * const recordings = await recordPreviewScenarios(mkdtempSync("/tmp/previews-"));
 */
export async function recordPreviewScenarios(workRoot: string): Promise<Recording[]> {
  const emulator = await Emulator.start({ fixture: scenarioTenant() });
  const recordings: Recording[] = [];
  const policies = path.join(PROJECT_ROOT, "policies");
  try {
    const workDir = scratchProject(path.join(workRoot, "project"), { name: PROJECT });
    const common = { workDir, stateDir: path.join(workRoot, "state"), home: path.join(workRoot, "home") };
    const stack = await openStack({ ...common, stackName: "pr" });
    await configureStack(stack, emulatorSettings(emulator.url));
    await configure(stack, baseline());
    await stack.up();

    const record = async (scenario: string, target: Stack, refresh = false) => {
      for (const format of ["digest", "events"] as const) {
        const options = { diff: format === "events", refresh, policyPacks: [policies] };
        const { text, failed } = await previewJson(target, options, format);
        recordings.push({ scenario, format, text, failed });
      }
    };
    const [acme, globex, hooli] = baseline() as [OrganizationConfig, OrganizationConfig, OrganizationConfig];

    await configure(stack, [
      { ...acme, members: { ...acme.members, [ADA]: ["admin", "support"] } },
      globex,
      hooli,
    ]);
    await record("one-member-change", stack);

    const { [ALAN]: _alan, ...acmeWithoutAlan } = acme.members;
    const { [EDSGER]: _edsger, ...globexWithoutEdsger } = globex.members;
    await configure(stack, [
      { ...acme, members: { ...acmeWithoutAlan, [KEN]: ["support", "viewer"] } },
      { ...globex, members: globexWithoutEdsger },
      hooli,
    ]);
    await record("members-added-removed", stack);

    const manyRoles = ["billing", "viewer", ...Array.from({ length: 53 }, (_, i) => extraRole(i))];
    await configure(stack, [
      { ...acme, members: { ...acme.members, [GRACE]: manyRoles } },
      { name: "acme-contractors", organizationId: ORG.acme, members: { [ALAN]: ["support"] } },
      globex,
      hooli,
    ]);
    await record("policy-violation", stack);

    await configure(stack, [
      acme,
      { ...globex, organizationId: ORG.initech },
      { name: "umbrella", organizationId: ORG.umbrella, members: { [LINUS]: ["viewer"] } },
    ]);
    await record("lifecycle", stack);

    // Alan left acme, and the team dropped him from the code too (declaring a non-member fails the preview).
    await configure(stack, [{ ...acme, members: acmeWithoutAlan }, globex, hooli]);
    emulator.setRolesOf(ORG.acme, ADA, [ROLE.admin, ROLE.auditor, ROLE.developer]);
    emulator.setRolesOf(ORG.acme, GRACE, [ROLE.billing]);
    // An administrator removes Alan in the Dashboard (the package never removes a membership, and the
    // emulator serves no membership DELETE): the emulator's own back door.
    emulator.removeMember(ORG.acme, ALAN);
    await record("drift", stack, true);

    let secretStage = false;
    const secrets = await openStack({
      ...common,
      stackName: "secrets",
      program: async () => {
        const plainMembers = { [LINUS]: [ROLE.admin] };
        new OrgMemberRoles("vault", {
          organizationId: ORG.umbrella,
          members: secretStage ? pulumi.secret({ [LINUS]: [ROLE.admin, ROLE.viewer] }) : plainMembers,
        });
        if (!secretStage) return;
        const later = new LaterRole("later-role");
        new OrgMemberRoles("pending", {
          organizationId: ORG.initech,
          members: {
            [EDSGER]: [later.roleId, ROLE.viewer],
            [BARBARA]: pulumi.secret([ROLE.support]),
          },
        });
      },
    });
    await configureStack(secrets, emulatorSettings(emulator.url));
    await secrets.up();
    secretStage = true;
    await record("secrets-and-unknowns", secrets);
  } finally {
    await emulator.stop();
  }
  return recordings;
}

/** Writes the recordings as the committed fixtures (gzipped: the engine repeats each state many times). */
export function writeFixtures(recordings: Recording[], dir = FIXTURE_DIR): void {
  mkdirSync(dir, { recursive: true });
  for (const r of recordings)
    writeFileSync(fixtureFile(r.scenario, r.format), gzipSync(r.text, { level: 9 }));
}

if (require.main === module) {
  const work = mkdtempSync(path.join(os.tmpdir(), "preview-scenarios-"));
  recordPreviewScenarios(work)
    .then((recordings) => {
      writeFixtures(recordings);
      for (const r of recordings)
        console.log(
          `${r.scenario}.${r.format}: ${r.text.length} characters${r.failed ? " (preview failed)" : ""}`,
        );
    })
    .finally(() => rmSync(work, { recursive: true, force: true }))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
