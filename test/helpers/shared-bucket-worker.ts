/**
 * One provider-like process of the shared-buckets test (test/integration/shared-buckets.test.ts): a
 * ManagementClient with the defaults a provider process uses, on the emulator's compressed clock, assigning
 * one role to each given member of its organization, all at once (the transport's concurrency limits them).
 * Prints one JSON line: what succeeded, what failed (with the error's first line), and the transport's stats.
 * Environment: WORKER (JSON: url, audience (optional), clientId, clientSecret, organizationId, users, roleId, scale, origin).
 */
import { ManagementClient } from "../../src/client/management-client";
import { scaledClock } from "../../src/clock";

interface WorkerInput {
  url: string;
  audience?: string;
  clientId: string;
  clientSecret: string;
  organizationId: string;
  users: string[];
  roleId: string;
  scale: number;
  origin: number;
}

async function main(): Promise<void> {
  const w = JSON.parse(process.env.WORKER ?? "{}") as WorkerInput;
  const client = ManagementClient.connect(
    {
      baseUrl: w.url,
      credentials: {
        kind: "client",
        clientId: w.clientId,
        clientSecret: w.clientSecret,
        // The tenant's audience even when `url` is a proxy in front of it.
        audience: w.audience ?? `${w.url}/api/v2/`,
      },
    },
    { clock: scaledClock(w.scale, w.origin) },
  );
  const failures: string[] = [];
  let ok = 0;
  await Promise.all(
    w.users.map((u) =>
      client.addMemberRoles(w.organizationId, u, [w.roleId]).then(
        () => void ok++,
        (err: Error) => void failures.push(String(err.message).split("\n")[0]!),
      ),
    ),
  );
  const stats = client.transport.stats;
  await client.close();
  process.stdout.write(`${JSON.stringify({ ok, failures, stats })}\n`);
}

main().catch((err) => {
  process.stdout.write(`${JSON.stringify({ ok: 0, failures: [String(err)], stats: {} })}\n`);
});
