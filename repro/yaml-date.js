// Finding: an unquoted YAML date in stack config (`until: 2026-12-31`) — what does the program receive?
// Run: node repro/yaml-date.js (after npm run build)
const fs = require("node:fs");
const path = require("node:path");
const pulumi = require("@pulumi/pulumi");
const { openStack, scratchProject } = require("../dist/scripts/engine");
(async () => {
  const tmp = fs.mkdtempSync("/tmp/break-28-yaml-");
  const workDir = scratchProject(path.join(tmp, "p"), { name: "yamldate" });
  let got;
  const stack = await openStack({
    workDir,
    stackName: "dev",
    stateDir: path.join(tmp, "state"),
    program: async () => {
      got = new pulumi.Config("t").requireObject("orgs");
    },
  });
  fs.writeFileSync(
    path.join(workDir, "Pulumi.dev.yaml"),
    [
      "config:",
      "  t:orgs:",
      "    members:",
      '      "auth0|a":',
      "        - role: admin",
      "          until: 2026-12-31",
      "        - role: x",
      "          until: 2026-12-31T18:00:00Z",
      "        - role: y",
      "          until: 2026-12-31 18:00:00",
      "        - role: z",
      "          until: 1798740000",
      "",
    ].join("\n"),
  );
  await stack.preview();
  console.log(JSON.stringify(got));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
