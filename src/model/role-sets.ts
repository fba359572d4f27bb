/** Set algebra on role and user lists: sorted arrays, as the state shows them; filters keep `a`'s order. */

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
