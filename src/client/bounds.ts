import { type Clock, LONGEST_TIMER_MS } from "../clock";
import { SETTING_ROWS, settingName } from "../settings";
import { DEFAULT_MAX_WAIT_MS, DEFAULT_OPERATION_TIMEOUT_MS } from "./defaults";

/** The settings that raise each bound, as a user sets them (stack config, then environment). */
export const BOUND_SETTINGS = {
  maxWait: settingName(SETTING_ROWS.maxWaitSeconds),
  operation: settingName(SETTING_ROWS.operationTimeoutSeconds),
  request: settingName(SETTING_ROWS.requestTimeoutMs),
} as const;

export interface WaitBoundsOptions {
  /** Longest single wait (rate-limit reset, Retry-After, pacing, backoff) before failing with `wait-limit`. */
  maxWaitMs?: number | undefined;
  /** Deadline for everything the client does, from its first request. */
  operationTimeoutMs?: number | undefined;
  /** What sets that deadline, as its message names it (default: the provider's setting). */
  operationSetting?: string | undefined;
  /** What to do after the deadline, as its message says it (default: the provider's "run again"). */
  operationAdvice?: string | undefined;
}

/** Why a wait was refused, in words for the error's hint. */
export interface WaitRefusal {
  limit: "maxWait" | "operation";
  hint: string;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The two bounds on waiting: the longest single wait, and a deadline for everything one client does (one
 * provider process), counted in the client's clock from its first request. Pure bookkeeping: the transport
 * asks before each request and each wait, and turns a refusal into a `wait-limit` error.
 *
 * @example
 * const bounds = new WaitBounds(clock, { maxWaitMs: 60_000, operationTimeoutMs: 3_600_000 });
 * bounds.refuse(90_000, "x-ratelimit-reset 2026-01-01T00:00:00.000Z"); // { limit: "maxWait", hint: "..." }
 */
export class WaitBounds {
  readonly maxWaitMs: number;
  readonly operationTimeoutMs: number;
  private readonly operationSetting: string;
  private readonly operationAdvice: string;
  private startedAtMs: number | undefined;

  constructor(
    private readonly clock: Clock,
    options: WaitBoundsOptions = {},
  ) {
    this.operationSetting = options.operationSetting ?? BOUND_SETTINGS.operation;
    this.operationAdvice = options.operationAdvice ?? "Run again (what was applied stays applied)";
    // A timer cannot wait longer than 2^31-1 ms (about 24.8 days); a longer bound would mean no bound.
    this.maxWaitMs = Math.min(
      positive(options.maxWaitMs, DEFAULT_MAX_WAIT_MS, "maxWaitMs"),
      LONGEST_TIMER_MS,
    );
    this.operationTimeoutMs = positive(
      options.operationTimeoutMs,
      DEFAULT_OPERATION_TIMEOUT_MS,
      "operationTimeoutMs",
    );
  }

  /** Marks the start of the operation (first call wins). */
  start(): void {
    this.startedAtMs ??= this.clock.now();
  }

  /** The operation's deadline (epoch ms), once started. */
  get deadlineMs(): number | undefined {
    return this.startedAtMs === undefined ? undefined : this.startedAtMs + this.operationTimeoutMs;
  }

  /** A refusal when the deadline has passed: no new request may start. */
  expired(): WaitRefusal | undefined {
    const deadline = this.deadlineMs;
    if (deadline === undefined || this.clock.now() < deadline) return undefined;
    return {
      limit: "operation",
      hint: `The operation deadline passed (${this.operationSetting}: ${seconds(this.operationTimeoutMs)} from the first request, at ${iso(this.startedAtMs!)}). ${this.operationAdvice}, or raise ${this.operationSetting}.`,
    };
  }

  /**
   * A refusal for a wait of `waitMs` caused by `cause` (e.g. "x-ratelimit-reset ..."), or undefined when it
   * fits both bounds.
   */
  refuse(waitMs: number, cause: string): WaitRefusal | undefined {
    const until = this.clock.now() + waitMs;
    if (!(waitMs <= this.maxWaitMs))
      return {
        limit: "maxWait",
        hint: `${cause} asks for a wait of ${seconds(waitMs)} (until ${iso(until)}), longer than the longest wait allowed, ${BOUND_SETTINGS.maxWait}: ${seconds(this.maxWaitMs)}. Run again after ${iso(until)}, or raise ${BOUND_SETTINGS.maxWait}.`,
      };
    const deadline = this.deadlineMs;
    if (deadline !== undefined && until > deadline)
      return {
        limit: "operation",
        hint: `${cause} asks for a wait of ${seconds(waitMs)} (until ${iso(until)}), past the operation deadline at ${iso(deadline)} (${this.operationSetting}: ${seconds(this.operationTimeoutMs)}). ${this.operationAdvice}, or raise ${this.operationSetting}.`,
      };
    return undefined;
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(value > 0) || !Number.isFinite(value))
    throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}
