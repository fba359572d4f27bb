/**
 * The error messages the provider and the components can emit, read from their source with the TypeScript
 * compiler (the troubleshooting table of README "Failures and recovery" must list each). A message is a string or template literal where the code
 * builds an error's text: the argument of `new …Error(…)`, of `configError(…)`, `fail(…)` and `problems.push(…)`,
 * a `reason:`, `hint:`, `message:` or `error:` property, a zod `.regex(…, "…")` / `.min(…, "…")` message, what a
 * `hint…` or `…Problem` function returns, and any other literal with a sentence in it (four words or more: the notes and
 * fixes that code joins into messages). Its fixed parts (the text between `${…}`) are what a reader can search
 * for. A literal none of whose parts has three words is a joint or a code (`"."`, `"PAGING_LOOP"`), not a message.
 *
 * @example
 * errorMessages(PROJECT_ROOT).find((m) => m.file === "src/settings.ts")?.pieces;
 * // ["must be a positive number, got \""]
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

export interface ErrorMessage {
  /** Path from the project root. */
  file: string;
  line: number;
  /** The message's fixed parts, in order, each trimmed, split at line breaks. */
  pieces: string[];
}

/**
 * Where messages are built: what the provider (`src/`) and the components emit. Left out: the command-line
 * tool and what only it runs (the PR summariser, the export, the migration, the access report), whose messages its `--help`
 * and its tests cover (test/e2e/consumer-package.test.ts, test/unit/cli.test.ts).
 */
const ROOTS = ["src", "components"];
const LEFT_OUT = ["src/summary/", "src/cli/", "src/export/", "src/report/"];

const MESSAGE_PROPERTIES = new Set(["reason", "hint", "message", "error"]);
const MESSAGE_CALLS = new Set(["configError", "fail", "push"]);
const ZOD_MESSAGE_CALLS = new Set(["regex", "min"]);

const words = (piece: string) => piece.split(/\s+/).filter((w) => /[A-Za-z]/.test(w)).length;
const isSentence = (pieces: readonly string[]) => pieces.some((p) => words(p) >= 4);
const isMessage = (pieces: readonly string[]) => pieces.some((p) => words(p) >= 3);

function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(full);
    }
  };
  for (const r of ROOTS) walk(path.join(root, r));
  return out
    .map((f) => path.relative(root, f).split(path.sep).join("/"))
    .filter((f) => !LEFT_OUT.some((l) => f.startsWith(l)))
    .sort();
}

/** The literal texts of a message expression (both branches of a conditional). */
function literals(
  node: ts.Expression,
): Array<ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression> {
  if (ts.isParenthesizedExpression(node)) return literals(node.expression);
  if (ts.isConditionalExpression(node)) return [...literals(node.whenTrue), ...literals(node.whenFalse)];
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node))
    return [node];
  return [];
}

function piecesOf(
  node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression,
): string[] {
  const texts = ts.isTemplateExpression(node)
    ? [node.head.text, ...node.templateSpans.map((s) => s.literal.text)]
    : [node.text];
  return texts
    .flatMap((t) => t.split("\n"))
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

const calleeName = (call: ts.CallExpression | ts.NewExpression): string | undefined => {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
};

const inHintFunction = (node: ts.Node): boolean => {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent)
    if (ts.isFunctionDeclaration(n)) return /^hint|Problem$/.test(n.name?.text ?? "");
  return false;
};

/** Every message the files under `src/` and `components/` build, in file order. */
export function errorMessages(root: string): ErrorMessage[] {
  const found: ErrorMessage[] = [];
  for (const file of sourceFiles(root)) {
    const source = ts.createSourceFile(
      file,
      readFileSync(path.join(root, file), "utf8"),
      ts.ScriptTarget.ES2022,
      true,
    );
    const seen = new Set<ts.Node>();
    const record = (lit: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression) => {
      const pieces = piecesOf(lit);
      if (seen.has(lit) || !isMessage(pieces)) return;
      seen.add(lit);
      found.push({ file, line: source.getLineAndCharacterOfPosition(lit.getStart()).line + 1, pieces });
    };
    const add = (expr: ts.Expression | undefined) => {
      if (expr) for (const lit of literals(expr)) record(lit);
    };
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) && calleeName(node)?.endsWith("Error")) add(node.arguments?.[0]);
      else if (ts.isCallExpression(node)) {
        const name = calleeName(node);
        if (name && MESSAGE_CALLS.has(name)) for (const a of node.arguments) add(a);
        if (name && ZOD_MESSAGE_CALLS.has(name)) add(node.arguments[1]);
      } else if (
        ts.isPropertyAssignment(node) &&
        ts.isIdentifier(node.name) &&
        MESSAGE_PROPERTIES.has(node.name.text)
      )
        add(node.initializer);
      else if (ts.isReturnStatement(node) && node.expression && inHintFunction(node)) add(node.expression);
      else if (
        (ts.isStringLiteral(node) ||
          ts.isNoSubstitutionTemplateLiteral(node) ||
          ts.isTemplateExpression(node)) &&
        isSentence(piecesOf(node))
      )
        record(node);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}
