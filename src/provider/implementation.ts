/**
 * The implementation of the OrgMemberRoles dynamic provider. The provider stored in the state (shell.ts) is a
 * thin shell that `require`s this module by package name at run time, so old state runs current code and
 * nothing here (client, credentials, zod) is serialised into the state.
 *
 * @example
 * const impl = require("pulumi-auth0-org-member-roles/provider");
 * await impl.configure({ config: { get: (k: string) => process.env[k] } });
 */
import type * as pulumi from "@pulumi/pulumi";
import { POLICY_ROLE_CAP } from "../api/limits";
import { resolveConnection, type SettingLookup } from "../client/credentials";
import { DEFAULT_CONCURRENCY } from "../client/defaults";
import { isGone } from "../client/errors";
import { type ClientOptions, ManagementClient } from "../client/management-client";
import { type Clock, realClock } from "../clock";
import { type CheckFailure, checkInputs, type DesiredState, type MemberRoles } from "../model/desired";
import { diffState } from "../model/diff";
import { ORGANIZATION_ID } from "../model/ids";
import {
  isEmail,
  isEmptyResolution,
  isRoleName,
  type Resolution,
  resolveNames,
  unresolvedNames,
} from "../model/names";
import {
  type ChangeOutcome,
  emptyState,
  heldRoles,
  knownUsers,
  observe,
  planCreate,
  planDelete,
  planUpdate,
  type RecordedState,
  release,
  settle,
  withoutClaimed,
} from "../model/plan";
import { formOf, recordedOf, type StoredForm, type StoredState, toStored } from "../model/stored-state";
import { changedMembers, nearCap, sameSet, validateChanges } from "../model/validate";
import { UNKNOWN_VALUE } from "../pulumi/tokens";
import { type ApplyReport, applyChanges, failureMessage, PartialApplyError } from "./apply";
import { claim, claimedIn, forgetClaims } from "./claims";
import { type LiveRoles, readLiveRoles, VALIDATION_PER_MEMBER_READS } from "./live-roles";
import { RunReads } from "./run-reads";

/**
 * Outputs: `members` mirrors the recorded inputs (what a preview is shown against); see RecordedState, and
 * StoredState for how ownership is stored.
 */
export type OrgMemberRolesOutputs = StoredState & OutputExtras;

/** What the outputs carry beside the recorded state. */
interface OutputExtras {
  /** Users this resource added to the organization (addMissingMembers). Memberships are never removed by it. */
  addedMembers?: string[];
  /** The input, mirrored so that a refresh can give it back as an input. */
  addMissingMembers?: boolean;
  /** What emails and role names resolved to (mirrored input, computed by check). */
  resolved?: Resolution;
  /** The input, mirrored: `members` was a secret. */
  membersSecret?: boolean;
}

const optIn = (on: boolean | undefined): Pick<OrgMemberRolesOutputs, "addMissingMembers"> =>
  on ? { addMissingMembers: true } : {};
const secretFlag = (on: boolean | undefined): Pick<OrgMemberRolesOutputs, "membersSecret"> =>
  on ? { membersSecret: true } : {};

/** The memberships this resource added: recorded before, planned by check, and joined now. */
function membershipsAdded(
  ...lists: Array<readonly string[] | undefined>
): Pick<OrgMemberRolesOutputs, "addedMembers"> {
  const all = [...new Set(lists.flatMap((l) => l ?? []))].sort();
  return all.length > 0 ? { addedMembers: all } : {};
}

let settings: SettingLookup = () => undefined;
/**
 * The real clock, always, in the engine's provider process: only code in the same process (the benchmark,
 * which compresses time in the emulator and here alike) can hand another one to `configure`. No stack setting
 * or environment variable changes it, so a deployment can never pace or time out against a fake clock.
 */
let clock: Clock = realClock;
let client: ManagementClient | undefined;
let reads = new RunReads();

/**
 * One engine run is one provider process: claims and reads start afresh. Tests that drive several runs in
 * one process call this between them.
 */
export function startRun(): void {
  forgetClaims();
  reads = new RunReads();
}

