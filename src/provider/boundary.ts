import { ManagementApiError } from "../client/errors";
import type { CheckFailure } from "../model/desired";
import { isUnknown } from "../pulumi/unknown";
import { PartialApplyError } from "./failure";
import { SecretMask } from "./secret-mask";

/**
 * The one way out of the provider. Every operation's result and every error it throws pass through here, so
 * no exit can forget a rule:
 * - with a secret `members` (in the new inputs, the old state, or the stored props), each of its user IDs,
 *   emails, role IDs and role names is masked as a whole token in messages, check failures and the reasons
 *   the engine stores (SecretMask); credential values are masked always;
 * - an error that records partial state carries the serialised provider, which the host's error path does
 *   not add (without it later refresh, update and delete could not load the provider);
 * - what leaves is a fresh Error with only the masked message (the host logs `${e}: ${e.stack}`, and a stack
 *   or a field of the original could hold a secret).
 */
/** Props whose holder map (under `map`, the resource's ResourceKind.map) was a secret. */
export interface SecretProps {
  map: string;
  props: Record<string, unknown>;
}

export interface BoundaryInputs {
  /** The props of each argument the engine passed: new inputs, old outputs or stored props. */
  props: Array<Record<string, unknown> | undefined>;
  /** Whether the call's holder map is a secret, and its name in `props`. */
  secret: boolean;
  map: string;
  /** Credential values to mask. */
  credentials: readonly string[];
  /**
   * The secret maps seen so far in this run, by any resource: a word one resource holds secret is masked in
   * every message of the run (a resource deleted in the run that made its members secret still names them).
   */
  runSecrets: readonly SecretProps[];
}

/** Whether a props object says, by `flag` (ResourceKind.secretFlag), that its holder map is a secret (unknown counts as yes). */
export const marksSecret = (p: Record<string, unknown> | undefined, flag: string) =>
  p !== undefined && (p[flag] === true || isUnknown(p[flag]));

/** The mask for one call. */
export function maskFor({ props, secret, map, credentials, runSecrets }: BoundaryInputs): SecretMask {
  const mask = new SecretMask();
  if (secret) for (const p of props) mask.addMembers(p, map);
  for (const s of runSecrets) mask.addMembers(s.props, s.map);
  for (const c of credentials) mask.add(c, "(credential)");
  return mask;
}

/** Check failures as the engine will print them. */
export function maskFailures(failures: readonly CheckFailure[], mask: SecretMask): CheckFailure[] {
  return failures.map((f) => ({ property: mask.apply(f.property), reason: mask.apply(f.reason) }));
}

/**
 * The error to throw in place of `err`. `providerSource` is the `__provider` of the call's inputs, added to
 * partial state.
 */
export function errorLeaving(err: unknown, mask: SecretMask, providerSource: unknown): Error {
  const message = mask.apply(err instanceof Error ? err.message : String(err));
  if (err instanceof PartialApplyError) {
    const properties =
      providerSource === undefined ? err.properties : { ...err.properties, __provider: providerSource };
    const out = new PartialApplyError(
      message,
      err.id,
      properties,
      err.reasons.map((r) => mask.apply(r)),
    );
    out.stack = `${out.name}: ${message}`;
    return out;
  }
  // An API error keeps its kind, code and status (what callers switch on); its texts are masked too.
  const out =
    err instanceof ManagementApiError
      ? new ManagementApiError({
          kind: err.kind,
          method: err.method,
          path: mask.apply(err.path),
          hint: mask.apply(err.hint),
          ...(err.status !== undefined ? { status: err.status } : {}),
          ...(err.errorCode !== undefined ? { errorCode: mask.apply(err.errorCode) } : {}),
          ...(err.apiMessage !== undefined ? { apiMessage: mask.apply(err.apiMessage) } : {}),
        })
      : new Error(message);
  out.message = message;
  out.stack = `${out.name}: ${message}`;
  return out;
}

/**
 * Runs `operation` inside the boundary: its check failures are masked; anything it throws leaves as
 * `errorLeaving` makes it.
 */
export async function guarded<R>(
  inputs: () => BoundaryInputs,
  providerSource: unknown,
  operation: () => Promise<R>,
): Promise<R> {
  let result: R;
  try {
    result = await operation();
  } catch (err) {
    throw errorLeaving(err, maskFor(inputs()), providerSource);
  }
  const failures = (result as { failures?: CheckFailure[] } | undefined)?.failures;
  if (failures && failures.length > 0) {
    return { ...result, failures: maskFailures(failures, maskFor(inputs())) };
  }
  return result;
}
