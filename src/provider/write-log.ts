/**
 * This process's writes per member, as sequence numbers. The engine checks some resources late (inputs wait
 * on outputs), so a read cached by one resource's `check` can predate another's DELETE of the same member.
 */
export class WriteLog {
  private clock = 0;
  private readonly lastWrite = new Map<string, number>();
  /** Roles this run removed, or is removing, per member (intent: recorded when the DELETE starts). */
  private readonly removing = new Map<string, Set<string>>();
  private readonly inFlight = new Map<string, Set<Promise<void>>>();

  /** A write to a member begins; call the returned function when it ends, however it ends. */
  begin(organizationId: string, userId: string, removes: readonly string[]): () => void {
    const k = key(organizationId, userId);
    this.wrote(organizationId, userId);
    if (removes.length > 0) {
      const set = this.removing.get(k) ?? new Set<string>();
      for (const r of removes) set.add(r);
      this.removing.set(k, set);
    }
    let done = () => {};
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    const writes = this.inFlight.get(k) ?? new Set<Promise<void>>();
    writes.add(finished);
    this.inFlight.set(k, writes);
    return () => {
      this.wrote(organizationId, userId);
      writes.delete(finished);
      done();
    };
  }

  /** Roles some resource of this run removed (or is removing) from the member. */
  removedFrom(organizationId: string, userId: string): ReadonlySet<string> {
    return this.removing.get(key(organizationId, userId)) ?? new Set();
  }

  /** Waits until no write of this process to these members is in flight. */
  async idle(organizationId: string, users: readonly string[]): Promise<void> {
    for (const u of users) {
      const writes = this.inFlight.get(key(organizationId, u));
      if (writes && writes.size > 0) await Promise.all([...writes]);
    }
  }

  /** Taken before a read: the read is fresh while no write to its member begins or ends after it. */
  mark(): number {
    return ++this.clock;
  }

  /** Called when a write starts and when it ends: it may land at any moment between. */
  wrote(organizationId: string, userId: string): void {
    this.lastWrite.set(key(organizationId, userId), ++this.clock);
  }

  /** Whether a read of the member that started at `mark` may miss a write of this process. */
  isStale(organizationId: string, userId: string, mark: number): boolean {
    return (this.lastWrite.get(key(organizationId, userId)) ?? 0) > mark;
  }
}

const key = (organizationId: string, userId: string) => `${organizationId}\u0000${userId}`;
