import type * as pulumi from "@pulumi/pulumi";
import { isGone } from "../client/errors";
import { heldRoles, knownUsers, observe } from "../model/plan";
import { sameSet } from "../model/role-sets";
import { formOf, recordedOf } from "../model/stored-state";
import type { RunContext } from "./context";
import { expiryProps } from "./expiry";
import type { ResourceKind } from "./kind";
import { membershipsAdded, outputs, storedExtras } from "./outputs";

/**
 * `read` (refresh): what the tenant holds for every member the state knows. The listing lags writes: a
 * member it shows otherwise than the state says (a write of the last `up`, a member who just left, a change
 * made elsewhere) is read again from the primary store before it is recorded as drift. The refreshed
 * `members` become the recorded inputs too: the next preview is shown against them.
 */
export async function read(
  ctx: RunContext,
  kind: ResourceKind,
  id: string,
  props: Record<string, unknown>,
): Promise<pulumi.dynamic.ReadResult> {
  const state = recordedOf(props, kind.map);
  let live: Record<string, string[] | undefined>;
  try {
    ({ live } = await kind.readFresh(ctx, state.organizationId, knownUsers(state), {
      confirm: (userId, listed) => !sameSet(listed, heldRoles(state, userId)),
    }));
  } catch (err) {
    // The organization itself is gone: so is everything this resource managed in it.
    if (isGone(err, "organization")) return { id: "" } as pulumi.dynamic.ReadResult;
    throw err;
  }
  const extras = {
    ...membershipsAdded(props["addedMembers"] as string[] | undefined),
    ...storedExtras(kind, props),
    ...expiryProps(props),
  };
  const observed = { ...observe(state, live), ...extras };
  return {
    id,
    // A refresh writes the state in the form it found it (stored-state.ts, StoredForm).
    props: outputs(kind, observed, formOf(props)),
    inputs: {
      organizationId: observed.organizationId,
      mode: observed.mode,
      [kind.map]: observed.holders,
      ...extras,
    },
  };
}
