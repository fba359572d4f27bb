/**
 * What a preview changes, member by member, for every OrgMemberRoles resource: roles gained and lost, members
 * added and removed, and the drift a refresh found. Pure; works only from the `members` (and
 * `organizationId`, `mode`) of old and new inputs/outputs, so other fields may come and go.
 */
import type { MemberRoles, OwnershipMode } from "../model/desired";
import { planUpdate, type RecordedState } from "../model/plan";
import { minus } from "../model/role-sets";
import { recordedOf } from "../model/stored-state";
import { RESOURCE_TYPE_TOKEN, UNKNOWN_VALUE } from "../pulumi/tokens";
import { isUnknown } from "../pulumi/unknown";
import { type GroupView, groupRolesOf, groupView, withGroupLosses } from "./group-roles";
import { groupStepsAs, isGroupResource } from "./group-steps";
import { isSecretValue, type PreviewRecord, type StateView, type StepView } from "./preview-json";

/** Stands for a role ID the CLI masked as secret; never the value itself. */
export const SECRET_ROLE = "[secret]";
/** Stands for a role ID not known until apply (an output of a resource not yet created). */
export const UNKNOWN_ROLE = UNKNOWN_VALUE;

export type MemberChangeKind = "changed" | "added" | "removed";

export interface MemberChange {
  userId: string;
  kind: MemberChangeKind;
  gains: string[];
  loses: string[];
  /** The member's roles are secret on one side: nothing about them is shown. */
  secret: boolean;
  /** Roles it also holds through a group, as the preview read them (group-roles.ts). */
  groups?: GroupView;
}

export interface MemberDrift {
  userId: string;
  /** In the tenant, not in the state: assigned outside Pulumi. */
  assigned: string[];
  /** In the state, not in the tenant: removed outside Pulumi. */
  removed: string[];
  /** The refresh no longer found the user in the organization. */
  left: boolean;
  secret: boolean;
}

/** Why a resource's members cannot be listed. */
export type Hidden = "secret" | "unknown";

export interface ResourceChanges {
  name: string;
  urn: string;
  /** The engine's operation on this resource, as this organization sees it. */
  op: string;
  organizationId: string;
  retainOnDelete: boolean;
  mode?: { from: string; to: string };
  members: MemberChange[];
  drift: MemberDrift[];
  /** An OrgGroupRoles: its "members" are the organization's groups. */
  groups?: true;
  /** Why the preview read no group roles for this resource's changing members (too many, feature off). */
  groupRolesUnread?: string;
  /** The whole members map is secret or unknown: counts and members cannot be shown. */
  hidden?: Hidden;
}

export interface OrganizationChanges {
  organizationId: string;
  resources: ResourceChanges[];
  counts: { changed: number; added: number; removed: number; drifted: number; groups: number };
}

/** Steps of other resource types that change something (not summarised member by member). */
export interface OtherChange {
  type: string;
  op: string;
  count: number;
}

export interface PreviewChanges {
  organizations: OrganizationChanges[];
  others: OtherChange[];
}

type RoleList = string[] | "secret";
type MembersView =
  | { kind: "visible"; members: Map<string, RoleList> }
  | { kind: Hidden }
  | { kind: "absent" };

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function roleId(v: unknown): string {
  if (isSecretValue(v)) return SECRET_ROLE;
  return typeof v === "string" ? v : String(v);
}

function roleList(v: unknown): RoleList {
  if (isSecretValue(v)) return "secret";
  if (isUnknown(v)) return [UNKNOWN_ROLE];
  return Array.isArray(v) ? [...new Set(v.map(roleId))].sort(byString) : [];
}

function membersOf(v: unknown): MembersView {
  if (v === undefined || v === null) return { kind: "absent" };
  if (isSecretValue(v)) return { kind: "secret" };
  if (typeof v !== "object" || Array.isArray(v)) return { kind: "unknown" }; // the unknown sentinel string
  const members = new Map<string, RoleList>();
  for (const [user, roles] of Object.entries(v as Record<string, unknown>))
    members.set(user, roleList(roles));
  return { kind: "visible", members };
}