/** A yes/no setting: stack config `orgMemberRoles:*` or `ORG_MEMBER_ROLES_*`. */
function flag(key: string, env: string, fallback: boolean): boolean {
  const raw = (settings(`orgMemberRoles:${key}`) ?? process.env[env])?.trim().toLowerCase();
  if (raw === undefined || raw === "") return fallback;
  if (raw === "true" || raw === "1") return true;
  if (raw === "false" || raw === "0") return false;
  throw new Error(`orgMemberRoles:${key} (${env}) must be true or false, got "${raw}"`);
}

/** Roles one organization member may hold on this tenant (Auth0 answers 409 past it). */
function roleCap(): number {
  return tuning("roleCap", "ORG_MEMBER_ROLES_ROLE_CAP") ?? POLICY_ROLE_CAP;
}

/** Tuning that is not a credential: stack config `orgMemberRoles:*` or `ORG_MEMBER_ROLES_*`. */
function tuning(key: string, env: string): number | undefined {
  const raw = settings(`orgMemberRoles:${key}`) ?? process.env[env];
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`orgMemberRoles:${key} (${env}) must be a positive number, got "${raw}"`);
  return n;
}

function concurrency(): number {
  return tuning("concurrency", "ORG_MEMBER_ROLES_CONCURRENCY") ?? DEFAULT_CONCURRENCY;
}

function getClient(): ManagementClient {
  if (!client) {
    const options: ClientOptions = { concurrency: concurrency(), clock };
    const budget = tuning("retryBudget", "ORG_MEMBER_ROLES_RETRY_BUDGET");
    if (budget) options.retryBudget = budget;
    const timeout = tuning("requestTimeoutMs", "ORG_MEMBER_ROLES_REQUEST_TIMEOUT_MS");
    if (timeout) options.requestTimeoutMs = timeout;
    const maxWait = tuning("maxWaitSeconds", "ORG_MEMBER_ROLES_MAX_WAIT_SECONDS");
    if (maxWait) options.maxWaitMs = maxWait * 1000;
    const deadline = tuning("operationTimeoutSeconds", "ORG_MEMBER_ROLES_OPERATION_TIMEOUT_SECONDS");
    if (deadline) options.operationTimeoutMs = deadline * 1000;
    client = ManagementClient.connect(resolveConnection(settings, process.env), options);
  }
  return client;
}

/** Stack config arrives here (`auth0:domain`, ...), secrets decrypted; the environment is the fallback. */
export async function configure(
  req: { config: { get(key: string): string | undefined } },
  options: { clock?: Clock } = {},
): Promise<void> {
  settings = (key) => req.config.get(key);
  clock = options.clock ?? realClock;
  // Reads are cached for one run against one tenant; new settings may name another tenant.
  reads = new RunReads();
  // The next call connects with the new settings; the old client's keep-alive sockets are closed.
  const previous = client;
  client = undefined;
  await previous?.close();
}

/** For tools and tests: `configure` from a plain map of settings (`auth0:domain`, `orgMemberRoles:*`, ...). */
export function configureWith(
  values: Record<string, string>,
  options: { clock?: Clock } = {},
): Promise<void> {
  return configure({ config: { get: (key) => values[key] } }, options);
}

function withoutProvider(props: Record<string, unknown>): Record<string, unknown> {
  const { __provider: _ignored, ...rest } = props;
  return rest;
}

