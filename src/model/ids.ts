/**
 * Shapes of Auth0 identifiers (see docs/auth0-api.md, "Requests"). Role *names* are not IDs: the API rejects them.
 */
export const ORGANIZATION_ID = /^org_[A-Za-z0-9]{16}$/;
export const ROLE_ID = /^rol_[A-Za-z0-9]{16}$/;
/**
 * `{provider}|{id}`, at most 255 characters; the provider (a connection strategy) has no spaces. SAML NameIDs
 * and `api.user.setUserId()` can put spaces and `|` in the id (`samlp|acme|John Doe`), so only control
 * characters and surrounding spaces (a copy-paste slip) are refused.
 */
export const USER_ID = /^[^|\s\p{Cc}]+\|(?=\S)[^\p{Cc}]*\S$/u;
export const USER_ID_MAX_LENGTH = 255;

/**
 * What is wrong with `id` as a user ID, in words that name the fix; undefined when it is one.
 *
 * @example
 * userIdProblem("samlp|acme|John Doe"); // undefined
 * userIdProblem("ada");                 // "has no provider: a user ID is {provider}|{id}, like auth0|69e9cd..."
 */
export function userIdProblem(id: string): string | undefined {
  if (id.length > USER_ID_MAX_LENGTH)
    return `is ${id.length} characters; Auth0 user IDs have at most ${USER_ID_MAX_LENGTH}`;
  if (/\p{Cc}/u.test(id))
    return "holds a control character (a newline or tab?); copy the user ID again from the Dashboard or the API";
  if (id.trim() !== id) return "starts or ends with a space; remove it";
  const bar = id.indexOf("|");
  if (bar <= 0 || bar === id.length - 1)
    return "is not a user ID: it is {provider}|{id}, like auth0|69e9cd6013e3dca66bfbca39 (or give the member's email)";
  if (/\s/.test(id.slice(0, bar)))
    return `has a space in its provider part ("${id.slice(0, bar)}"); providers are like auth0, samlp, google-oauth2`;
  return undefined;
}

/** What is wrong with `key` as a group ID, or undefined: Auth0's group IDs are opaque, non-empty, at most 50 printable characters. */
export function groupIdProblem(key: string): string | undefined {
  if (key.length === 0) return "(the group ID) is empty";
  if (key.length > 50) return "(the group ID) is longer than 50 characters, the most Auth0 accepts";
  if (!/^[\x21-\x7e]+$/.test(key)) return "(the group ID) has a space or a character Auth0 IDs do not use";
  return undefined;
}