/** Old members: what the state holds (outputs; refresh writes drift there), else the old inputs. */
const oldMembers = (s: StateView | undefined) => membersOf(s?.outputs.members ?? s?.inputs.members);
/** New members: what the program declares now. */
const newMembers = (s: StateView | undefined) => membersOf(s?.inputs.members ?? s?.outputs.members);

function textOf(v: unknown): string {
  if (isSecretValue(v)) return "(secret)";
  if (isUnknown(v)) return "(known after apply)";
  return typeof v === "string" ? v : "";
}

const organizationOf = (s: StateView | undefined) =>
  textOf(s?.inputs.organizationId ?? s?.outputs.organizationId) || "(unknown organization)";
const modeOf = (s: StateView | undefined) => textOf(s?.outputs.mode ?? s?.inputs.mode) || "authoritative";

/** The resource name: the URN's last part (`urn:pulumi:stack::project::type::name`). */
export function resourceName(urn: string): string {
  const parts = urn.split("::");
  return parts.length >= 4 ? parts.slice(3).join("::") : urn;
}

/**
 * The recorded state the provider plans an update from, as far as the preview shows it: `declaredDiffers`
 * and `tenantDiffers` are secret outputs (undefined here unless the preview shows them).
 */
function recordedView(s: StateView | undefined, members: MemberRoles, mode: OwnershipMode): RecordedState {
  const visible = (key: string) => {
    const v = s?.outputs[key];
    return v !== null && typeof v === "object" && !isSecretValue(v) ? { [key]: v } : {};
  };
  // Decoded as the provider decodes it (stored-state.ts), from what the preview shows.
  const state = recordedOf({
    mode,
    members,
    ...visible("declared"),
    ...visible("declaredDiffers"),
    ...visible("tenantDiffers"),
  });
  // Maps without a prototype: a preview may name a member "constructor" or "__proto__", which a plain
  // object would answer with Object's own properties.
  const bare = <T>(map: Record<string, T>): Record<string, T> => Object.assign(Object.create(null), map);
  return {
    ...state,
    holders: bare(state.holders),
    declared: bare(state.declared),
    tenantDiffers: bare(state.tenantDiffers),
  };
}

/**
 * Members in old and new, compared with the provider's own planning (model/plan.ts `planUpdate`) when both
 * sides are visible, so the summary shows what `pulumi up` sends (a retried addition included, when the
 * state shows it); members only on one side are added or removed.
 */
function compareMembers(
  before: MembersView,
  after: MembersView,
  state?: { old: StateView | undefined; mode: OwnershipMode },
): MemberChange[] | Hidden {
  for (const side of [before, after]) if (side.kind === "secret" || side.kind === "unknown") return side.kind;
  const olds = before.kind === "visible" ? before.members : new Map<string, RoleList>();
  const news = after.kind === "visible" ? after.members : new Map<string, RoleList>();
  const users = [...new Set([...olds.keys(), ...news.keys()])].sort(byString);
  const listed = (m: Map<string, RoleList>) => {
    const out: MemberRoles = Object.create(null);
    for (const [u, r] of m) if (r !== "secret") out[u] = r;
    return out;
  };
  const planned = state
    ? new Map(
        planUpdate(recordedView(state.old, listed(olds), state.mode), listed(news), state.mode).map((c) => [
          c.holder,
          c,
        ]),
      )
    : undefined;
  const changes: MemberChange[] = [];
  for (const userId of users) {
    const o = olds.get(userId);
    const n = news.get(userId);
    const kind: MemberChangeKind = o === undefined ? "added" : n === undefined ? "removed" : "changed";
    if (o === "secret" || n === "secret") {
      changes.push({ userId, kind, gains: [], loses: [], secret: true });
      continue;
    }
    const plan = planned?.get(userId);
    const gains = planned ? (plan?.add ?? []) : minus(n ?? [], o ?? []);
    const loses = planned ? (plan?.remove ?? []) : minus(o ?? [], n ?? []);
    if (kind === "changed" && gains.length === 0 && loses.length === 0) continue;
    changes.push({ userId, kind, gains, loses, secret: false });
  }
  return changes;
}

