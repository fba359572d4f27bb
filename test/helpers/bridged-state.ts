/**
 * State resources as `@pulumi/auth0` 3.49.0 writes them for `auth0.OrganizationMemberRoles` (ID
 * `org::user`, inputs and outputs `organizationId`, `userId`, `roles`), behind its default provider. Its
 * plugin is not served here, so tests craft them and import them with `pulumi stack import`.
 */
import type { StateResource } from "../../src/export/migrate-state";

export const BRIDGED_TYPE = "auth0:index/organizationMemberRoles:OrganizationMemberRoles";

export interface BridgedMember {
  name: string;
  organizationId: string;
  userId: string;
  roles: string[];
}

/** The URN prefix of a stack: `urn:pulumi:<stack>::<project>::`. */
export const urnOf = (stack: string, project: string, type: string, name: string) =>
  `urn:pulumi:${stack}::${project}::${type}::${name}`;

/** The default auth0 provider and one OrganizationMemberRoles per member, parented by the stack resource. */
export function bridgedResources(
  stack: string,
  project: string,
  members: readonly BridgedMember[],
  options: { parent?: string } = {},
): StateResource[] {
  const parent = options.parent ?? urnOf(stack, project, "pulumi:pulumi:Stack", `${project}-${stack}`);
  const providerUrn = urnOf(stack, project, "pulumi:providers:auth0", "default_3_49_0");
  const providerId = "5f1b5d1e-7e0a-4b8e-9c2b-3a1f0d2c4e6a";
  const provider: StateResource = {
    urn: providerUrn,
    custom: true,
    id: providerId,
    type: "pulumi:providers:auth0",
    inputs: { version: "3.49.0" },
    outputs: { version: "3.49.0" },
  };
  return [
    provider,
    ...members.map((m) => {
      const props = { organizationId: m.organizationId, userId: m.userId, roles: m.roles };
      return {
        urn: urnOf(stack, project, BRIDGED_TYPE, m.name),
        custom: true,
        id: `${m.organizationId}::${m.userId}`,
        type: BRIDGED_TYPE,
        inputs: props,
        outputs: { id: `${m.organizationId}::${m.userId}`, ...props },
        parent,
        provider: `${providerUrn}::${providerId}`,
        propertyDependencies: { organizationId: [], roles: [], userId: [] },
      } satisfies StateResource;
    }),
  ];
}
