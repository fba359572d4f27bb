/**
 * Which shard of a sharded deployment an organization belongs to: a pure function of its organization ID and
 * the number of shards, never of its position in the config list, so adding, removing or reordering other
 * entries moves no organization, and every stack of a pipeline computes the same layout.
 */

/** A stack's share of the organizations: shard `index` of `count` (0 ≤ index < count). */
export interface Shard {
  index: number;
  count: number;
}

/**
 * FNV-1a (32-bit) of the organization ID's UTF-8 bytes, modulo `count`. FNV-1a is fixed by its definition
 * (offset basis 2166136261, prime 16777619), so the layout never changes with a Node or library version.
 *
 * @example
 * shardOf("org_acme000000000001", 4); // always the same number in 0..3
 */
export function shardOf(organizationId: string, count: number): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(organizationId, "utf8")) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % count;
}