/** Each change annotated with the roles the member holds through a group, as the new state shows them. */
function withGroups(changes: MemberChange[] | Hidden, s: StateView | undefined): MemberChange[] | Hidden {
  const groups = groupRolesOf(s);
  if (typeof changes === "string" || Object.keys(groups).length === 0) return changes;
  const after = newMembers(s);
  return changes.map((m) => {
    const declared = after.kind === "visible" ? after.members.get(m.userId) : undefined;
    const view = m.secret
      ? undefined
      : groupView(groups, m.userId, Array.isArray(declared) ? declared : [], m.loses);
    return view ? { ...m, groups: view } : m;
  });
}

/**
 * A role a group loses in this preview is no longer "held through a group" for the members of the same
 * organization (which group grants a member what is not read): each member resource's group views, updated
 * in place from the group resources' losses.
 */
function withGroupLossesOf(resources: ResourceChanges[]): void {
  const lost = new Map<string, Set<string>>();
  for (const r of resources.filter((x) => x.groups)) {
    const roles = lost.get(r.organizationId) ?? new Set<string>();
    for (const g of r.members) for (const role of g.loses) roles.add(role);
    lost.set(r.organizationId, roles);
  }
  for (const r of resources) {
    const roles = lost.get(r.organizationId);
    if (r.groups || !roles || roles.size === 0) continue;
    r.members = r.members.map((m) => (m.groups ? { ...m, groups: withGroupLosses(m.groups, roles) } : m));
  }
}

function resourceChanges(
  step: { urn: string; op: string },
  state: StateView | undefined,
  members: MemberChange[] | Hidden,
  extra: Partial<ResourceChanges> = {},
): ResourceChanges {
  return {
    name: resourceName(step.urn),
    urn: step.urn,
    op: step.op,
    organizationId: organizationOf(state),
    retainOnDelete: state?.retainOnDelete ?? false,
    ...(typeof state?.inputs["groupRolesUnread"] === "string"
      ? { groupRolesUnread: state.inputs["groupRolesUnread"] }
      : {}),
    members: typeof members === "string" ? [] : members,
    drift: [],
    ...(typeof members === "string" ? { hidden: members } : {}),
    ...extra,
  };
}

/** One step's changes; a replacement that moves organizations yields a removal and an addition. */
function stepChanges(step: StepView, replaced: Set<string>): ResourceChanges[] {
  const absent: MembersView = { kind: "absent" };
  switch (step.op) {
    case "create":
    case "create-replacement":
      return [
        resourceChanges(step, step.new, withGroups(compareMembers(absent, newMembers(step.new)), step.new)),
      ];
    case "delete":
    case "delete-replaced": {
      const changes = compareMembers(oldMembers(step.old), absent);
      return [resourceChanges(step, step.old, changes)];
    }
    case "replace":
      if (replaced.has(step.urn)) return []; // its create-replacement and delete-replaced steps say it all
      return [
        resourceChanges(
          { ...step, op: "delete-replaced" },
          step.old,
          compareMembers(oldMembers(step.old), absent),
        ),
        resourceChanges(
          { ...step, op: "create-replacement" },
          step.new,
          compareMembers(absent, newMembers(step.new)),
        ),
      ];
    case "update": {
      const from = modeOf(step.old);
      const to = modeOf(step.new);
      const mode = from !== to ? { mode: { from, to } } : {};
      return [
        resourceChanges(
          step,
          step.new ?? step.old,
          withGroups(
            compareMembers(oldMembers(step.old), newMembers(step.new), {
              old: step.old,
              mode: to === "additive" ? "additive" : "authoritative",
            }),
            step.new,
          ),
          mode,
        ),
      ];
    }
    default:
      return []; // same, read, import, discard, refresh: nothing changes in the tenant
  }
}

function driftOf(before: StateView | undefined, after: StateView | undefined): MemberDrift[] | Hidden {
  const was = membersOf(before?.outputs.members ?? before?.inputs.members);
  const is = membersOf(after?.outputs.members ?? after?.inputs.members);
  for (const side of [was, is]) if (side.kind === "secret" || side.kind === "unknown") return side.kind;
  if (was.kind !== "visible" || is.kind !== "visible") return [];
  const drift: MemberDrift[] = [];
  for (const userId of [...was.members.keys()].sort(byString)) {
    const o = was.members.get(userId)!;
    const n = is.members.get(userId);
    if (n === undefined) {
      drift.push({
        userId,
        assigned: [],
        removed: o === "secret" ? [] : o,
        left: true,
        secret: o === "secret",
      });
    } else if (o === "secret" || n === "secret") {
      if (o !== n) drift.push({ userId, assigned: [], removed: [], left: false, secret: true });
    } else {
      const assigned = minus(n, o);
      const removed = minus(o, n);
      if (assigned.length || removed.length)
        drift.push({ userId, assigned, removed, left: false, secret: false });
    }
  }
  return drift;
}

