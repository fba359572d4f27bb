/**
 * Preloaded (`node --require`) into the engine's provider processes by real-engine tests of expiring grants,
 * and by nothing else (as bench/clock-hook.ts for the benchmark): the provider reads no setting for its
 * clock, so a deployment never decides what has ended on a fake time. TEST_CLOCK_FILE names a file holding
 * the time (ms since the epoch) the process starts at; the test writes it before each engine run, so it
 * can move time between two previews. Sleeps stay real.
 */
import { readFileSync } from "node:fs";
import type { Clock } from "../../src/clock";
import { realClock } from "../../src/clock";

type Implementation = typeof import("../../src/provider/implementation");

const file = process.env.TEST_CLOCK_FILE;
if (!file) throw new Error("test/helpers/clock-hook: TEST_CLOCK_FILE must name a file holding a time in ms");
const startsAt = Number(readFileSync(file, "utf8"));
if (!(startsAt > 0)) throw new Error(`test/helpers/clock-hook: ${file} holds no time in ms`);
const offset = startsAt - Date.now();
const clock: Clock = { now: () => Date.now() + offset, sleep: realClock.sleep };
// The provider stored in the state loads the implementation by this name at each call: patch that module.
const impl: {
  -readonly [K in keyof Implementation]: Implementation[K];
} = require("pulumi-auth0-org-member-roles/provider");
const configure = impl.configure;
impl.configure = (req) => configure(req, { clock });
