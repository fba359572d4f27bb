/**
 * A Pulumi program run under the SDK's own unit-testing mocks (`pulumi.runtime.setMocks`): no engine and no
 * provider plugin, so `@pulumi/auth0` resources can be declared here although its plugin is not installed.
 * Each registration is recorded as the engine would receive it: type, name, inputs and dependencies.
 */
import * as pulumi from "@pulumi/pulumi";

export interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** URNs of every resource this one depends on (explicit `dependsOn` and those its inputs come from). */
  dependencies: string[];
  /** Input name → URNs of the resources its value comes from. */
  propertyDependencies: Record<string, string[]>;
}

/** The ID a mocked create answers: in each type's real shape, so that inputs read like a real program's. */
function idFor(type: string, name: string, inputs: Record<string, unknown>): string {
  const token = name
    .replace(/[^a-z0-9]/gi, "")
    .padEnd(16, "0")
    .slice(0, 16);
  if (type === "auth0:index/organization:Organization") return `org_${token}`;
  if (type === "auth0:index/role:Role") return `rol_${token}`;
  if (type === "auth0:index/user:User") return `auth0|${Buffer.from(name).toString("hex").padEnd(24, "0")}`;
  if (type === "auth0:index/organizationMember:OrganizationMember")
    return `${inputs["organizationId"]}::${inputs["userId"]}`;
  return `${name}-id`;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): {
    forEach(fn: (deps: { getUrnsList(): string[] }, key: string) => void): void;
  };
}

/**
 * Installs the mocks and a recorder on the mocked monitor; returns the registrations seen so far, by name.
 * Call before declaring resources (each test file declares its own).
 */
export async function recordProgram(): Promise<Map<string, Registration>> {
  const seen = new Map<string, Registration>();
  const inputsByName = new Map<string, Record<string, unknown>>();
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        inputsByName.set(args.name, args.inputs);
        return { id: idFor(args.type, args.name, args.inputs), state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "mocked",
    "test",
  );
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, callback: (err: unknown, res: unknown) => void): unknown;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (err, res) => {
      const propertyDependencies: Record<string, string[]> = {};
      req.getPropertydependenciesMap().forEach((deps, key) => {
        propertyDependencies[key] = deps.getUrnsList();
      });
      seen.set(req.getName(), {
        type: req.getType(),
        name: req.getName(),
        inputs: inputsByName.get(req.getName()) ?? {},
        dependencies: req.getDependenciesList(),
        propertyDependencies,
      });
      callback(err, res);
    });
  return seen;
}

/** The value of an output once the mocked engine has answered. */
export function settled<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}
