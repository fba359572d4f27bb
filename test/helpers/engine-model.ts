/**
 * The Pulumi engine's bookkeeping for dynamic resources, reproduced so that a property test can drive the
 * provider through thousands of runs in seconds (the real engine takes about a second a run; test/e2e holds
 * the real-engine regressions). What it reproduces, each checked against the engine (pkg/v3 3.248):
 * - `check(oldInputs, news)` for every resource of the program, in order, before its create or update;
 * - create; or diff against the old outputs, then update (a changed organizationId is a replacement: create
 *   the new one, delete the old at the end);
 * - on an error carrying `id` and `properties` (ErrorResourceInitFailed) the properties become the outputs;
 *   a create records the checked inputs, an update keeps the old inputs; on a plain error the old state
 *   stays; either stops the run;
 * - resources that left the program are deleted after every create and update of the run;
 * - `pulumi preview --diff` shows old inputs against new inputs (a delete: all old inputs);
 * - refresh: `read` replaces outputs and, when it returns them, inputs; an empty id drops the resource.
 * One run is one provider process: claims start afresh (`startRun`).
 */
import type { MemberRoles, OwnershipMode } from "../../src/model/desired";
import type { OrgMemberRolesOutputs } from "../../src/provider/implementation";
import { impl } from "./drive";

export interface Declared {
  name: string;
  organizationId: string;
  members: MemberRoles;
  mode: OwnershipMode;
  /** Its inputs wait on another resource's output: checked and applied after the others. */
  late?: boolean;
  /** `members` given as `pulumi.secret(...)`: the component passes `membersSecret: true`. */
  secret?: boolean;
  /** Grants with an end (member → role → instant): the component's `until`. */
  until?: Record<string, Record<string, string>>;
}

interface Entry {
  id: string;
  organizationId: string;
  inputs: Record<string, unknown>;
  outputs: OrgMemberRolesOutputs;
}

export interface RunResult {
  ok: boolean;
  error?: Error;
  /** (organization, user) → roles the preview before this run showed leaving. */
  shownRemovals: Map<string, Set<string>>;
}

const PROVIDER = "exports.handler = () => ({});";
export const memberKey = (org: string, user: string) => `${org}\u0000${user}`;

function isPartial(err: unknown): err is Error & { id: string; properties: OrgMemberRolesOutputs } {
  return err instanceof Error && "id" in err && "properties" in err;
}

export class SimulatedEngine {
  /** Resource name → its state. */
  readonly resources = new Map<string, Entry>();

  /** What `pulumi preview --diff` shows leaving, from old inputs and new checked inputs. */
  private async preview(program: readonly Declared[]): Promise<Map<string, Set<string>>> {
    impl.startRun();
    const shown = new Map<string, Set<string>>();
    const add = (org: string, user: string, roles: readonly string[]) => {
      const key = memberKey(org, user);
      const set = shown.get(key) ?? new Set<string>();
      for (const r of roles) set.add(r);
      shown.set(key, set);
    };
    const names = new Set(program.map((d) => d.name));
    for (const d of program) {
      const old = this.resources.get(d.name);
      if (!old) continue;
      const checked = await impl.check(old.inputs, this.inputsOf(d));
      if (checked.failures?.length) continue;
      const news = (checked.inputs as { members: MemberRoles }).members;
      const olds = old.inputs["members"] as MemberRoles;
      const replaced = old.organizationId !== d.organizationId;
      for (const [user, roles] of Object.entries(olds))
        add(
          old.organizationId,
          user,
          replaced ? roles : roles.filter((r) => !(news[user] ?? []).includes(r)),
        );
    }
    for (const [name, old] of this.resources)
      if (!names.has(name))
        for (const [user, roles] of Object.entries(old.inputs["members"] as MemberRoles))
          add(old.organizationId, user, roles);
    return shown;
  }

  private inputsOf(d: Declared): Record<string, unknown> {
    return {
      organizationId: d.organizationId,
      members: d.members,
      mode: d.mode,
      ...(d.secret ? { membersSecret: true } : {}),
      ...(d.until && Object.keys(d.until).length > 0 ? { until: d.until } : {}),
      __provider: PROVIDER,
    };
  }

