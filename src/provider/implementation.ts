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
import { type Clock, realClock, scaledClock } from "../client/clock";
import { resolveConnection, type SettingLookup } from "../client/credentials";
import { ManagementApiError } from "../client/errors";
import { type ClientOptions, ManagementClient } from "../client/management-client";
import { DEFAULT_CONCURRENCY, POLICY_ROLE_CAP } from "../limits";
import { checkInputs, type DesiredState, type OwnershipMode } from "../model/desired";
import { diffState } from "../model/diff";
import { observedMembers, planCreate, planDelete, planUpdate, type RecordedState } from "../model/plan";
import { preflightCreate } from "../model/preflight";
import { applyChanges, failureError } from "./apply";
import { readLiveRoles } from "./live-roles";

/** Outputs: the inputs (so diff compares like with like) plus what this resource declared. */
export interface OrgMemberRolesOutputs extends RecordedState {}

let settings: SettingLookup = () => undefined;
let client: ManagementClient | undefined;

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

/** Benchmarks compress time in the emulator and here alike; real runs use the real clock. */
function clock(): Clock {
  const scale = tuning("clockScale", "ORG_MEMBER_ROLES_CLOCK_SCALE");
  const origin = tuning("clockOrigin", "ORG_MEMBER_ROLES_CLOCK_ORIGIN");
  return scale ? scaledClock(scale, origin) : realClock;
}

function getClient(): ManagementClient {
  if (!client) {
    const options: ClientOptions = { concurrency: concurrency(), clock: clock() };
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
export async function configure(req: { config: { get(key: string): string | undefined } }): Promise<void> {
  settings = (key) => req.config.get(key);
  // The next call connects with the new settings; the old client's keep-alive sockets are closed.
  const previous = client;
  client = undefined;
  await previous?.close();
}

/** For tools and tests: `configure` from a plain map of settings (`auth0:domain`, `orgMemberRoles:*`, ...). */
export function configureWith(values: Record<string, string>): Promise<void> {
  return configure({ config: { get: (key) => values[key] } });
}

function withoutProvider(props: Record<string, unknown>): Record<string, unknown> {
  const { __provider: _ignored, ...rest } = props;
  return rest;
}

export async function check(
  _olds: unknown,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.CheckResult> {
  const outcome = checkInputs(withoutProvider(news));
  if (!outcome.ok) return { inputs: news, failures: outcome.failures };
  return { inputs: { ...outcome.desired } };
}

export async function diff(
  _id: string,
  olds: OrgMemberRolesOutputs,
  news: DesiredState,
): Promise<pulumi.dynamic.DiffResult> {
  return diffState(olds, news);
}

function desiredFrom(inputs: Record<string, unknown>): DesiredState {
  const outcome = checkInputs(withoutProvider(inputs));
  if (!outcome.ok) throw new Error(outcome.failures.map((f) => f.reason).join("\n"));
  return outcome.desired;
}

function outputs(desired: DesiredState): OrgMemberRolesOutputs {
  return {
    organizationId: desired.organizationId,
    mode: desired.mode,
    members: desired.members,
    declared: desired.members,
  };
}

function recorded(props: Partial<OrgMemberRolesOutputs>): RecordedState {
  const members = props.members ?? {};
  return {
    organizationId: props.organizationId ?? "",
    mode: (props.mode ?? "authoritative") as OwnershipMode,
    members,
    declared: props.declared ?? members,
  };
}

export async function create(inputs: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
  const desired = desiredFrom(inputs);
  const c = getClient();
  const org = desired.organizationId;
  // A failed create records no state: find what the API would reject before writing anything. The two
  // reads spend different buckets, so they run side by side.
  const declaresRoles = Object.values(desired.members).some((roles) => roles.length > 0);
  const [live, roles] = await Promise.all([
    readLiveRoles(c, org, Object.keys(desired.members), concurrency()),
    declaresRoles ? c.listRoles() : Promise.resolve([]),
  ]);
  const tenantRoles = new Set(roles.map((r) => r.id));
  const problems = preflightCreate(desired.members, live, tenantRoles, POLICY_ROLE_CAP);
  if (problems.length > 0)
    throw new Error(
      `Create of member roles in ${org}: nothing was changed; ${problems.length} problem(s) to fix first:\n${problems.map((p) => `  - ${p.userId}: ${p.reason}`).join("\n")}\nFix them and run \`pulumi up\` again.`,
    );
  const report = await applyChanges(c, org, planCreate(live, desired.members), concurrency());
  if (report.failed.length > 0) throw failureError(org, report, "Create");
  const id = `${org}/${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  return { id, outs: outputs(desired) };
}

export async function update(
  _id: string,
  olds: OrgMemberRolesOutputs,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.UpdateResult> {
  const desired = desiredFrom(news);
  const plan = planUpdate(recorded(olds), desired.members, desired.mode);
  const report = await applyChanges(getClient(), desired.organizationId, plan, concurrency());
  if (report.failed.length > 0) throw failureError(desired.organizationId, report, "Update");
  return { outs: outputs(desired) };
}

export async function read(id: string, props: OrgMemberRolesOutputs): Promise<pulumi.dynamic.ReadResult> {
  const state = recorded(props);
  let live: Record<string, string[] | undefined>;
  try {
    live = await readLiveRoles(getClient(), state.organizationId, Object.keys(state.declared), concurrency());
  } catch (err) {
    // The organization itself is gone: so is everything this resource managed in it.
    if (err instanceof ManagementApiError && err.kind === "organization-not-found")
      return { id: "" } as pulumi.dynamic.ReadResult;
    throw err;
  }
  const members = observedMembers(live, state.declared, state.mode);
  return {
    id,
    props: { ...state, members },
    inputs: { organizationId: state.organizationId, mode: state.mode, members },
  };
}

export async function deleteResource(_id: string, props: OrgMemberRolesOutputs): Promise<void> {
  const state = recorded(props);
  const report = await applyChanges(getClient(), state.organizationId, planDelete(state), concurrency());
  if (report.failed.length > 0) throw failureError(state.organizationId, report, "Delete");
}

export { deleteResource as delete };
