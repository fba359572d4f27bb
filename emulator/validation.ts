/**
 * What the Management API accepts in a request, as the emulator checks it: IDs in the path, integers in the
 * query, paging parameters, `fields`, checkpoint cursors and list bodies. A refusal is thrown as an
 * `ApiError` carrying Auth0's 400 envelope with the documented `errorCode`.
 */

import { ApiError, envelope } from "./answers";
import { PUBLISHED_LIMITS } from "./contract";
import type { RequestBody } from "./http-body";

export function validateId(value: string, max: number, property: string, description: string): void {
  if (value.length > max)
    throw new ApiError(
      envelope(
        400,
        `Path validation error: 'String is too long (${value.length} chars), maximum ${max}' on property ${property} (${description}).`,
        "invalid_uri",
      ),
    );
}

export function intParam(
  query: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max: number,
  description: string,
) {
  const raw = query.get(name);
  if (raw === null || raw === "") return fallback;
  const fail = (detail: string) =>
    new ApiError(
      envelope(
        400,
        `Query validation error: '${detail}' on property ${name} (${description}).`,
        "invalid_query_string",
      ),
    );
  if (!/^-?\d+$/.test(raw)) throw fail("Expected type integer but found type string");
  const n = Number(raw);
  if (n < min) throw fail(`Number is less than the minimum value of ${min}`);
  if (n > max) throw fail(`Number is greater than the maximum value of ${max}`);
  return n;
}

/** A page's size, `per_page` (offset paging) or `take` (checkpoint paging): 1..100, default 50. */
export const pageSize = (query: URLSearchParams, name: "per_page" | "take") =>
  intParam(query, name, 50, 1, PUBLISHED_LIMITS.maxPageSize, "Number of results per page. Defaults to 50.");

/** Offset paging: `page` 0..1000 (first page 0), `per_page` 1..100 (default 50). */
export function pageParams(query: URLSearchParams): { page: number; perPage: number } {
  return {
    page: intParam(query, "page", 0, 0, 1000, "Page index of the results to return. First page is 0."),
    perPage: pageSize(query, "per_page"),
  };
}

export function fieldsIncludeRoles(query: URLSearchParams): boolean {
  const fields = (query.get("fields") ?? "").split(",").map((f) => f.trim());
  const include = query.get("include_fields") !== "false";
  return include ? fields.includes("roles") : false;
}

/** `fields` / `include_fields`: which member properties the listing returns. Roles only when asked for. */
export function projector(query: URLSearchParams, full: (user: string) => Record<string, unknown>) {
  const fields = (query.get("fields") ?? "")
    .split(",")
    .map((f) => f.trim())
    .filter(Boolean);
  const include = query.get("include_fields") !== "false";
  return (user: string) => {
    const record = full(user);
    if (fields.length === 0) {
      const { roles: _roles, ...rest } = record;
      return rest;
    }
    return Object.fromEntries(Object.entries(record).filter(([k]) => fields.includes(k) === include));
  };
}

/** Marks the emulator's own cursors, so one it did not issue is recognised as such. */
const CURSOR_PREFIX = "cp1:";

export function encodeCursor(userId: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${userId}`, "utf8").toString("base64url");
}

/**
 * The user ID a cursor points after. A cursor the emulator did not issue answers 400, as Auth0 does, never an
 * empty page (which a client would take for the end of the listing). The status follows the project's issue 12;
 * the exact wording of Auth0's message is unconfirmed.
 */
export function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, "base64url").toString("utf8");
  const canonical = Buffer.from(decoded, "utf8").toString("base64url") === cursor;
  if (!canonical || !decoded.startsWith(CURSOR_PREFIX) || decoded.length === CURSOR_PREFIX.length)
    throw new ApiError(
      envelope(400, "Query validation error: 'Invalid checkpoint' on property from.", "invalid_query_string"),
    );
  return decoded.slice(CURSOR_PREFIX.length);
}

/** `{"roles": [...]}`: at least one item, no other properties (JSON or form encoded). */
export function rolesBody(body: RequestBody): string[] {
  return listBody(body, "roles", undefined, "array of role IDs");
}

export function listBody(
  body: RequestBody,
  property: string,
  maxItems: number | undefined,
  description: string,
): string[] {
  const invalid = (detail: string, on = "") =>
    new ApiError(envelope(400, `Payload validation error: '${detail}'${on}.`, "invalid_body"));
  const value = body.kind === "empty" ? null : body.value;
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw invalid(
      `Expected type object but found type ${value === null ? "null" : Array.isArray(value) ? "array" : typeof value}`,
    );
  const record = value as Record<string, unknown>;
  const extra = Object.keys(record).filter((k) => k !== property);
  if (extra.length > 0) throw invalid(`Additional properties not allowed: ${extra.join(",")}`);
  if (!(property in record)) throw invalid(`Missing required property: ${property}`);
  let items = record[property];
  if (body.kind === "form" && typeof items === "string") items = [items];
  if (!Array.isArray(items))
    throw invalid(
      `Expected type array but found type ${typeof items}`,
      ` on property ${property} (${description})`,
    );
  if (items.length < 1)
    throw invalid("Array is too short (0), minimum 1", ` on property ${property} (${description})`);
  if (maxItems !== undefined && items.length > maxItems)
    throw invalid(
      `Array is too long (${items.length}), maximum ${maxItems}`,
      ` on property ${property} (${description})`,
    );
  const bad = items.findIndex((i) => typeof i !== "string" || i.length === 0);
  if (bad !== -1)
    throw invalid(
      `Expected type string but found type ${typeof items[bad]}`,
      ` on property ${property}[${bad}]`,
    );
  return items as string[];
}
