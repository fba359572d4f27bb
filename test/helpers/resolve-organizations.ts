import { type ResolvedOrganization, resolveConfig } from "../../components/organizations-config";

/** Every organization entry of a stack config, resolved (aliases to role IDs), whatever the shard. */
export const resolveOrganizations = (config: unknown, namespace: string): ResolvedOrganization[] =>
  resolveConfig(config, namespace).all;
