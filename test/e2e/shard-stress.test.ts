/**
 * Four shard stacks of one configuration at once, on the real engine, against one emulator with Auth0's
 * Enterprise buckets (README "Many organizations" tells teams to run them so): over rounds of edits, moves
 * and re-creations the tenant holds exactly what the stacks declare, no role lost and none extra, and every
 * stack's `up` succeeds (a process whose 429s outran its retry budget would fail its run). The scenario and
 * its oracle: test/helpers/shard-stress.ts; 50 rounds at a larger size: `npm run bench:shard-stress`.
 */
import { expect } from "chai";
import { RATE_LIMIT_PROFILES } from "../../emulator/buckets";
import { engineSuite } from "../helpers/engine-suite";
import {
  type RoundKind,
  type RoundReport,
  runShardStress,
  type StressShape,
  stressTenant,
} from "../helpers/shard-stress";

const SHAPE: StressShape = { organizations: 16, members: 3, roles: 6, stacks: 4, seed: 37 };
const ROUNDS = 10;

describe("four shard stacks at once, round after round: the tenant holds exactly what they declare", function () {
  this.timeout(1_800_000);
  const suite = engineSuite("stress", () => stressTenant(SHAPE), {
    rateLimits: RATE_LIMIT_PROFILES.enterprise,
  });

  it(`${ROUNDS} rounds of edits, count changes, faulty runs run again and re-created shards: 0 lost, 0 extra, every run succeeds (but the faulty ones)`, async () => {
    const seen: RoundKind[] = [];
    const reports = await runShardStress(suite, SHAPE, ROUNDS, (r: RoundReport) => {
      seen.push(r.kind);
      console.log(
        `      round ${r.round} ${r.kind} (${r.did}): ${r.calls} calls, ${r.rateLimited} 429s, ${r.seconds.toFixed(1)} s`,
      );
      const where = `round ${r.round} (${r.kind}: ${r.did})`;
      expect(r.failed, `${where}: failed runs\n${suite.take().slice(-4000)}`).to.deep.equal([]);
      expect(r.lost, `${where}: roles lost`).to.deep.equal([]);
      expect(r.extra, `${where}: roles extra`).to.deep.equal([]);
    });
    // The seed is fixed: the rounds include every kind, so none of the three mechanisms goes untested.
    expect(new Set(seen)).to.include.members(["first apply", "edit", "count", "recreate", "faults"]);
    const calls = reports.reduce((n, r) => n + r.calls, 0);
    const rateLimited = reports.reduce((n, r) => n + r.rateLimited, 0);
    console.log(
      `      ${calls} calls, ${rateLimited} answered 429 (${((100 * rateLimited) / calls).toFixed(1)}%)`,
    );
  });
});
