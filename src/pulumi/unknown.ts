import { UNKNOWN_VALUE } from "./tokens";

/** The value Pulumi passes for an input not known during preview (another resource's output). */
export type Unknown = typeof UNKNOWN_VALUE;

/**
 * The one test for "not known yet": every module asks this, so an unknown value is never mistaken for data.
 *
 * @example
 * isUnknown(news["members"]) ? "known after apply" : Object.keys(news["members"]);
 */
export function isUnknown(value: unknown): value is Unknown {
  return value === UNKNOWN_VALUE;
}
