/**
 * The writes this process made, per organization member, as a sequence number: a read of a member that
 * started before the last write to it (by any resource of the run) is stale. The engine runs resources in
 * parallel and checks some late (their inputs wait on another resource's output), so a read cached by one
 * resource's `check` can predate another resource's DELETE of the same member.
 */
export class WriteLog {
  private clock = 0;
  private readonly lastWrite = new Map<string, number>();

  /** A mark to take before a read: the read is fresh while no write to its member begins or ends after it. */
  mark(): number {
    return ++this.clock;
  }

  /** Records a write to a member; called when it starts and when it ends (it may land at any moment between). */
  wrote(organizationId: string, userId: string): void {
    this.lastWrite.set(key(organizationId, userId), ++this.clock);
  }

  /** Whether a read of the member that started at `mark` may miss a write of this process. */
  isStale(organizationId: string, userId: string, mark: number): boolean {
    return (this.lastWrite.get(key(organizationId, userId)) ?? 0) > mark;
  }
}

const key = (organizationId: string, userId: string) => `${organizationId}\u0000${userId}`;
