// A user's TypeScript or JavaScript service module → the js appliance's bundle (ES5 CommonJS and a
// linemap, see images/js/README.md). Shared by the page (in a worker, loaded lazily) and the CLI.
import ts from 'typescript5';

/** A problem in the user's source, at a 1-based line and column. */
export interface Diagnostic {
  line: number;
  column: number;
  message: string;
}

export type TranspileResult = { ok: true; bundle: string } | { ok: false; diagnostics: Diagnostic[] };

/** The prefix of a bundle's last line, which maps its lines back to the user's source. */
export const LINEMAP_PREFIX = '//# tabcloud-linemap ';

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES5,
  module: ts.ModuleKind.CommonJS,
  // A service is a module: strict code, exports, whether or not it has an import or export.
  moduleDetection: ts.ModuleDetectionKind.Force,
  downlevelIteration: true,
  importHelpers: false,
  // The runtime defines TypeScript's helpers (tslib, compiled into the js appliance's snapshot): a bundle
  // without them compiles several times faster in the guest, where compiling is the slowest part of a boot.
  noEmitHelpers: true,
  sourceMap: true,
  inlineSourceMap: false,
  allowJs: true,
  newLine: ts.NewLineKind.LineFeed,
};

/** Turns a module with `export default { fetch(request) }` into the bundle the guest runs. */
export function transpile(source: string, fileName: string): TranspileResult {
  const diagnostics: Diagnostic[] = [];
  let imports: Diagnostic[] = [];
  // A byte order mark is not a column an editor shows.
  const output = ts.transpileModule(source.replace(/^\uFEFF/, ''), {
    compilerOptions: COMPILER_OPTIONS,
    fileName: sourceFileName(fileName),
    reportDiagnostics: true,
    // Runs on the parsed source before TypeScript lowers it, so positions are the user's.
    transformers: { before: [() => (file) => ((imports = findUnsupported(file)), file)] },
  });
  for (const d of output.diagnostics ?? []) {
    if (d.category !== ts.DiagnosticCategory.Error) continue;
    const { line, column } = position(d.file, d.start ?? 0);
    diagnostics.push({ line, column, message: ts.flattenDiagnosticMessageText(d.messageText, '\n') });
  }
  diagnostics.push(...imports);
  if (diagnostics.length > 0) {
    diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
    return { ok: false, diagnostics };
  }
  const code = output.outputText.replace(/\n\/\/# sourceMappingURL=[^\n]*\n?$/, '\n');
  const lines = code.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const map = output.sourceMapText === undefined ? [] : linemap(JSON.parse(output.sourceMapText) as SourceMap);
  return { ok: true, bundle: `${lines.join('\n')}\n${LINEMAP_PREFIX}${map.slice(0, lines.length).join(',')}\n` };
}

/**
 * The name TypeScript parses the source under: `.js` or `.ts`, whichever the extension says
 * (`.mjs` would make TypeScript keep ES module syntax whatever the module option).
 */
function sourceFileName(fileName: string): string {
  return /\.[cm]?js$/i.test(fileName) ? 'script.js' : 'script.ts';
}

function position(file: ts.SourceFile | undefined, offset: number): { line: number; column: number } {
  if (!file) return { line: 1, column: 1 };
  const { line, character } = file.getLineAndCharacterOfPosition(offset);
  return { line: line + 1, column: character + 1 };
}

/**
 * What TypeScript lets through but the guest cannot run: imports of other modules (it has no
 * module loader), and literals its engine cannot compile (one would fail the whole bundle).
 */
function findUnsupported(file: ts.SourceFile): Diagnostic[] {
  const found: Diagnostic[] = [];
  const at = (node: ts.Node, message: string): void =>
    void found.push({ ...position(file, node.getStart(file)), message });
  const report = (node: ts.Node, specifier: ts.Expression | undefined): void => {
    const name = specifier && ts.isStringLiteralLike(specifier) ? `'${specifier.text}'` : 'a module';
    at(node, `imports are not available in the js appliance: ${name} cannot be loaded; put its code in this file`);
  };
  // Where the node is: inside an arrow function (up to the nearest other function), inside a
  // method of an object literal; ES5 has neither `arguments` of an outer function nor `super` there.
  let inArrow = false;
  let inObjectMethod = false;
  let inFunction = false;
  const objectMethods = new Set<ts.Node>();
  const visit = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node)) node.properties.forEach((p) => objectMethods.add(p));
    if (ts.isFunctionLike(node)) {
      const saved = [inArrow, inObjectMethod, inFunction];
      inArrow = ts.isArrowFunction(node);
      inObjectMethod = inArrow ? inObjectMethod : objectMethods.has(node);
      inFunction = true;
      ts.forEachChild(node, visit);
      [inArrow, inObjectMethod, inFunction] = saved as [boolean, boolean, boolean];
      return;
    }
    if (!inFunction && (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier))) {
      at(node, 'top-level await is not available in the js appliance (a CommonJS module): await inside a function');
    }
    if (ts.isMetaProperty(node) && node.keywordToken === ts.SyntaxKind.ImportKeyword) {
      at(node, 'import.meta is not available in the js appliance (a CommonJS module)');
    }
    if (ts.isPropertyAccessExpression(node)) return visit(node.expression);
    if (inArrow && ts.isIdentifier(node) && node.text === 'arguments') {
      at(node, "an arrow function cannot use 'arguments' in the js appliance (ES5): use a rest parameter");
    }
    if (inObjectMethod && node.kind === ts.SyntaxKind.SuperKeyword) {
      at(node, "'super' in a method of an object literal is not available in the js appliance (ES5): use a class");
    }
    if (node.kind === ts.SyntaxKind.BigIntLiteral) at(node, 'BigInt is not available in the js appliance');
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const problem = unsupportedRegExp((node as ts.RegularExpressionLiteral).text);
      if (problem) at(node, `${problem} (the js appliance's RegExp engine is ES5's, with flags g, i and m)`);
    }
    if (ts.isImportDeclaration(node)) {
      if (!isTypeOnlyImport(node)) report(node, node.moduleSpecifier);
      return;
    }
    if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      if (!node.isTypeOnly) report(node, node.moduleSpecifier);
      return;
    }
    if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      if (!node.isTypeOnly) report(node, node.moduleReference.expression);
      return;
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      report(node, node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** Why a RegExp literal `/pattern/flags` would not compile in the guest, or undefined. */
export function unsupportedRegExp(literal: string): string | undefined {
  const end = literal.lastIndexOf('/');
  const flags = literal.slice(end + 1).replace(/[gim]/g, '');
  if (flags !== '') return `RegExp flag${flags.length > 1 ? 's' : ''} ${[...flags].join(', ')} not available`;
  const pattern = literal.slice(1, end);
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (!inClass && c === '(' && pattern.startsWith('?<', i + 1)) {
      return pattern[i + 3] === '=' || pattern[i + 3] === '!'
        ? 'RegExp lookbehind not available'
        : 'RegExp named groups not available';
    }
  }
  return undefined;
}

