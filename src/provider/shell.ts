import type * as pulumi from "@pulumi/pulumi";

/**
 * The provider object Pulumi serialises into the state (`__provider`). Each method `require`s the
 * implementation by package name when it runs, so the state holds only these few lines: no client, no secret,
 * no absolute path, and old state runs the current implementation after an upgrade.
 *
 * @example
 * new pulumi.dynamic.Resource(orgMemberRolesProvider, "roles", inputs, {}, "auth0", "OrgMemberRoles");
 */
export const orgMemberRolesProvider: pulumi.dynamic.ResourceProvider = {
  configure: (req) => require("pulumi-auth0-org-member-roles/provider").configure(req),
  check: (olds, news) => require("pulumi-auth0-org-member-roles/provider").check(olds, news),
  diff: (id, olds, news) => require("pulumi-auth0-org-member-roles/provider").diff(id, olds, news),
  create: (inputs) => require("pulumi-auth0-org-member-roles/provider").create(inputs),
  read: (id, props) => require("pulumi-auth0-org-member-roles/provider").read(id, props),
  update: (id, olds, news) => require("pulumi-auth0-org-member-roles/provider").update(id, olds, news),
  delete: (id, props) => require("pulumi-auth0-org-member-roles/provider").delete(id, props),
};
