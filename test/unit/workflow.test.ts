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

  it("gives each secret to exactly one step per job: the read-only one to the previews, the writing one to up", () => {
    const seen = Object.entries(jobs).flatMap(([job, { steps }]) =>
      steps
        .filter((s) => secretsIn(s).length > 0)
        .map((s) => ({ job, step: stepLabel(s), secrets: secretsIn(s) })),
    );
    expect(seen).to.deep.equal([
      { job: "preview", step: "Preview with the policy pack", secrets: [READ_ONLY, BACKEND] },
      { job: "up", step: "Apply with the policy pack", secrets: [WRITING, BACKEND] },
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
    expect(clientId("up", "Apply with the policy pack")).to.equal(expression("vars.AUTH0_CLIENT_ID"));
    const withClientId = Object.values(jobs).flatMap((j) =>
      j.steps.filter((s) => s.env?.["AUTH0_CLIENT_ID"]),
    );
    expect(withClientId).to.have.length(3);
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

  it("installs dependencies before any secret is present, and the steps with a secret run only pulumi", () => {
    for (const [name, { steps }] of Object.entries(jobs)) {
      const install = steps.findIndex((s) => /\bnpm ci\b/.test(s.run ?? ""));
      const firstSecret = steps.findIndex((s) => secretsIn(s).length > 0);
      if (firstSecret === -1) continue;
      expect(install, `${name}: npm ci`).to.be.greaterThan(-1);
      expect(install, `${name}: npm ci before the first secret`).to.be.lessThan(firstSecret);
      for (const step of steps.filter((s) => secretsIn(s).length > 0)) {
        expect(step.uses, `${name}: ${stepLabel(step)} runs no action`).to.equal(undefined);
        expect(step.run, `${name}: ${stepLabel(step)}`).to.match(/^(set \+e\n)?pulumi (preview|up) /);
        expect(step.run, `${name}: ${stepLabel(step)} runs no npm`).not.to.match(/\bnpm\b|\bnode\b/);
      }
    }
  });

  it("previews with the read-only application: `preview` never applies, and up runs the policy pack too", () => {
    for (const step of [
      stepNamed("preview", "Preview with the policy pack"),
      stepNamed("drift", "Preview with a refresh, expecting no changes"),
    ])
      expect(step.run).to.contain("pulumi preview ").and.not.contain("pulumi up");
    expect(stepNamed("up", "Apply with the policy pack").run).to.contain("--policy-pack policies");
  });

  it("the preview and up read the pack's config (policy.json), so governance rules configured there run in the pipeline; a change to it alone is previewed", () => {
    for (const step of [
      stepNamed("preview", "Preview with the policy pack"),
      stepNamed("up", "Apply with the policy pack"),
    ])
      expect(step.run, stepLabel(step)).to.contain("--policy-pack policies --policy-pack-config policy.json");
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
      const withPulumi = stepsOf(job).filter((s) => /^(set \+e\n)?pulumi (preview|up) /.test(s.run ?? ""));
      expect(withPulumi, job).to.have.length(1);
      expect(withPulumi[0]!.run).to.contain('--stack "$STACK-$SHARD"');
      expect(withPulumi[0]!.env?.["SHARD"]).to.equal(expression("matrix.shard"));
    }
    // Each shard keeps its own comment and drift issue: the markers name the shard.
    // The scripts' own template placeholder, as text.
    const shard = `$${"{"}process.env.SHARD}`;
    expect(workflowText()).to.contain(`<!-- member-roles shard ${shard} -->`);
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

  it("pins every action to a full commit SHA with its release in a comment, the same pin everywhere", () => {
    const uses = workflowText()
      .split("\n")
      .filter((l) => /^\s*(- )?uses:/.test(l));
    expect(uses.length).to.be.greaterThan(10);
    const pins = new Map<string, Set<string>>();
    for (const line of uses) {
      const m = /uses: ([\w.-]+\/[\w./-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$/.exec(line.trim());
      expect(m, line).not.to.equal(null);
      const [, action, sha, version] = m!;
      pins.set(action!, (pins.get(action!) ?? new Set()).add(`${sha} ${version}`));
    }
    for (const [action, seen] of pins) expect([...seen], action).to.have.length(1);
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
});
