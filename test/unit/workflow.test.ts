/**
 * The pipeline's least privilege, read from .github/workflows/member-roles.yml (README "In a pipeline"):
 * which secret each job and step sees, pins, permissions, forks and the drift schedule. action-validator
 * (`npm run lint`) checks the file against GitHub's schema; these check what the schema cannot.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { PROJECT_ROOT } from "../../scripts/engine";
import { loadWorkflow, type Step, secretsIn, stepLabel, workflowText } from "../helpers/workflow";

const READ_ONLY = "AUTH0_READONLY_CLIENT_SECRET";
const WRITING = "AUTH0_CLIENT_SECRET";
const BACKEND = "PULUMI_ACCESS_TOKEN";
/** A GitHub Actions expression as the workflow writes it. */
const { scripts } = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
};
const expression = (inner: string) => `\${{ ${inner} }}`;
/**
 * The inputs this project passes, as each action's action.yml declares them at the pinned release (read from
 * the actions' repositories; a new pin that renames one fails here rather than in a run).
 */
const ACTION_INPUTS: Record<string, string[]> = {
  "actions/checkout": ["persist-credentials"],
  "actions/setup-node": ["node-version", "cache"],
  "actions/upload-artifact": ["name", "path"],
  "actions/github-script": ["script"],
  "pulumi/actions": [
    "command",
    "stack-name",
    "pulumi-version",
    "refresh",
    "policyPacks",
    "policyPackConfigs",
  ],
  "pulumi/auth-actions": ["organization", "requested-token-type", "scope", "export-environment-variables"],
};
/** pulumi/actions, where it runs a command (not only installs the CLI). */
const PULUMI_ACTION = /^pulumi\/actions@/;
const APPLY = "Apply with the policy pack";
const GATE = "Preview with the policy pack before any write";

/** What a step runs of pulumi: a `run` of the CLI, or pulumi/actions with a `command`. */
function pulumiCall(
  step: Step,
): { command: string; stack: string; packs: string; config?: string } | undefined {
  const run = /^(?:set \+e\n)?pulumi (preview|up) /.exec(step.run ?? "");
  if (run) {
    const config = /--policy-pack-config (\S+)/.exec(step.run!)?.[1];
    const stack = /--stack "([^"]+)"/.exec(step.run!)?.[1] ?? "";
    const packs = /--policy-pack (\S+)/.exec(step.run!)?.[1] ?? "";
    return { command: run[1]!, stack, packs, ...(config ? { config } : {}) };
  }
  if (PULUMI_ACTION.test(step.uses ?? "") && step.with?.["command"]) {
    const w = step.with;
    return {
      command: String(w["command"]),
      stack: String(w["stack-name"]),
      packs: String(w["policyPacks"] ?? ""),
      ...(w["policyPackConfigs"] ? { config: String(w["policyPackConfigs"]) } : {}),
    };
  }
  return undefined;
}

