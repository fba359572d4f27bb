/**
 * Shapes of Auth0 identifiers (see docs/auth0-api.md, "Requests"). Role *names* are not IDs: the API rejects them.
 *
 * @example
 * ROLE_ID.test("rol_0123456789abcdef"); // true
 * USER_ID.test("auth0|69e9cd6013e3dca66bfbca39"); // true
 */
export const ORGANIZATION_ID = /^org_[A-Za-z0-9]{16}$/;
export const ROLE_ID = /^rol_[A-Za-z0-9]{16}$/;
/** `{provider}|{id}`, at most 255 characters. */
export const USER_ID = /^[^|\s]+\|[^\s]+$/;
export const USER_ID_MAX_LENGTH = 255;
