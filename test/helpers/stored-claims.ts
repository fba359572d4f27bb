/**
 * What a stored OrgMemberRoles state claims, read from the stored form as docs/ARCHITECTURE.md and
 * OrgMemberRolesOutputs document it, with none of the provider's code (recordedOf, heldRoles): the model tests judge
 * the provider's state with this reading of their own, so a bug in the provider's decoding cannot hide a
 * bug in what it stores.
 *
 * - `members`: the map a preview is shown against;
 * - `tenantDiffers[id]`: `missing` roles of `members[id]` not held, `extra` roles held beyond it;
 * - ownership: `declared` whole (older states), or `members` overridden per member by `declaredDiffers`.
 */
export interface StoredClaims {
  mode: string;
  /** Each member of `members`, with the roles the state says the tenant holds. */
  holds: Record<string, string[]>;
  /** The maps of member → roles the state carries (shown and owned): what a secret map makes secret. */
  maps: Array<Record<string, string[]>>;
}

type Difference = { missing?: string[]; extra?: string[] };

export function storedClaims(outputs: Record<string, unknown>): StoredClaims {
  const members = (outputs["members"] ?? {}) as Record<string, string[]>;
  const differs = (outputs["tenantDiffers"] ?? {}) as Record<string, Difference>;
  const holds: Record<string, string[]> = {};
  for (const [id, shown] of Object.entries(members)) {
    const d = differs[id] ?? {};
    const held = new Set(shown.filter((r) => !(d.missing ?? []).includes(r)));
    for (const r of d.extra ?? []) held.add(r);
    holds[id] = [...held].sort();
  }
  const owned =
    (outputs["declared"] as Record<string, string[]> | undefined) ??
    ({ ...members, ...((outputs["declaredDiffers"] ?? {}) as Record<string, string[]>) } as Record<
      string,
      string[]
    >);
  return { mode: (outputs["mode"] as string | undefined) ?? "authoritative", holds, maps: [members, owned] };
}
