/**
 * The provider the engine stores with each resource (`__provider`): source the dynamic-provider host loads,
 * calling `handler()`. It `require`s the implementation by package name, so the state holds one line (no
 * secret, no absolute path) and old state runs the current implementation after an upgrade.
 *
 * Not a serialised provider object: that is 2,283 characters, stored twice per resource and rewritten after
 * every step: most of a first 1,000-resource `up`'s cost beyond the engine's floor (bench/RESULTS.md, "Many
 * organizations").
 * Every `@pulumi/pulumi` host reads this contract (sdk/nodejs/cmd/dynamic-provider/index.ts, `getProvider`).
 */
export const PROVIDER_SOURCE = 'exports.handler = () => require("pulumi-auth0-org-member-roles/provider");\n';

/** OrgGroupRoles' provider: the same module's `groupRoles` object, so both resource types share one run. */
export const GROUP_PROVIDER_SOURCE =
  'exports.handler = () => require("pulumi-auth0-org-member-roles/provider").groupRoles;\n';
