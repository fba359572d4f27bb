/**
 * A mocha `--require` hook for hunting intermittent real-engine failures (scripts/repeat-test.sh): prints one
 * line on stderr each time the Pulumi SDK judges an error a gRPC UNAVAILABLE or CANCELLED, which it then
 * drops without failing the program (runtime/resource.js, automation/server.js). A registration dropped that
 * way never reaches the engine, which then plans the resource's delete: a failure that would otherwise leave
 * no trace but its effect.
 */
import * as errors from "@pulumi/pulumi/errors";

const sdk = errors as unknown as { isGrpcError: (err: unknown) => boolean };
const judge = sdk.isGrpcError;
sdk.isGrpcError = (err: unknown) => {
  const dropped = judge(err);
  if (dropped) {
    const e = err as { code?: unknown; message?: unknown; stack?: unknown };
    const where = String(e.stack ?? "")
      .split("\n")
      .slice(1, 4)
      .map((l) => l.trim())
      .join(" < ");
    process.stderr.write(
      `[grpc-watch] dropped by the SDK: code ${String(e.code)}: ${String(e.message)} (${where})\n`,
    );
  }
  return dropped;
};