/** `import type ...`, or `import { type A, type B } from ...`: erased, so harmless. */
function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return (
    clause.name === undefined &&
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((e) => e.isTypeOnly)
  );
}

interface SourceMap {
  mappings: string;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUE = new Map([...BASE64].map((c, i) => [c, i]));

/** Decodes a source map segment: base64 VLQ numbers, 5 bits each, sign in the lowest bit. */
export function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const c of segment) {
    const digit = BASE64_VALUE.get(c);
    if (digit === undefined) throw new Error(`not a base64 VLQ digit: '${c}'`);
    value += (digit & 31) * 2 ** shift;
    shift += 5;
    if (digit & 32) continue;
    values.push(value % 2 === 1 ? -(value - 1) / 2 : value / 2);
    value = 0;
    shift = 0;
  }
  if (shift !== 0) throw new Error('a base64 VLQ number is cut short');
  return values;
}

/**
 * One entry per generated line: `line:column` (1-based) of the first source position on that
 * line, or '' when the line maps to nothing (helpers, blank lines).
 */
export function linemap(map: SourceMap): string[] {
  const entries: string[] = [];
  // Source line and column are relative to the previous segment with a source, across lines.
  let sourceLine = 0;
  let sourceColumn = 0;
  for (const line of map.mappings.split(';')) {
    let entry = '';
    for (const segment of line.split(',')) {
      if (segment === '') continue;
      const fields = decodeVlq(segment);
      if (fields.length < 4) continue;
      sourceLine += fields[2]!;
      sourceColumn += fields[3]!;
      if (entry === '') entry = `${sourceLine + 1}:${sourceColumn + 1}`;
    }
    entries.push(entry);
  }
  while (entries.length > 0 && entries[entries.length - 1] === '') entries.pop();
  return entries;
}