describe("the pipeline (.github/workflows/member-roles.yml): least privilege", () => {
  const workflow = loadWorkflow();
  const { jobs } = workflow;
  const stepsOf = (job: string): Step[] => {
    const found = jobs[job];
    if (!found) throw new Error(`no job ${job}`);
    return found.steps;
  };
  const stepNamed = (job: string, name: string): Step => {
    const step = stepsOf(job).find((s) => s.name === name);
    if (!step) throw new Error(`job ${job} has no step "${name}"`);
    return step;
  };

  it("has the four jobs, and reacts to pull requests with `pull_request`, never `pull_request_target`", () => {
    expect(Object.keys(jobs).sort()).to.deep.equal(["drift", "fork", "preview", "up"]);
    // pull_request_target would run with the base repository's secrets on a fork's code.
    expect(Object.keys(workflow.on).sort()).to.deep.equal([
      "pull_request",
      "push",
      "schedule",
      "workflow_dispatch",
    ]);
  });

  it("names no secret at workflow level and grants no permission there", () => {
    const { jobs: _jobs, ...topLevel } = workflow;
    expect(secretsIn(topLevel)).to.deep.equal([]);
    expect(workflow.permissions).to.deep.equal({});
  });

  it("names no secret at job level: no job env, container or `with` holds one", () => {
    for (const [name, job] of Object.entries(jobs)) {
      const { steps: _steps, ...jobLevel } = job;
      expect(secretsIn(jobLevel), name).to.deep.equal([]);
    }
  });

  it("gives the read-only secret to the previews (up's gate among them), the writing one to up's apply alone", () => {
    const seen = Object.entries(jobs).flatMap(([job, { steps }]) =>
      steps
        .filter((s) => secretsIn(s).length > 0)
        .map((s) => ({ job, step: stepLabel(s), secrets: secretsIn(s) })),
    );
    expect(seen).to.deep.equal([
      { job: "preview", step: "Preview with the policy pack", secrets: [READ_ONLY, BACKEND] },
      { job: "up", step: GATE, secrets: [READ_ONLY, BACKEND] },
      { job: "up", step: APPLY, secrets: [WRITING, BACKEND] },
      {
        job: "drift",
        step: "Preview with a refresh, expecting no changes",
        secrets: [READ_ONLY, BACKEND],
      },
    ]);
  });

  it("pairs each secret with its own application's client ID, passed to that step alone", () => {
    const clientId = (job: string, step: string) => stepNamed(job, step).env?.["AUTH0_CLIENT_ID"];
    expect(clientId("preview", "Preview with the policy pack")).to.equal(
      expression("vars.AUTH0_READONLY_CLIENT_ID"),
    );
    expect(clientId("drift", "Preview with a refresh, expecting no changes")).to.equal(
      expression("vars.AUTH0_READONLY_CLIENT_ID"),
    );
    expect(clientId("up", GATE)).to.equal(expression("vars.AUTH0_READONLY_CLIENT_ID"));
    expect(clientId("up", APPLY)).to.equal(expression("vars.AUTH0_CLIENT_ID"));
    const withClientId = Object.values(jobs).flatMap((j) =>
      j.steps.filter((s) => s.env?.["AUTH0_CLIENT_ID"]),
    );
    expect(withClientId).to.have.length(4);
  });

  it("keeps the writing application in the protected environment, reached only by up on main", () => {
    const up = jobs["up"]!;
    expect(up.environment).to.equal("production");
    // Daily too: expired grants leave only when an up runs (issue 28).
    expect(up.if).to.equal(
      "(github.event_name == 'push' || github.event_name == 'schedule') && github.ref == 'refs/heads/main'",
    );
    for (const [name, job] of Object.entries(jobs))
      if (name !== "up") expect(job.environment, `${name} must not deploy`).to.equal(undefined);
  });

  it("installs dependencies before any secret is present, and the steps with a secret run only pulumi (the CLI or pulumi/actions)", () => {
    for (const [name, { steps }] of Object.entries(jobs)) {
      const install = steps.findIndex((s) => /\bnpm ci\b/.test(s.run ?? ""));
      const firstSecret = steps.findIndex((s) => secretsIn(s).length > 0);
      if (firstSecret === -1) continue;
      expect(install, `${name}: npm ci`).to.be.greaterThan(-1);
      expect(install, `${name}: npm ci before the first secret`).to.be.lessThan(firstSecret);
      for (const step of steps.filter((s) => secretsIn(s).length > 0)) {
        expect(pulumiCall(step), `${name}: ${stepLabel(step)}`).not.to.equal(undefined);
        if (step.uses) expect(step.uses, `${name}: ${stepLabel(step)}`).to.match(PULUMI_ACTION);
        else expect(step.run, `${name}: ${stepLabel(step)} runs no npm`).not.to.match(/\bnpm\b|\bnode\b/);
      }
    }
  });

  it("previews with the read-only application: `preview` never applies, and up runs the policy pack too", () => {
    for (const step of [
      stepNamed("preview", "Preview with the policy pack"),
      stepNamed("drift", "Preview with a refresh, expecting no changes"),
    ])
      expect(step.run).to.contain("pulumi preview ").and.not.contain("pulumi up");
    expect(pulumiCall(stepNamed("up", GATE))?.command).to.equal("preview");
    expect(pulumiCall(stepNamed("up", APPLY))).to.include({ command: "up", packs: "policies" });
  });

  it("up previews with the pack before its apply: pulumi/actions' up skips its preview, so stack policies would judge after the writes", () => {
    const steps = stepsOf("up");
    const calls = steps.map(pulumiCall).filter((c) => c !== undefined);
    expect(calls.map((c) => c.command)).to.deep.equal(["preview", "up"]);
    expect(calls[0]).to.deep.equal({ ...calls[1], command: "preview" });
    // Nothing between the gate and the apply.
    expect(steps.findIndex((s) => s.name === APPLY)).to.equal(steps.findIndex((s) => s.name === GATE) + 1);
  });

  it("up's preview and apply both read the tenant first (refresh: true): another shard stack may have changed an organization this one held before a layout change", () => {
    // pulumi/actions' `refresh` defaults to false (action.yml at the pinned 8e5e406f, v7.0.0); a break-it run showed a stale shard state
    // hiding a declared role from both the preview and the up (docs/configuration.md, shards).
    for (const name of [GATE, APPLY]) expect(stepNamed("up", name).with?.["refresh"], name).to.equal(true);
  });

  it("the preview and up read the pack's config (policy.json), so governance rules configured there run in the pipeline; a change to it alone is previewed", () => {
    for (const step of [
      stepNamed("preview", "Preview with the policy pack"),
      stepNamed("up", GATE),
      stepNamed("up", APPLY),
    ])
      expect(pulumiCall(step), stepLabel(step)).to.include({ packs: "policies", config: "policy.json" });
    expect(JSON.parse(readFileSync(path.join(PROJECT_ROOT, "policy.json"), "utf8"))).to.be.an("object");
    expect(workflowText()).to.contain(`"policy.json"`);
  });

  it("skips the preview for a fork's pull request; the fork job says why in its summary, with nothing granted", () => {
    const sameRepository = "github.event.pull_request.head.repo.full_name == github.repository";
    expect(jobs["preview"]!.if).to.equal(`github.event_name == 'pull_request' && ${sameRepository}`);
    const fork = jobs["fork"]!;
    expect(fork.if).to.equal(`github.event_name == 'pull_request' && ${sameRepository.replace("==", "!=")}`);
    expect(fork.permissions).to.deep.equal({});
    expect(secretsIn(fork)).to.deep.equal([]);
    expect(fork.steps.map((s) => s.uses).filter(Boolean)).to.deep.equal([]); // not even a checkout
    const says = fork.steps.map((s) => s.run ?? "").join("\n");
    expect(says).to.contain('>> "$GITHUB_STEP_SUMMARY"').and.contain("forks get no secrets");
    expect(says).not.to.match(/exit [1-9]/);
  });

  it("runs every job that reads the tenant once per shard, on that shard's stack, at most 4 at once, never cancelling a running shard", () => {
    const shards = (job: string) => jobs[job]!.strategy;
    for (const job of ["preview", "up", "drift"]) {
      expect(shards(job), job).to.deep.equal({
        "fail-fast": false,
        "max-parallel": 4,
        matrix: { shard: [0, 1, 2, 3] },
      });
      const withPulumi = stepsOf(job).filter((s) => pulumiCall(s));
      expect(withPulumi, job).to.have.length(job === "up" ? 2 : 1);
      for (const step of withPulumi) {
        const { stack } = pulumiCall(step)!;
        if (step.uses) expect(stack).to.equal(`${expression("env.STACK")}-${expression("matrix.shard")}`);
        else {
          expect(stack).to.equal("$STACK-$SHARD");
          expect(step.env?.["SHARD"]).to.equal(expression("matrix.shard"));
        }
      }
    }
    // Each shard keeps its own comment and drift issue: the markers name the shard.
    // The scripts' own template placeholder, as text.
    const shard = `$${"{"}process.env.SHARD}`;
    expect(workflowText()).to.contain(`<!-- auth0-org-member-roles:pr-summary shard ${shard} -->`);
    expect(workflowText()).to.contain(`<!-- auth0-org-member-roles:drift shard ${shard} -->`);
  });

  it("sets permissions on every job, the fewest each needs: no pull-requests write for up", () => {
    const permissions = Object.fromEntries(Object.entries(jobs).map(([n, j]) => [n, j.permissions]));
    expect(permissions).to.deep.equal({
      preview: { contents: "read", "pull-requests": "write" },
      fork: {},
      up: { contents: "read" },
      drift: { contents: "read", issues: "write" },
    });
  });

  it("pins every action to a full commit SHA with its release in a comment, the same pin everywhere, the guide's snippets included", () => {
    const guide = readFileSync(path.join(PROJECT_ROOT, "docs/guide.md"), "utf8");
    const snippets = [...guide.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const uses = [workflowText(), ...snippets].flatMap((text) =>
      text.split("\n").filter((l) => /^\s*(- )?uses:/.test(l)),
    );
    // Every `uses:` the parser sees is a line checked here (none hides in another YAML form).
    const parsed = Object.values(jobs).flatMap((j) => j.steps.filter((s) => s.uses));
    expect(uses.length).to.be.greaterThan(parsed.length);
    const pins = new Map<string, Set<string>>();
    for (const line of uses) {
      const m = /uses: ([\w.-]+\/[\w./-]+)@([0-9a-f]{40}) # (v\d+(?:\.\d+){0,2})$/.exec(line.trim());
      expect(m, line).not.to.equal(null);
      const [, action, sha, version] = m!;
      pins.set(action!, (pins.get(action!) ?? new Set()).add(`${sha} ${version}`));
    }
    for (const [action, seen] of pins) expect([...seen], action).to.have.length(1);
    expect([...pins.keys()].sort()).to.deep.equal(Object.keys(ACTION_INPUTS).sort());
  });

  it("passes each action only inputs its action.yml declares (at the pinned release)", () => {
    const guide = readFileSync(path.join(PROJECT_ROOT, "docs/guide.md"), "utf8");
    const snippets = [...guide.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .filter((m) => m[1]!.includes("uses:"))
      .map((m) => loadWorkflow(m[1]!) as unknown);
    expect(snippets, "the guide's OIDC snippet").to.have.length(1);
    const steps: Step[] = [
      ...Object.values(jobs).flatMap((j) => j.steps),
      ...snippets.flatMap((doc) => JSON.parse(JSON.stringify(doc ?? {}))?.steps ?? []),
    ];
    for (const step of steps.filter((s) => s.uses)) {
      const action = step.uses!.split("@")[0]!;
      const declared = ACTION_INPUTS[action];
      expect(declared, action).not.to.equal(undefined);
      for (const input of Object.keys(step.with ?? {}))
        expect(declared, `${action}: ${input}`).to.include(input);
    }
  });

  it("removes preview.json after summarising it, whatever happened, in every job that writes it (its debug events can show secret inputs in clear)", () => {
    const writers = Object.entries(jobs).filter(([, j]) =>
      j.steps.some((s) => s.run?.includes("> preview.json")),
    );
    expect(writers.map(([name]) => name)).to.have.length(2);
    for (const [name, job] of writers) {
      const runs = job.steps.map((s) => s.run ?? "");
      const last = runs.length - 1 - [...runs].reverse().findIndex((r) => r.includes("preview.json"));
      expect(job.steps[last]!.run, name).to.equal("rm -f preview.json");
      expect(job.steps[last]!.if, name).to.equal("always()");
    }
  });

  it("checks out without keeping the token in .git/config, where later steps could read it", () => {
    const checkouts = Object.values(jobs).flatMap((j) =>
      j.steps.filter((s) => s.uses?.startsWith("actions/checkout@")),
    );
    expect(checkouts).to.have.length(3);
    for (const step of checkouts) expect(step.with?.["persist-credentials"]).to.equal(false);
  });

  it("watches drift daily: preview --refresh --expect-no-changes, a verdict, the summary, one issue", () => {
    const schedule = workflow.on["schedule"] as Array<{ cron: string }>;
    expect(schedule).to.have.length(1);
    expect(schedule[0]!.cron.split(" ")).to.have.length(5);
    const drift = jobs["drift"]!;
    // After the scheduled up, whatever its outcome: a grant it ended is not drift.
    expect(drift.needs).to.deep.equal(["up"]);
    expect(drift.if).to.equal(
      "always() && (github.event_name == 'schedule' || github.event_name == 'workflow_dispatch')",
    );
    expect(stepNamed("drift", "Preview with a refresh, expecting no changes").run).to.match(
      /pulumi preview .*--refresh --expect-no-changes/,
    );
    const verdict = stepNamed("drift", "Drift, no drift, or a failed preview").run ?? "";
    // The package's own command-line tool, as a user runs it.
    expect(verdict).to.match(/^npm run --silent drift -- preview\.json /);
    expect(scripts["drift"]).to.match(/node dist\/src\/cli\/main\.js drift$/);
    expect(stepNamed("drift", "Summarise member by member").run).to.contain("npm run --silent pr-summary");
    const issue = stepNamed("drift", "Open, update or close the drift issue");
    expect(issue.if).to.equal("steps.verdict.outputs.verdict != 'error'");
    const code = String(issue.with?.["script"]);
    expect(code).to.contain("issues.create").and.contain("issues.update").and.contain('state: "closed"');
    // A failed preview fails the job rather than touching the issue.
    expect(stepNamed("drift", "Fail when the preview failed for another reason than drift").run).to.contain(
      "exit 1",
    );
  });
  it("names in docs/guide.md the markers it finds its comment and drift issue by", () => {
    const guide = readFileSync(path.join(PROJECT_ROOT, "docs/guide.md"), "utf8");
    const shard = `$${"{"}process.env.SHARD}`;
    const markers = [...workflowText().matchAll(/const marker = `<!-- ([^`]*) -->`/g)].map((m) => m[1]!);
    expect(markers).to.have.length(2);
    for (const marker of markers) expect(guide).to.contain(`\`<!-- ${marker.replace(shard, "N")} -->\``);
    // No other marker of ours in the guide: one it names is one the workflow writes.
    const named = [...guide.matchAll(/<!-- (auth0-org-member-roles:[^>]*?) -->/g)].map((m) => m[1]);
    expect(named.sort()).to.deep.equal(markers.map((m) => m.replace(shard, "N")).sort());
  });

  it("previews an edit to the workflow itself", () => {
    const pr = workflow.on["pull_request"] as { paths: string[] };
    expect(pr.paths).to.include(".github/workflows/member-roles.yml");
  });

  it("runs one job per stack at a time across refs (a group keyed by the stack), never cancelling one in progress", () => {
    const stack = workflow.env?.["STACK"];
    expect(stack).to.be.a("string");
    expect(workflow["concurrency"], "no workflow-level group (it was per ref)").to.equal(undefined);
    for (const name of ["preview", "up", "drift"]) {
      // The env context is not available to `concurrency`: the stack is written out, and must match STACK.
      expect(jobs[name]!.concurrency, name).to.deep.equal({
        group: `pulumi-stack-${stack}-${expression("matrix.shard")}`,
        "cancel-in-progress": false,
      });
    }
    expect(jobs["fork"]!.concurrency).to.equal(undefined);
  });

  it("has Dependabot bump the actions' pins and the npm dependencies", () => {
    const config = loadWorkflow(
      readFileSync(path.join(PROJECT_ROOT, ".github/dependabot.yml"), "utf8"),
    ) as unknown as {
      version: number;
      updates: Array<{ "package-ecosystem": string; directory: string }>;
    };
    expect(config.version).to.equal(2);
    expect(config.updates.map((u) => [u["package-ecosystem"], u.directory])).to.deep.equal([
      ["github-actions", "/"],
      ["npm", "/"],
    ]);
  });
});
