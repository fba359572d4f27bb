import { ManagementApiError } from "../client/errors";

/**
 * Why a read the tenant refuses for this application or plan is skipped (said in the report's notes), or
 * undefined for a real failure, which stops the report.
 */
export function unavailable(err: unknown): string | undefined {
  if (!(err instanceof ManagementApiError)) return undefined;
  switch (err.kind) {
    case "insufficient-scope":
      // The path is not quoted: it may name a secret member.
      return "the application lacks the scope the read needs (403)";
    case "insufficient-entitlement":
      return "the tenant's plan does not include organization groups (403 insufficient_entitlement)";
    case "not-found":
      return "the tenant answered 404 (groups not enabled?)";
    default:
      return undefined;
  }
}
