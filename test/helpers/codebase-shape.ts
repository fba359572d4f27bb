/**
 * The shape of the codebase, read with the TypeScript compiler's own pre-processor (imports, re-exports,
 * `require`, `import()`): which files outside test/ only tests reach, and which exported type names are
 * declared twice. Pure over a map of files (path relative to the root → text), so a test can give it a tiny
 * project; {@link readProject} reads this repository's.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

export interface Project {
  /** Path relative to the root, with `/` → source text: every `.ts` file of the code folders and of test/. */
  files: ReadonlyMap<string, string>;
  /** The files something outside the code runs or loads: package entry points, programs, npm scripts' files. */
  roots: readonly string[];
  /** The package's name: an import of it (or of one of its `exports`) is an import of the file it maps to. */
  packageName: string;
  /** Export path (`.`, `./provider`) → source file. */
  exports: ReadonlyMap<string, string>;
}

export interface ShapeFindings {
  /** Files outside test/ that no root reaches but a test does: code only tests need, in the wrong folder. */
  testOnly: string[];
  /** Files outside test/ that nothing reaches at all. */
  unreached: string[];
  /** `Name: a.ts, b.ts` for each exported type, interface, class or enum name declared in more than one file. */
  sharedTypeNames: string[];
}

const isTest = (file: string) => file.startsWith("test/");
const posix = (p: string) => path.posix.normalize(p.split(path.sep).join("/"));

/** A compiled path (`dist/x/y.js`, or relative to `from`'s folder) → the source file it is built from. */
function sourceOfBuilt(files: ReadonlyMap<string, string>, from: string, built: string): string | undefined {
  const at = posix(built.startsWith("dist/") ? built : path.posix.join(path.posix.dirname(from), built));
  const source = at.replace(/^dist\//, "").replace(/\.js$/, ".ts");
  return files.has(source) ? source : undefined;
}

/** The file `specifier` names from `from`, if it is one of the project's. */
function resolve(project: Project, from: string, specifier: string): string | undefined {
  const { files, packageName } = project;
  if (specifier === packageName || specifier.startsWith(`${packageName}/`))
    return project.exports.get(`.${specifier.slice(packageName.length)}`);
  if (!specifier.startsWith(".")) return undefined;
  const base = posix(path.posix.join(path.posix.dirname(from), specifier));
  return [base, `${base}.ts`, `${base}/index.ts`, base.replace(/\.js$/, ".ts")].find((f) => files.has(f));
}

/**
 * What `file` loads: its imports, and the compiled files its string literals name (`dist/reliability/up-child.js`
 * spawned as a child process, `clock-hook.js` given to `--require`), so that such a file counts as reached.
 */
function loads(project: Project, file: string): string[] {
  const text = project.files.get(file)!;
  const imported = ts
    .preProcessFile(text, true, true)
    .importedFiles.map((i) => resolve(project, file, i.fileName));
  const named = [...text.matchAll(/["'`]([\w./-]+\.js)["'`]/g)].map((m) =>
    sourceOfBuilt(project.files, file, m[1]!),
  );
  return [...imported, ...named].filter((f): f is string => f !== undefined && f !== file);
}

function reached(project: Project, from: readonly string[], through: (file: string) => boolean): Set<string> {
  const seen = new Set<string>();
  const queue = [...from];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    if (through(file)) queue.push(...loads(project, file));
  }
  return seen;
}

/** The exported type-like declarations of one file, by name. */
function exportedTypeNames(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  return source.statements.flatMap((s) =>
    (ts.isInterfaceDeclaration(s) ||
      ts.isTypeAliasDeclaration(s) ||
      ts.isClassDeclaration(s) ||
      ts.isEnumDeclaration(s)) &&
    s.name !== undefined &&
    (ts.getCombinedModifierFlags(s) & ts.ModifierFlags.Export) !== 0
      ? [s.name.text]
      : [],
  );
}

/** What {@link Project} breaks of the codebase's shape; every list sorted, empty when it holds. */
export function codebaseShape(project: Project): ShapeFindings {
  const code = [...project.files.keys()].filter((f) => !isTest(f));
  // Only code carries a root's reach on: a file a root reaches only through a test is not reached by it.
  const fromRoots = reached(project, project.roots, (f) => !isTest(f));
  const fromTests = reached(project, [...project.files.keys()].filter(isTest), () => true);
  const declared = new Map<string, string[]>();
  for (const file of code)
    for (const name of exportedTypeNames(file, project.files.get(file)!))
      declared.set(name, [...(declared.get(name) ?? []), file]);
  return {
    testOnly: code.filter((f) => !fromRoots.has(f) && fromTests.has(f)).sort(),
    unreached: code.filter((f) => !fromRoots.has(f) && !fromTests.has(f)).sort(),
    sharedTypeNames: [...declared]
      .filter(([, files]) => files.length > 1)
      .map(([name, files]) => `${name}: ${files.sort().join(", ")}`)
      .sort(),
  };
}

function walk(root: string, dir: string, out: Map<string, string>): void {
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir === "" ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory() && !["node_modules", "dist", "fixtures"].includes(entry.name))
      walk(root, rel, out);
    else if (entry.isFile() && rel.endsWith(".ts") && !rel.endsWith(".d.ts"))
      out.set(rel, readFileSync(path.join(root, rel), "utf8"));
  }
}

