/**
 * Set algebra on role lists (and user lists): the one place the provider, the planner and the PR summary
 * compute "in a but not b", "in both", "in either" and "the same roles". Lists are plain sorted arrays because
 * the state and the preview show them that way; these keep `a`'s order where they filter it.
 *
 * @example
 * minus(["rol_a", "rol_b"], ["rol_b"]); // ["rol_a"]
 * union(["rol_b"], ["rol_a"]);          // ["rol_a", "rol_b"]
 */

/** Items of `a` that are not in `b`. */
export function minus(a: readonly string[], b: readonly string[]): string[] {
  const drop = new Set(b);
  return a.filter((x) => !drop.has(x));
}

/** Items of `a` that are also in `b`. */
export function both(a: readonly string[], b: readonly string[]): string[] {
  const keep = new Set(b);
  return a.filter((x) => keep.has(x));
}

/** Items of either, sorted and de-duplicated. */
export function union(...lists: ReadonlyArray<readonly string[]>): string[] {
  return [...new Set(lists.flat())].sort();
}

/** Sorted and de-duplicated, so that order and repeats never cause a diff. */
export function normalise(list: readonly string[]): string[] {
  return [...new Set(list)].sort();
}

/** Whether two lists hold the same items, in any order. */
export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const x = normalise(a);
  const y = normalise(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
