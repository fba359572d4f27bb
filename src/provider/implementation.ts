/**
 * The OrgMemberRoles dynamic provider. The state holds only a shell (shell.ts) that `require`s this module
 * by package name, so old state runs current code and nothing here (client, credentials, zod) is serialised.
 * The host caches the provider per `__provider` string: every resource of a run shares one RunContext.
 *
 * @example
 * const impl = require("pulumi-auth0-org-member-roles/provider");
 * await impl.configure({ config: { get: (k: string) => process.env[k] } });
 */
import type * as pulumi from "@pulumi/pulumi";
import { SETTINGS as AUTH0_SETTINGS } from "../client/credentials";
import type { Clock } from "../clock";
import { formOf, inputsOf, recordedOf } from "../model/stored-state";
import { SETTING_ROWS } from "../settings";
import { type BoundaryInputs, guarded, marksSecret } from "./boundary";
import { RunContext } from "./context";
import * as deleteOperation from "./delete";
import * as diffOperation from "./diff";
import { GROUP_KIND } from "./group-kind";
import { desiredOf, MEMBER_KIND, type ResourceKind } from "./kind";
import * as readOperation from "./read";
import * as writeOperations from "./write";

export type { OrgMemberRolesOutputs } from "../model/stored-state";

type Props = Record<string, unknown>;

/**
 * Pulumi's operations on one resource type. No model type here: the published declarations must stop before
 * zod's, which fail to compile under the older `commonjs`/`node` tsconfig.
 */
export type ResourceOperations = Required<
  Pick<pulumi.dynamic.ResourceProvider, "check" | "diff" | "create" | "update" | "read" | "delete">
>;

/** How the host configures a provider (pulumi.dynamic.ResourceProvider's `configure`), and a test clock. */
type Configure = (
  req: { config: { get(key: string): string | undefined } },
  options?: { clock?: Clock },
) => Promise<void>;

/** The provider object the dynamic-provider host calls, plus what tests and tools use to drive it. */
export interface OrgMemberRolesProvider extends ResourceOperations {
  configure: Configure;
  configureWith(values: Record<string, string>, options?: { clock?: Clock }): Promise<void>;
  /** A new engine run in this process: reads, writes and claims start afresh (tests drive several runs). */
  startRun(): void;
  /** OrgGroupRoles' provider on the same run (its `__provider` loads it: components/org-group-roles.ts). */
  groupRoles: ResourceOperations & { configure: Configure };
}

/** `kind`'s operations: each parses its props, then runs in the error boundary masking `secrets`. */
function operationsOf(
  kind: ResourceKind,
  ctx: () => RunContext,
  secrets: (...props: Array<Props | undefined>) => () => BoundaryInputs,
): ResourceOperations {
  const recorded = (props: Props) => recordedOf(props, kind);
  return {
    check: (olds: Props, news: Props) =>
      guarded(secrets(olds, news), news["__provider"], async () => {
        const checked = await kind.check(ctx(), olds, news);
        if ("failures" in checked) return { inputs: news, failures: checked.failures };
        return { inputs: { ...inputsOf(kind, checked.desired), ...checked.props } };
      }),
    diff: (_id, olds: Props, news: Props) =>
      guarded(secrets(olds, news), undefined, async () =>
        diffOperation.diff(ctx(), recorded(olds), desiredOf(kind, ctx(), news)),
      ),
    create: (inputs: Props) =>
      guarded(secrets(inputs), inputs["__provider"], () =>
        writeOperations.create(ctx(), kind, desiredOf(kind, ctx(), inputs)),
      ),
    update: (id, olds: Props, news: Props) =>
      guarded(secrets(olds, news), news["__provider"], () =>
        writeOperations.update(ctx(), kind, id, recorded(olds), desiredOf(kind, ctx(), news)),
      ),
    read: (id, props: Props = {}) =>
      guarded(secrets(props), undefined, () =>
        readOperation.read(ctx(), kind, id, recorded(props), formOf(props)),
      ),
    delete: (_id, props: Props) =>
      guarded(secrets(props), undefined, () => deleteOperation.deleteResource(ctx(), kind, recorded(props))),
  };
}

/** A provider with its own run context. */
export function createProvider(): OrgMemberRolesProvider {
  let ctx = new RunContext();
  // The host configures each provider string once, with the same stack config: the second configure keeps a
  // context with the same settings, so both resource types of a run share its reads, writes and claims.
  let configured: { by: "members" | "groups"; signature: string } | undefined;
  const secretsOf =
    (kind: ResourceKind) =>
    (...props: Array<Props | undefined>) => {
      const secret = props.some((p) => marksSecret(p, kind.secretFlag));
      // Remembered before the call runs: a later call of the run (a delete) masks these words too.
      if (secret) for (const p of props) if (p) ctx.secretProps.push({ map: kind.map, props: p });
      return (): BoundaryInputs => ({
        props,
        secret,
        map: kind.map,
        credentials: ctx.settings.credentialValues(),
        runSecrets: ctx.secretProps,
      });
    };
  const provider: OrgMemberRolesProvider = {
    async configure(req, options = {}) {
      const signature = settingsSignature((key) => req.config.get(key));
      const keep = configured?.by === "groups" && configured.signature === signature && !options.clock;
      configured = { by: "members", signature };
      if (keep) return;
      const previous = ctx;
      // Reads are cached for one run against one tenant; new settings may name another tenant.
      ctx = RunContext.configured((key) => req.config.get(key), options.clock);
      await previous.close();
    },
    configureWith(values, options = {}) {
      return provider.configure({ config: { get: (key) => values[key] } }, options);
    },
    startRun() {
      ctx = ctx.nextRun();
    },
    ...operationsOf(MEMBER_KIND, () => ctx, secretsOf(MEMBER_KIND)),
    groupRoles: {
      ...operationsOf(GROUP_KIND, () => ctx, secretsOf(GROUP_KIND)),
      async configure(req, options = {}) {
        const signature = settingsSignature((key) => req.config.get(key));
        if (configured?.signature === signature && !options.clock) return;
        await provider.configure(req, options);
        configured = { by: "groups", signature };
      },
    },
  };
  return provider;
}

/** The settings a configure call gives, as one string: whether two calls configure the same thing. */
function settingsSignature(get: (key: string) => string | undefined): string {
  const keys = [
    ...Object.values(AUTH0_SETTINGS).map(([k]) => k),
    ...Object.values(SETTING_ROWS).map((r) => r.key),
  ];
  return JSON.stringify(keys.map((k) => get(k) ?? null));
}

const provider = createProvider();

// The module is the provider object the host calls (shell.ts): its methods, bound to the one provider;
// `groupRoles` is OrgGroupRoles' provider object (what its `__provider` source hands the host).
export const { configure, configureWith, startRun, check, diff, create, update, read, groupRoles } = provider;
const deleteResource = provider.delete;

export { deleteResource as delete, deleteResource };