const isSummarised = (type: string, token: string) => type === token;
const isPlumbing = (type: string) => type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:");
const CHANGING_OPS = new Set(["create", "update", "delete", "replace", "create-replacement", "import"]);

/**
 * Member-by-member changes of every OrgMemberRoles resource in a preview, grouped by organization, in a
 * deterministic order (organization ID, then resource name, then user ID).
 *
 * @example
 * const { organizations } = previewChanges(parsePreviewJson(text));
 * organizations[0].resources[0].members; // [{ userId: "auth0|…", kind: "changed", gains: […], loses: […] }]
 */
export function previewChanges(
  record: PreviewRecord,
  typeToken: string = RESOURCE_TYPE_TOKEN,
): PreviewChanges {
  const groupSide = groupStepsAs(record, typeToken);
  const groupUrns = new Set(groupSide.steps.map((s) => s.urn));
  const ours = [...record.steps.filter((s) => isSummarised(s.type, typeToken)), ...groupSide.steps];
  const replaced = new Set(
    ours.filter((s) => s.op === "create-replacement" || s.op === "delete-replaced").map((s) => s.urn),
  );
  const resources = ours.flatMap((s) => stepChanges(s, replaced));
  for (const refresh of groupSide.refreshes) groupUrns.add(refresh.urn);

  for (const refresh of [
    ...record.refreshes.filter((r) => isSummarised(r.type, typeToken)),
    ...groupSide.refreshes,
  ]) {
    const drift = driftOf(refresh.before, refresh.after);
    if (Array.isArray(drift) && drift.length === 0) continue;
    let target = resources.find((r) => r.urn === refresh.urn && !r.op.startsWith("create"));
    if (!target) {
      target = resourceChanges({ urn: refresh.urn, op: "same" }, refresh.before, []);
      resources.push(target);
    }
    if (typeof drift === "string") target.hidden = drift;
    else target.drift = drift;
  }

  for (const r of resources) if (groupUrns.has(r.urn)) r.groups = true;
  withGroupLossesOf(resources);
  const visible = resources.filter(
    (r) => r.members.length > 0 || r.drift.length > 0 || r.mode || r.hidden || r.op !== "update",
  );
  const byOrganization = new Map<string, ResourceChanges[]>();
  for (const r of visible)
    byOrganization.set(r.organizationId, [...(byOrganization.get(r.organizationId) ?? []), r]);
  const organizations = [...byOrganization.keys()].sort(byString).map((organizationId) => {
    const list = byOrganization
      .get(organizationId)!
      .sort((a, b) => byString(a.name, b.name) || byString(a.op, b.op));
    const members = list.filter((r) => !r.groups);
    const count = (kind: MemberChangeKind) =>
      members.reduce((n, r) => n + r.members.filter((m) => m.kind === kind).length, 0);
    return {
      organizationId,
      resources: list,
      counts: {
        changed: count("changed"),
        added: count("added"),
        removed: count("removed"),
        drifted: members.reduce((n, r) => n + r.drift.length, 0),
        groups: list.filter((r) => r.groups).reduce((n, r) => n + r.members.length + r.drift.length, 0),
      },
    };
  });

  const others = new Map<string, OtherChange>();
  for (const s of record.steps) {
    if (
      isSummarised(s.type, typeToken) ||
      isGroupResource(s.type) ||
      isPlumbing(s.type) ||
      !CHANGING_OPS.has(s.op)
    )
      continue;
    const key = `${s.type}\u0000${s.op}`;
    const entry = others.get(key) ?? { type: s.type, op: s.op, count: 0 };
    entry.count++;
    others.set(key, entry);
  }
  return {
    organizations,
    others: [...others.values()].sort((a, b) => byString(a.type, b.type) || byString(a.op, b.op)),
  };
}
