/**
 * The codebase keeps its shape: code only tests need lives under test/ (CONTRIBUTING.md, "Where a change
 * goes"), and one exported type name means one thing. The reading is test/helpers/codebase-shape.ts.
 */
import * as path from "node:path";
import { expect } from "chai";
import { codebaseShape, type Project, readProject } from "../helpers/codebase-shape";

const ROOT = path.resolve(__dirname, "../../..");

describe("the codebase's shape", () => {
  let findings: ReturnType<typeof codebaseShape>;
  before(() => {
    findings = codebaseShape(readProject(ROOT));
  });

  it("every file outside test/ is reached from an entry point (package, program, policy pack, npm script), not only from tests", () => {
    expect(findings.testOnly, "reached only from tests: move them under test/helpers/").to.deep.equal([]);
    expect(findings.unreached, "reached from nothing").to.deep.equal([]);
  });

  it("no two exported types, interfaces, classes or enums outside test/ share a name", () => {
    expect(findings.sharedTypeNames).to.deep.equal([]);
  });

  it("the check finds each kind of violation in a tiny project (a check of the check)", () => {
    const project: Project = {
      files: new Map([
        ["src/main.ts", 'import { Shape } from "./shape";\nconst child = "dist/src/child.js";'],
        ["src/shape.ts", "export interface Shape { n: number }"],
        ["src/child.ts", 'export * from "pkg/extra";'],
        ["src/extra.ts", "export type Unique = string;"],
        ["src/helper.ts", "export class Shape {}"],
        ["src/dead.ts", "export const nothing = 0;"],
        ["test/unit/a.test.ts", 'import { Shape } from "../../src/helper";\nimport "pkg";'],
      ]),
      roots: ["src/main.ts"],
      packageName: "pkg",
      exports: new Map([
        [".", "src/main.ts"],
        ["./extra", "src/extra.ts"],
      ]),
    };
    expect(codebaseShape(project)).to.deep.equal({
      testOnly: ["src/helper.ts"],
      unreached: ["src/dead.ts"],
      sharedTypeNames: ["Shape: src/helper.ts, src/shape.ts"],
    });
  });
});
