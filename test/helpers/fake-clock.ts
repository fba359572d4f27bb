import type { Clock } from "../../src/clock";

/** A clock whose sleeps return at once and advance its time: tests of waiting that take no time. */
export class FakeClock implements Clock {
  t = Date.UTC(2026, 10, 26, 12, 0, 0);
  readonly slept: number[] = [];
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.slept.push(ms);
    this.t += Math.max(0, ms);
  }
  get totalSlept(): number {
    return this.slept.reduce((a, b) => a + b, 0);
  }
}
