/**
 * Preloaded (`node --require`) into the engine's provider processes by the many-organizations benchmark, and
 * by nothing else. The emulator there runs Auth0's buckets on a compressed clock, so the provider must pace
 * on the same clock; the provider reads no setting for it (a deployment must never pace or time out on a
 * fake clock), so this hook hands the clock to `configure` as in-process callers do. Environment:
 * BENCH_CLOCK_SCALE, BENCH_CLOCK_ORIGIN (the emulator's).
 */
import { scaledClock } from "../src/clock";

type Implementation = typeof import("../src/provider/implementation");

const scale = Number(process.env.BENCH_CLOCK_SCALE);
const origin = Number(process.env.BENCH_CLOCK_ORIGIN);
if (!(scale > 0) || !(origin > 0))
  throw new Error("bench/clock-hook: BENCH_CLOCK_SCALE and BENCH_CLOCK_ORIGIN must be positive numbers");
// The provider stored in the state loads the implementation by this name at each call: patch that module.
const impl: {
  -readonly [K in keyof Implementation]: Implementation[K];
} = require("pulumi-auth0-org-member-roles/provider");
const configure = impl.configure;
impl.configure = (req) => configure(req, { clock: scaledClock(scale, origin) });
