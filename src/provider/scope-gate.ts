import { missingScopes, type Needs } from "../api/scopes";
import { MANAGEMENT_API_SCOPES_HINT } from "../client/errors";
import type { RunContext } from "./context";

/**
 * Fails `step` before its first call, naming every missing scope (api/scopes.ts), so a user grants them all
 * at once instead of meeting one 403 per run. A token that does not list its scopes passes: the API decides.
 */
export async function requireScopes(ctx: RunContext, step: string, needs: Needs): Promise<void> {
  if (Object.keys(needs).length === 0) return;
  const missing = missingScopes(await ctx.client().granted(), needs);
  if (missing.length === 0) return;
  throw new Error(
    `${step}: the Auth0 application lacks ${missing.length === 1 ? "a scope" : `${missing.length} scopes`} this needs, so nothing was called:\n${missing.map((m) => `  - ${m}`).join("\n")}\n${MANAGEMENT_API_SCOPES_HINT}`,
  );
}

/** {@link requireScopes} once, when first awaited: a step that calls nothing asks for no token either. */
export function scopeGate(ctx: RunContext, step: string, needs: Needs): () => Promise<void> {
  let checked: Promise<void> | undefined;
  return () => {
    checked ??= requireScopes(ctx, step, needs);
    return checked;
  };
}
