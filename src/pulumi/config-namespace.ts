/**
 * The stack config namespace of the package's own keys (`auth0-org-member-roles:roles`, `:organizations`,
 * `:shard`): the package's name, so a `Pulumi.<stack>.yaml` means the same in a project of any name. Its own
 * module, free of the SDK, because the PR summary reads role aliases from it too.
 */
export const CONFIG_NAMESPACE = "auth0-org-member-roles";
