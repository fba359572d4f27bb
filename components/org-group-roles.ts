import * as pulumi from "@pulumi/pulumi";
import type { MemberRoles, OwnershipMode } from "../src/model/desired";
import { GROUP_PROVIDER_SOURCE } from "../src/provider/shell";
import { GROUP_NAMES, GROUP_RESOURCE_TYPE_TOKEN } from "../src/pulumi/tokens";
import { refuseUnknownSettings } from "../src/pulumi/unknown-config";
import { checkGroupRolesArgs } from "./args-shape";
import { type OrganizationRef, organizationIdOf } from "./auth0-inputs";

/** Inputs of {@link OrgGroupRoles}; each may be a Pulumi `Input`. */
export type OrgGroupRolesArgs = (
  | { organization: OrganizationRef; organizationId?: never }
  | { organizationId: pulumi.Input<string>; organization?: never }
) & {
  /** Group ID → the role IDs (`rol_...`) the organization's group must hold. A secret stays one in the state. */
  groups: pulumi.Input<Record<string, pulumi.Input<pulumi.Input<string>[]>>>;
  /** `authoritative` (default): each declared group holds exactly these roles. `additive`: these are ensured. */
  mode?: pulumi.Input<OwnershipMode> | undefined;
};

/**
 * The roles of an Auth0 organization's groups (Enterprise Groups, Early Access), as code: every member of a
 * group inherits its roles at login. The same promises as {@link OrgMemberRoles} (the preview shows every
 * removal, adoption on create, additive or authoritative, secrets, bounded calls); groups themselves come
 * from SCIM provisioning and are never created or deleted here.
 *
 * @example
 * new OrgGroupRoles("acme-groups", {
 *   organizationId: "org_0123456789abcdef",
 *   groups: { grp_engineering00001: ["rol_0123456789abcdef"] },
 * });
 */
export class OrgGroupRoles extends pulumi.CustomResource {
  declare readonly organizationId: pulumi.Output<string>;
  /** Roles per declared group as last applied, or as seen by the last refresh. */
  declare readonly groups: pulumi.Output<MemberRoles>;
  declare readonly mode: pulumi.Output<OwnershipMode>;
  /** The roles this resource owns, where that differs from `groups`. Always a secret. */
  declare readonly declaredDiffers: pulumi.Output<MemberRoles | undefined>;
  /** Where the tenant is known to differ from `groups`. Always a secret. */
  declare readonly tenantDiffers: pulumi.Output<Record<string, { missing: string[]; extra: string[] }>>;

  constructor(name: string, args: OrgGroupRolesArgs, opts?: pulumi.CustomResourceOptions) {
    checkGroupRolesArgs(name, args);
    // A misspelt orgMemberRoles: setting would leave its default in force; the provider cannot tell.
    refuseUnknownSettings();
    const organizationId =
      args.organization !== undefined ? organizationIdOf(args.organization) : args.organizationId;
    super(
      GROUP_RESOURCE_TYPE_TOKEN,
      name,
      {
        __provider: GROUP_PROVIDER_SOURCE,
        organizationId,
        // Stored under the kind's names (a stored rename is GROUP_NAMES, and the output declared above).
        [GROUP_NAMES.map]: args.groups,
        mode: args.mode,
        [GROUP_NAMES.secretFlag]: pulumi.output(pulumi.isSecret(pulumi.output(args.groups))),
        declaredDiffers: undefined,
        tenantDiffers: undefined,
      },
      {
        ...opts,
        additionalSecretOutputs: [
          ...new Set([...(opts?.additionalSecretOutputs ?? []), "declaredDiffers", "tenantDiffers"]),
        ],
      },
    );
  }
}
