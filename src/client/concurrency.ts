/**
 * Bounded concurrency, apart from rate limits: the transport holds at most `concurrency` requests in flight,
 * and the provider runs per-member work with the same bound.
 */
/** Bounded concurrency: at most `limit` holders at once, in arrival order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new Error(`concurrency must be at least 1, got ${limit}`);
  }
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/**
 * Runs `task` over every item with at most `limit` at once, and returns each outcome in input order:
 * one failure never stops the others.
 *
 * @example
 * const results = await mapSettled(users, 8, (u) => client.listMemberRoles(org, u));
 */
export async function mapSettled<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const semaphore = new Semaphore(limit);
  return Promise.allSettled(items.map((item) => semaphore.run(() => task(item))));
}

/**
 * {@link mapSettled}, then the first failure thrown: every task has ended first, so no request is left
 * running behind the error.
 *
 * @example
 * await mapAll(users, 8, async (u) => { live[u] = await client.listMemberRoles(org, u); });
 */
export async function mapAll<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  const results = await mapSettled(items, limit, task);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failure) throw failure.reason;
}
