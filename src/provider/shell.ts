/**
 * The provider the engine stores with each resource (`__provider`, in its inputs and again in its outputs):
 * JavaScript source that Pulumi's dynamic-provider host loads with `require-from-string`, calling its
 * `handler()` for the provider object. This one `require`s the implementation by package name when it runs,
 * so the state holds one line: no client, no secret, no absolute path, and old state runs the current
 * implementation after an upgrade. The implementation module itself is the provider object (it exports
 * `configure`, `check`, `diff`, `create`, `read`, `update` and `delete`).
 *
 * Why source text, not `pulumi.dynamic.Resource` serialising a provider object: that serialisation of seven
 * forwarding methods is 2,283 characters, stored twice per resource, and the engine rewrites the whole state
 * after every step, so at 1,000 resources it was most of what a first `up` cost beyond the engine's floor
 * (bench/RESULTS.md, "Many organizations"). The contract used here (the `__provider` property, a module whose
 * `handler()` returns the provider) is the one every `@pulumi/pulumi` version's dynamic-provider host reads
 * (`sdk/nodejs/cmd/dynamic-provider/index.ts`, `getProvider`).
 */
export const PROVIDER_SOURCE = 'exports.handler = () => require("pulumi-auth0-org-member-roles/provider");\n';

/** OrgGroupRoles' provider: the same module's `groupRoles` object, so both resource types share one run. */
export const GROUP_PROVIDER_SOURCE =
  'exports.handler = () => require("pulumi-auth0-org-member-roles/provider").groupRoles;\n';
