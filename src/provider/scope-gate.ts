import { missingScopes, type Needs } from "../api/scopes";
import { MANAGEMENT_API_SCOPES_HINT } from "../client/errors";
import type { RunContext } from "./context";

/**
 * Fails `step` before its first call when the token lacks a scope it needs: one error naming every missing
 * scope and the calls needing it (api/scopes.ts), so a user grants them all at once instead of meeting one
 * 403 per run. Costs no call but the token request every run makes anyway; a token that does not say which
 * scopes it grants passes, and the API decides call by call.
 */
export async function requireScopes(ctx: RunContext, step: string, needs: Needs): Promise<void> {
  if (Object.keys(needs).length === 0) return;
  const missing = missingScopes(await ctx.client().granted(), needs);
  if (missing.length === 0) return;
  throw new Error(
    `${step}: the Auth0 application lacks ${missing.length === 1 ? "a scope" : `${missing.length} scopes`} this needs, so nothing was called:\n${missing.map((m) => `  - ${m}`).join("\n")}\n${MANAGEMENT_API_SCOPES_HINT}`,
  );
}

/**
 * {@link requireScopes} once, when first awaited: handed to the code that makes a step's first call, so that
 * a step that calls nothing (bad input, nothing changing) asks for no token either.
 */
export function scopeGate(ctx: RunContext, step: string, needs: Needs): () => Promise<void> {
  let checked: Promise<void> | undefined;
  return () => {
    checked ??= requireScopes(ctx, step, needs);
    return checked;
  };
}
