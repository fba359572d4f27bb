/**
 * The report's bound on calls was reached: nothing more is read, and the message names the way on. `what`:
 * the reads it stopped in, `done` of `total` of them.
 */
export class CallBoundError extends Error {
  constructor(
    maxCalls: number,
    organizationId: string,
    done: number,
    total: number,
    what = "members' effective roles",
  ) {
    super(
      `stopped at ${maxCalls} calls (--max-calls), ${done} of ${total} ${what} of ${organizationId} read: raise --max-calls to read them all (docs/report.md, "Cost").`,
    );
    this.name = "CallBoundError";
  }
}