export async function check(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.CheckResult> {
  // Emails and role names become IDs first (the state stores IDs); the rest of check sees IDs only.
  const named = await resolveDeclaration(olds, withoutProvider(news));
  if ("failures" in named) return { inputs: news, failures: named.failures };
  const outcome = checkInputs(named.inputs, roleCap());
  if (!outcome.ok) return { inputs: news, failures: outcome.failures };
  // Every resource of the program is checked before any resource that left it is deleted: see claims.ts.
  claim(outcome.desired);
  // A green preview means a green up: what the tenant would reject fails here, at preview, before any write.
  const desired = outcome.desired;
  const sameOrg = olds["organizationId"] === desired.organizationId;
  let joining: string[] = [];
  if (flag("previewValidation", "ORG_MEMBER_ROLES_PREVIEW_VALIDATION", true)) {
    const { failures, nonMembers } = await validate(
      sameOrg ? (olds["members"] as MemberRoles) : undefined,
      desired,
      {
        mode: news["mode"] === UNKNOWN_VALUE,
        addMissingMembers: news["addMissingMembers"] === UNKNOWN_VALUE,
        joining: joiningOf(news["joiningMembers"]),
      },
    );
    if (failures.length > 0) return { inputs: news, failures: maskedIfSecret(failures, desired, news) };
    joining = nonMembers;
  }
  // Memberships added before stay listed (also with validation off, when who joins is known only in up).
  const recordedJoins = sameOrg ? (olds["addedMembers"] as string[] | undefined) : undefined;
  return { inputs: { ...withJoins(desired, recordedJoins, joining) } };
}

/**
 * The engine prints check failures: with a secret `members` (the component says so in `membersSecret`),
 * each member appears as its position in the map, never by ID.
 */
function maskedIfSecret(
  failures: CheckFailure[],
  desired: DesiredState,
  news: Record<string, unknown>,
): CheckFailure[] {
  if (news["membersSecret"] !== true) return failures;
  const users = Object.keys(desired.members);
  const mask = (text: string) =>
    users.reduce((t, u, i) => t.split(u).join(`(secret member #${i + 1})`), text);
  return failures.map((f) => ({ property: mask(f.property), reason: mask(f.reason) }));
}

/**
 * Resolves the emails and role names of a declaration (model/names.ts), reading only those the previous
 * resolution (the recorded inputs, same organization) does not have. A declaration by IDs reads nothing.
 */
async function resolveDeclaration(
  olds: Record<string, unknown>,
  inputs: Record<string, unknown>,
): Promise<{ inputs: Record<string, unknown> } | { failures: CheckFailure[] }> {
  // `resolved` and `addedMembers` are placeholders from the program (check computes them); at preview they
  // may even be unknown.
  const { resolved: _placeholder, addedMembers: _computed, ...rest } = inputs;
  const sameOrg = olds["organizationId"] === rest["organizationId"];
  const previous = sameOrg ? (olds["resolved"] as Resolution | undefined) : undefined;
  const members = rest["members"];
  const usesNames =
    members !== null &&
    typeof members === "object" &&
    Object.entries(members as Record<string, unknown>).some(
      ([key, roles]) => isEmail(key) || (Array.isArray(roles) && roles.some(isRoleName)),
    );
  // Names are looked up in a valid organization only: structural problems are reported first, with no call.
  const organizationId = rest["organizationId"];
  if (!usesNames || typeof organizationId !== "string" || !ORGANIZATION_ID.test(organizationId))
    return { inputs: rest };
  const needed = unresolvedNames(members, previous);
  const directory =
    needed.emails.length > 0 || needed.roleNames.length > 0
      ? await reads.directory(getClient(), needed.emails, concurrency())
      : { usersByEmail: {}, roles: [] };
  const out = resolveNames(members as Record<string, unknown>, previous, directory);
  if (out.failures.length > 0) return { failures: out.failures };
  return {
    inputs: {
      ...rest,
      members: out.members,
      ...(isEmptyResolution(out.resolution) ? {} : { resolved: out.resolution }),
    },
  };
}

/**
 * The users whose membership another resource of the program creates (the component's `joiningMembers`), or
 * "pending" when that list is not known yet (another resource's output at preview): then no non-member is
 * held against the change at preview, and `up` checks every one before its first write.
 */
function joiningOf(value: unknown): ReadonlySet<string> | "pending" | undefined {
  if (value === UNKNOWN_VALUE || (Array.isArray(value) && value.includes(UNKNOWN_VALUE))) return "pending";
  return Array.isArray(value) ? new Set(value.filter((u): u is string => typeof u === "string")) : undefined;
}

/** `addedMembers` grows by the users this change adds to the organization, so the preview shows them joining. */
function withJoins(
  desired: DesiredState,
  before: readonly string[] | undefined,
  joining: readonly string[],
): DesiredState {
  const added = [...new Set([...(before ?? []), ...(desired.addMissingMembers ? joining : [])])].sort();
  const { addedMembers: _previous, ...rest } = desired;
  return added.length > 0 ? { ...rest, addedMembers: added } : rest;
}

/**
 * What the tenant would reject among the members that change from `recorded` to `desired`. Reads only those
 * members (one by one up to 100, else from the organization's listing at the fewest calls, see
 * live-roles.ts) and the roles they gain (run-reads.ts).
 */
async function validate(
  recorded: MemberRoles | undefined,
  desired: DesiredState,
  pending: {
    mode?: boolean;
    addMissingMembers?: boolean;
    joining?: ReadonlySet<string> | "pending" | undefined;
  } = {},
): Promise<{ failures: CheckFailure[]; nonMembers: string[] }> {
  const changed = changedMembers(recorded, desired.members);
  const users = Object.keys(changed.members);
  if (users.length === 0 || desired.organizationId === UNKNOWN_VALUE) return { failures: [], nonMembers: [] };
  const c = getClient();
  try {
    const [facts, roleExists] = await Promise.all([
      // Up to 100 changing members are read from the primary store; past that, from the listing, which lags
      // writes: a member it does not show, or shows close to the cap, is read again from the primary store.
      reads.live(c, desired.organizationId, users, concurrency(), {
        perMemberUpTo: VALIDATION_PER_MEMBER_READS,
        confirm: (userId, listed) => nearCap(changed, userId, listed, roleCap()),
      }),
      reads.rolesExist(c, Object.values(changed.added).flat()),
    ]);
    const failures = validateChanges(
      changed,
      { live: facts.live, roleExists },
      {
        organizationId: desired.organizationId,
        mode: desired.mode,
        roleCap: roleCap(),
        // Not known at preview (another resource's output): not held against the change now; checked in up.
        addsMissingMembers:
          desired.addMissingMembers === true ||
          pending.addMissingMembers === true ||
          pending.joining === "pending",
        ...(pending.mode ? { skipCap: true } : {}),
        ...(pending.joining instanceof Set ? { joining: pending.joining } : {}),
      },
    );
    // Users another resource makes members are not this resource's to add (addMissingMembers).
    const joinsElsewhere = (u: string) => pending.joining instanceof Set && pending.joining.has(u);
    return { failures, nonMembers: users.filter((u) => facts.live[u] === undefined && !joinsElsewhere(u)) };
  } catch (err) {
    if (isGone(err, "organization"))
      return {
        failures: [
          {
            property: "organizationId",
            reason: `organizationId: no organization ${desired.organizationId} in the tenant (${err.apiMessage ?? "404"}). Check the ID (org_...).`,
          },
        ],
        nonMembers: [],
      };
    // The error keeps its type and kind; the message gains the way out for pipelines that cannot read.
    const advice = `While validating ${desired.organizationId} against the tenant. To preview without reading the tenant (offline, or credentials without read scopes), set orgMemberRoles:previewValidation to false; the tenant then checks the change only during \`pulumi up\`.`;
    if (err instanceof Error) {
      err.message = `${err.message}\n${advice}`;
      throw err;
    }
    throw new Error(`${String(err)}\n${advice}`);
  }
}

/**
 * Validation before any write of `up` (what a disabled preview validation did not check), then the users
 * who are not members joined to the organization when the resource asks for it. Returns who joined.
 */
async function prepareWrite(
  operation: string,
  recorded: MemberRoles | undefined,
  desired: DesiredState,
): Promise<string[]> {
  const { failures, nonMembers } = await validate(recorded, desired);
  if (failures.length > 0)
    throw new Error(
      `${operation} of member roles in ${desired.organizationId}: nothing was changed; ${failures.length} problem(s) to fix first:\n${failures.map((f) => `  - ${f.reason}`).join("\n")}\nFix them and run \`pulumi up\` again.`,
    );
  if (!desired.addMissingMembers || nonMembers.length === 0) return [];
  await getClient().addMembers(desired.organizationId, nonMembers);
  reads.forget(desired.organizationId, nonMembers);
  return nonMembers;
}

export async function diff(
  _id: string,
  olds: OrgMemberRolesOutputs,
  news: DesiredState,
): Promise<pulumi.dynamic.DiffResult> {
  return diffState(recorded(olds), news);
}

function desiredFrom(inputs: Record<string, unknown>): DesiredState {
  const outcome = checkInputs(withoutProvider(inputs), roleCap());
  if (!outcome.ok) throw new Error(outcome.failures.map((f) => f.reason).join("\n"));
  return outcome.desired;
}

/** Stored state of any version of this resource, in the current shape. */
const recorded = (props: Partial<OrgMemberRolesOutputs>): RecordedState => recordedOf(props);

/** The outputs to store: the recorded state in its stored form (stored-state.ts), and the extras as they are. */
function outputs(state: RecordedState & OutputExtras, form: StoredForm = "compact"): OrgMemberRolesOutputs {
  return toStored(state, form);
}

/** Whether anything may have reached the tenant: a write done, or one whose failure hides whether it landed. */
const anyWrite = (outcomes: readonly ChangeOutcome[]) =>
  outcomes.some(
    (o) => (o.removed && o.change.remove.length > 0) || (o.added && o.change.add.length > 0) || o.uncertain,
  );

/**
 * After a failed apply: when something reached the tenant, or may have (an addition answered 500 may have
 * landed), an error that records it (PartialApplyError) so the state stays true and the next preview shows
 * the attempted roles; when nothing did, a plain error, and the engine keeps the previous state, which is
 * still true.
 */
function failure(
  operation: string,
  id: string,
  report: ApplyReport,
  after: RecordedState & OutputExtras,
  inputs: Record<string, unknown>,
): Error {
  const message = failureMessage(after.organizationId, report, operation);
  if (!anyWrite(report.outcomes)) return new Error(message);
  // The host's error path does not add the serialised provider as its success path does: add it, or later
  // refresh, update and delete could not load the provider.
  const properties = { ...outputs(after), __provider: inputs["__provider"] };
  // The engine shows the reasons (not the message) and stores them in the state in clear (initErrors): with
  // secret members they name no user or role.
  const reasons = after.membersSecret
    ? [
        `${report.failed.length} member(s) failed (details withheld: members is a secret); the state records what was applied. Run \`pulumi preview --refresh\` to see what is left.`,
      ]
    : [message];
  return new PartialApplyError(message, id, properties, reasons);
}

/**
 * Reads members this resource starts to manage (all of them on create, new ones on update), to adopt what
 * they hold. The listing lags writes (Auth0 serves it from a search index): a member it shows holding a
 * declared role (whose POST would be skipped) or, in authoritative mode, another role (to be recorded as
 * held) is read again from the primary store. The listing alone never decides that a write is not needed.
 */
function readForAdoption(c: ManagementClient, desired: DesiredState, users: readonly string[]) {
  return reads.live(c, desired.organizationId, users, concurrency(), {
    confirm: (userId, listed) => {
      const wanted = desired.members[userId] ?? [];
      return listed.some((r) => wanted.includes(r) || desired.mode === "authoritative");
    },
  });
}

/**
 * Records what adopted members hold where it differs from `members`, in `tenantDiffers`: roles held beyond
 * it are never removed by this run (no preview showed them leaving). Authoritative mode records every role
 * (a refresh then shows the undeclared ones, and the preview after it their removal); additive mode only the
 * declared ones, since roles it does not declare are not its business. Only primary-store reads count.
 */
function adopt(state: RecordedState, read: LiveRoles, desired: DesiredState): RecordedState {
  const tenantDiffers = { ...state.tenantDiffers };
  for (const userId of read.confirmed) {
    const wanted = desired.members[userId] ?? [];
    const baseline = state.members[userId] ?? [];
    const held = (read.live[userId] ?? []).filter(
      (r) => state.mode === "authoritative" || wanted.includes(r),
    );
    const difference = {
      missing: baseline.filter((r) => !held.includes(r)),
      extra: held.filter((r) => !baseline.includes(r)),
    };
    if (difference.missing.length > 0 || difference.extra.length > 0) tenantDiffers[userId] = difference;
    else delete tenantDiffers[userId];
  }
  return { ...state, tenantDiffers };
}

export async function create(inputs: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
  const desired = desiredFrom(inputs);
  const c = getClient();
  const org = desired.organizationId;
  // What the API would reject fails before any write (a create that fails before writing records nothing);
  // in the same run `check` read these facts already, so this costs no call.
  const joined = await prepareWrite("Create", undefined, desired);
  const read = await readForAdoption(c, desired, Object.keys(desired.members));
  const { live, confirmed } = read;
  const plan = planCreate(live, desired.members, (u) => confirmed.has(u));
  const report = await applyChanges(c, org, plan, concurrency());
  reads.forget(
    org,
    plan.map((change) => change.userId),
  );
  const before = adopt(emptyState(org, desired.mode), read, desired);
  const after = {
    ...settle(before, desired.members, desired.mode, report.outcomes),
    ...membershipsAdded(desired.addedMembers, joined),
    ...optIn(desired.addMissingMembers),
    ...secretFlag(desired.membersSecret),
    ...(desired.resolved ? { resolved: desired.resolved } : {}),
  };
  const id = `${org}/${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  if (report.failed.length > 0) throw failure("Create", id, report, after, inputs);
  return { id, outs: outputs(after) };
}

export async function update(
  id: string,
  olds: OrgMemberRolesOutputs,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.UpdateResult> {
  const desired = desiredFrom(news);
  const known = recorded(olds);
  const org = desired.organizationId;
  const c = getClient();
  const joined = await prepareWrite("Update", known.members, desired);
  // Members new to this resource are adopted as on create: what they hold is read, not assumed empty. A
  // switch to authoritative adopts every member: the additive state knew only its own roles.
  const widening = known.mode === "additive" && desired.mode === "authoritative";
  const knownBefore = new Set(knownUsers(known));
  const newcomers = Object.keys(desired.members).filter((u) => widening || !knownBefore.has(u));
  const before =
    newcomers.length > 0
      ? adopt({ ...known, mode: desired.mode }, await readForAdoption(c, desired, newcomers), desired)
      : known;
  const claimed = claimedIn(org);
  const plan = withoutClaimed(planUpdate(before, desired.members, desired.mode), desired.members, claimed);
  // A member dropped here that another resource of this run declares has moved: ownership goes with it.
  const movedAway = knownUsers(before).filter((u) => !(u in desired.members) && claimed(u) !== undefined);
  const report = await applyChanges(c, org, plan, concurrency());
  reads.forget(
    org,
    plan.map((change) => change.userId),
  );
  const after = {
    ...release(settle(before, desired.members, desired.mode, report.outcomes), movedAway),
    ...membershipsAdded(olds.addedMembers, desired.addedMembers, joined),
    ...optIn(desired.addMissingMembers),
    ...secretFlag(desired.membersSecret),
    ...(desired.resolved ? { resolved: desired.resolved } : {}),
  };
  if (report.failed.length > 0) throw failure("Update", id, report, after, news);
  return { outs: outputs(after) };
}

export async function read(id: string, props: OrgMemberRolesOutputs): Promise<pulumi.dynamic.ReadResult> {
  const state = recorded(props);
  let live: Record<string, string[] | undefined>;
  try {
    // The listing lags writes: a member it shows otherwise than the state says (a write of the last `up`, a
    // member who just left, a change made elsewhere) is read again from the primary store before it is
    // recorded as drift.
    ({ live } = await readLiveRoles(getClient(), state.organizationId, knownUsers(state), concurrency(), {
      confirm: (userId, listed) => !sameSet(listed, heldRoles(state, userId)),
    }));
  } catch (err) {
    // The organization itself is gone: so is everything this resource managed in it.
    if (isGone(err, "organization")) return { id: "" } as pulumi.dynamic.ReadResult;
    throw err;
  }
  const observed = {
    ...observe(state, live),
    ...membershipsAdded(props.addedMembers),
    ...optIn(props.addMissingMembers),
    ...secretFlag(props.membersSecret),
    ...(props.resolved ? { resolved: props.resolved } : {}),
  };
  return {
    id,
    props: outputs(observed, formOf(props)),
    // The refreshed `members` become the recorded inputs too: the next preview is shown against them.
    inputs: {
      organizationId: observed.organizationId,
      mode: observed.mode,
      members: observed.members,
      ...membershipsAdded(props.addedMembers),
      ...optIn(props.addMissingMembers),
      ...secretFlag(props.membersSecret),
      ...(props.resolved ? { resolved: props.resolved } : {}),
    },
  };
}

export async function deleteResource(_id: string, props: OrgMemberRolesOutputs): Promise<void> {
  const state = recorded(props);
  const plan = withoutClaimed(planDelete(state), {}, claimedIn(state.organizationId));
  const report = await applyChanges(getClient(), state.organizationId, plan, concurrency());
  reads.forget(
    state.organizationId,
    plan.map((change) => change.userId),
  );
  if (report.failed.length > 0) throw new Error(failureMessage(state.organizationId, report, "Delete"));
}

export { deleteResource as delete };
