/**
 * The report's bound on calls was reached: the call past it was not sent, nothing more is read, and the
 * message names the bound, the calls made and the way on. Thrown by the client (Transport.limitRequests), so
 * every call counts: the token, the organization, each listing page, each group's roles, each read.
 */
export class CallBoundError extends Error {
  organizationId: string | undefined;
  constructor(
    readonly maxCalls: number,
    readonly made: number,
  ) {
    super("");
    this.name = "CallBoundError";
    this.message = this.describe();
  }

  /** Names the organization being read when the bound was reached. */
  during(organizationId: string): this {
    this.organizationId = organizationId;
    this.message = this.describe();
    return this;
  }

  private describe(): string {
    return `stopped at --max-calls ${this.maxCalls}: ${this.made} calls made${this.organizationId ? ` while reading ${this.organizationId}` : ""}, nothing written: raise --max-calls to read it all (docs/report.md, "Cost").`;
  }
}
