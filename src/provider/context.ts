import { resolveConnection, type SettingLookup } from "../client/credentials";
import { ManagementClient } from "../client/management-client";
import { type Clock, realClock } from "../clock";
import type { SecretProps } from "./boundary";
import { Claims } from "./claims";
import { RunReads } from "./run-reads";
import { Settings } from "./settings";
import { WriteLog } from "./write-log";

/** What one engine run (one provider process) shares between operations (docs/ARCHITECTURE.md, step 3). */
export class RunContext {
  readonly writes = new WriteLog();
  readonly reads = new RunReads(
    this.writes,
    () => this.client(),
    () => this.settings.concurrency,
  );
  readonly claims = new Claims();
  /** The props of every call whose `members` was a secret, for the error boundary (boundary.ts). */
  readonly secretProps: SecretProps[] = [];
  /** Audit lines of writes that landed which the trail's file could not take (audit/recorder.ts). */
  readonly unrecordedAudit: string[] = [];
  private connected: ManagementClient | undefined;

  constructor(
    readonly settings: Settings = new Settings(() => undefined),
    /**
     * Only in-process code (the benchmark) passes another: no setting changes it, so a deployment never
     * paces or times out on a fake clock.
     */
    readonly clock: Clock = realClock,
  ) {}

  /** A context for new settings. */
  static configured(lookup: SettingLookup, clock: Clock = realClock): RunContext {
    return new RunContext(new Settings(lookup), clock);
  }

  /** The next run with the same settings, clock and connection: reads, writes and claims start afresh. */
  nextRun(): RunContext {
    const next = new RunContext(this.settings, this.clock);
    next.connected = this.connected;
    return next;
  }

  /** The Management API client, connected with these settings on first use. */
  client(): ManagementClient {
    this.connected ??= ManagementClient.connect(resolveConnection(this.settings.lookup, process.env), {
      ...this.settings.clientOptions(),
      clock: this.clock,
    });
    return this.connected;
  }

  /** Closes the client's keep-alive sockets. */
  async close(): Promise<void> {
    const c = this.connected;
    this.connected = undefined;
    await c?.close();
  }
}
