import type * as pulumi from "@pulumi/pulumi";

type Props = Record<string, unknown>;

/**
 * The operations of OrgGroupRoles: OrgMemberRoles' own, over groups (kind.ts), with the props renamed. In a
 * module of its own so that the provider's published declarations stop here and never reach the client's
 * (zod's declarations fail to compile under the older `commonjs`/`node` tsconfig).
 */
export interface GroupRolesOperations {
  check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult>;
  diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: Props): Promise<pulumi.dynamic.CreateResult>;
  update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult>;
  read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult>;
  delete(id: string, props: Props): Promise<void>;
}
