import { ManagementApiError } from "../client/errors";
import type { CheckFailure } from "../model/desired";
import { isUnknown } from "../pulumi/unknown";
import { PartialApplyError } from "./failure";
import { SecretMask } from "./secret-mask";

/**
 * The one way out of the provider, so no exit forgets a rule:
 * - a secret map's words and credentials are masked (SecretMask);
 * - partial state carries `__provider`, which the host's error path omits (later steps could not load it);
 * - a fresh Error leaves: the host logs `${e}: ${e.stack}`, and the original could hold a secret.
 */
/** Props whose holder map (under `map`, the resource's ResourceKind.map) was a secret. */
export interface SecretProps {
  map: string;
  props: Record<string, unknown>;
}

export interface BoundaryInputs {
  /** New inputs, old outputs or stored props. */
  props: Array<Record<string, unknown> | undefined>;
  /** Whether the call's holder map is a secret, and its name in `props`. */
  secret: boolean;
  map: string;
  credentials: readonly string[];
  /** Every secret map seen this run: a deleted resource that made its members secret still names them. */
  runSecrets: readonly SecretProps[];
}

/** Whether props mark their holder map secret by `flag` (ResourceKind.secretFlag); unknown counts as yes. */
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

/** The error to throw for `err`; `providerSource` (the inputs' `__provider`) goes into partial state. */
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

/** Runs `operation` inside the boundary. */
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