  /** `pulumi up` of `program` (the preview it shows first is returned with the outcome). */
  async up(program: readonly Declared[], beforeApply: () => void = () => {}): Promise<RunResult> {
    let shownRemovals: Map<string, Set<string>>;
    try {
      shownRemovals = await this.preview(program);
    } catch (error) {
      // The preview failed (a read it validates with): `pulumi up` stops before changing anything.
      return { ok: false, error: error as Error, shownRemovals: new Map() };
    }
    beforeApply();
    impl.startRun();
    const pendingDeletes: Entry[] = [];
    // The engine checks every resource as the program registers it, before most steps run; a resource whose
    // inputs wait on another resource's output (`late`) is checked only after the others' writes.
    const checkOne = async (d: Declared) => {
      const old = this.resources.get(d.name);
      const checked = await impl.check(old?.inputs ?? {}, this.inputsOf(d));
      if (checked.failures?.length) throw new Error(checked.failures.map((f) => f.reason).join("\n"));
      return { d, old, inputs: { ...(checked.inputs as Record<string, unknown>), __provider: PROVIDER } };
    };
    const applyOne = async ({ d, old, inputs }: Awaited<ReturnType<typeof checkOne>>) => {
      if (old) {
        const diff = await impl.diff(old.id, old.outputs, inputs as never);
        if (!diff.changes) return;
        if (!diff.replaces?.length) {
          await this.apply(d, inputs, old, () => impl.update(old.id, old.outputs, inputs));
          return;
        }
        pendingDeletes.push(old);
      }
      await this.apply(d, inputs, undefined, () => impl.create(inputs));
    };
    try {
      const early: Array<Awaited<ReturnType<typeof checkOne>>> = [];
      for (const d of program.filter((x) => !x.late)) early.push(await checkOne(d));
      for (const c of early) await applyOne(c);
      for (const d of program.filter((x) => x.late)) await applyOne(await checkOne(d));
      const names = new Set(program.map((d) => d.name));
      for (const [name, entry] of [...this.resources]) if (!names.has(name)) pendingDeletes.push(entry);
      for (const entry of pendingDeletes) {
        await impl.delete(entry.id, entry.outputs);
        for (const [name, e] of this.resources) if (e === entry) this.resources.delete(name);
      }
      return { ok: true, shownRemovals };
    } catch (error) {
      return { ok: false, error: error as Error, shownRemovals };
    }
  }

  private async apply(
    d: Declared,
    inputs: Record<string, unknown>,
    old: Entry | undefined,
    call: () => Promise<{ id?: string; outs?: unknown }>,
  ): Promise<void> {
    const record = (id: string, outputs: OrgMemberRolesOutputs) =>
      this.resources.set(d.name, { id, organizationId: d.organizationId, inputs, outputs });
    try {
      const result = await call();
      record(result.id ?? old!.id, result.outs as OrgMemberRolesOutputs);
    } catch (err) {
      // The engine stores the properties as the outputs; an update keeps its old inputs (seen on 3.248:
      // the next preview is shown against them), a create records the new ones.
      if (isPartial(err))
        this.resources.set(d.name, {
          id: err.id,
          organizationId: d.organizationId,
          inputs: old ? old.inputs : inputs,
          outputs: err.properties,
        });
      throw err;
    }
  }

  /** `pulumi refresh`. */
  async refresh(): Promise<void> {
    impl.startRun();
    for (const [name, entry] of [...this.resources]) {
      const result = await impl.read(entry.id, entry.outputs);
      if (!result.id) {
        this.resources.delete(name);
        continue;
      }
      entry.outputs = result.props as OrgMemberRolesOutputs;
      if (result.inputs) entry.inputs = { ...result.inputs, __provider: PROVIDER };
    }
  }

  /** `pulumi destroy`: shows every resource's inputs leaving. */
  async destroy(): Promise<RunResult> {
    const shownRemovals = await this.preview([]);
    impl.startRun();
    try {
      for (const [name, entry] of [...this.resources]) {
        await impl.delete(entry.id, entry.outputs);
        this.resources.delete(name);
      }
      return { ok: true, shownRemovals };
    } catch (error) {
      return { ok: false, error: error as Error, shownRemovals };
    }
  }
}
