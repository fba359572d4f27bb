import type * as pulumi from "@pulumi/pulumi";
import { isGone } from "../client/errors";
import { heldRoles, knownUsers, observe } from "../model/plan";
import { sameSet } from "../model/role-sets";
import { inputsOf, mirroredOf, type Recorded, type StoredForm, toStored } from "../model/stored-state";
import type { RunContext } from "./context";
import type { ResourceKind } from "./kind";

/**
 * `read` (refresh). The listing lags writes, so a holder it shows otherwise than the state is read again
 * before it counts as drift. The refreshed map becomes the recorded inputs too: the next preview's baseline.
 */
export async function read(
  ctx: RunContext,
  kind: ResourceKind,
  id: string,
  recorded: Recorded,
  /** A refresh writes the state in the form it found it (stored-state.ts, StoredForm). */
  form: StoredForm,
): Promise<pulumi.dynamic.ReadResult> {
  let live: Record<string, string[] | undefined>;
  try {
    ({ live } = await kind.readFresh(ctx, recorded.organizationId, knownUsers(recorded), {
      confirm: (h, listed) => !sameSet(listed, heldRoles(recorded, h)),
    }));
  } catch (err) {
    // The organization is gone, and with it everything this resource managed.
    if (isGone(err, "organization")) return { id: "" } as pulumi.dynamic.ReadResult;
    throw err;
  }
  const observed = { ...observe(recorded, live), ...mirroredOf(recorded) };
  const { organizationId, mode, holders } = observed;
  return {
    id,
    props: toStored(observed, kind, form),
    inputs: inputsOf(kind, { organizationId, mode, holders, ...mirroredOf(recorded) }),
  };
}