/**
 * This repository as a {@link Project}: the files tsconfig.json includes, and as roots the package's `main`,
 * `exports` and `bin`, the Pulumi program (Pulumi.yaml `main`), the policy pack (policies/package.json
 * `main`) and every compiled file an npm script, or a command of the contributor docs, runs with `node`.
 */
export function readProject(root: string): Project {
  const json = (file: string) => JSON.parse(readFileSync(path.join(root, file), "utf8"));
  const pkg = json("package.json");
  const tsconfig = json("tsconfig.json") as { include: string[] };
  const files = new Map<string, string>();
  for (const pattern of tsconfig.include) {
    const dir = pattern.replace(/\/?\*\*.*$/, "");
    if (dir.endsWith(".ts")) files.set(dir, readFileSync(path.join(root, dir), "utf8"));
    else walk(root, dir, files);
  }
  const source = (built: string, from = "package.json") => {
    const found = sourceOfBuilt(files, from, built.replace(/^\.\//, ""));
    if (!found) throw new Error(`${from}: ${built} is built from no source file`);
    return found;
  };
  const exportsMap = new Map<string, string>(
    Object.entries(pkg.exports as Record<string, string | { default?: string }>).flatMap(([key, to]) => {
      const target = typeof to === "string" ? to : to.default;
      return target?.endsWith(".js") ? [[key, source(target)]] : [];
    }),
  );
  const pulumiMain = /^main:\s*(\S+)/m.exec(readFileSync(path.join(root, "Pulumi.yaml"), "utf8"))?.[1];
  // What npm scripts run, and what the contributor docs tell to run by hand (a benchmark of its own).
  const docs = [
    "CONTRIBUTING.md",
    "RELIABILITY.md",
    ...readdirSync(path.join(root, "docs")).map((d) => `docs/${d}`),
  ];
  const commands = [
    ...Object.values(pkg.scripts as Record<string, string>),
    ...docs.filter((d) => d.endsWith(".md")).map((d) => readFileSync(path.join(root, d), "utf8")),
  ];
  const scripts = commands.flatMap((s) => [...s.matchAll(/\bnode (dist\/\S+\.js)/g)].map((m) => m[1]!));
  const roots = [
    source(pkg.main),
    ...exportsMap.values(),
    ...Object.values(pkg.bin as Record<string, string>).map((b) => source(b)),
    ...(pulumiMain ? [source(pulumiMain)] : []),
    source(json("policies/package.json").main, "policies/package.json"),
    ...scripts.map((s) => source(s)),
  ];
  return { files, roots, packageName: pkg.name, exports: exportsMap };
}
