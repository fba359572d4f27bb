/**
 * `auth0:customDomainHeader`: with several custom domains on a tenant, the Management API endpoints that
 * build user-facing links (tickets, verification emails, invitations, user writes) need the
 * `Auth0-Custom-Domain` header to know which domain to put in them. go-auth0 (what @pulumi/auth0 runs) and
 * node-auth0 send it on those endpoints only, matched by path; this client does the same. None of the
 * endpoints this project calls is among them, so today the setting is read, checked and never sent.
 *
 * @example
 * carriesCustomDomainHeader("/api/v2/organizations/org_1/invitations"); // true
 * carriesCustomDomainHeader("/api/v2/organizations/org_1/members/auth0%7C1/roles"); // false
 */

export const CUSTOM_DOMAIN_HEADER = "auth0-custom-domain";

/** go-auth0's list (management/management_request.go and internal/client/client.go), path only. */
const PATHS_THAT_CARRY_IT: readonly RegExp[] = [
  /^\/api\/v2\/jobs\/verification-email$/,
  /^\/api\/v2\/tickets\/email-verification$/,
  /^\/api\/v2\/tickets\/password-change$/,
  /^\/api\/v2\/organizations\/[^/]+\/invitations$/,
  /^\/api\/v2\/users$/,
  /^\/api\/v2\/users\/[^/]+$/,
  /^\/api\/v2\/guardian\/enrollments\/ticket$/,
  /^\/api\/v2\/self-service-profiles\/[^/]+\/sso-ticket$/,
];

/** Whether a request to `path` (already URL-encoded, no query) carries `Auth0-Custom-Domain`. */
export function carriesCustomDomainHeader(path: string): boolean {
  return PATHS_THAT_CARRY_IT.some((pattern) => pattern.test(path));
}

const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

/** The setting's value when it is a host name (`login.acme.com`), else undefined. */
export function customDomainHostName(value: string): string | undefined {
  const trimmed = value.trim();
  return HOST_NAME.test(trimmed) ? trimmed.toLowerCase() : undefined;
}
