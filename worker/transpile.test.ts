import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import { decodeVlq, LINEMAP_PREFIX, linemap, transpile, unsupportedRegExp } from './transpile.ts';

/** The bundle of a source that must transpile. */
function bundle(source: string, fileName = 'app.ts'): string {
  const r = transpile(source, fileName);
  if (!r.ok) assert.fail(`unexpected diagnostics: ${JSON.stringify(r.diagnostics)}`);
  return r.bundle;
}

/** The diagnostics of a source that must not transpile. */
function errors(source: string, fileName = 'app.ts'): string[] {
  const r = transpile(source, fileName);
  assert.equal(r.ok, false, 'expected diagnostics');
  return r.ok ? [] : r.diagnostics.map((d) => `${d.line}:${d.column}: ${d.message}`);
}

/** Splits a bundle into its code lines and its linemap entries. */
function split(b: string): { code: string[]; map: string[] } {
  const lines = b.replace(/\n$/, '').split('\n');
  const last = lines.pop()!;
  assert.ok(last.startsWith(LINEMAP_PREFIX), `last line is the linemap: ${last}`);
  return { code: lines, map: last.slice(LINEMAP_PREFIX.length).split(',') };
}

/** Runs a bundle as the guest does, a function of (exports, module), in a fresh ES5-ish context. */
/** TypeScript's helpers, which the js runtime defines and bundles call (transpile emits none). */
const HELPERS = createRequire(import.meta.url)('tslib') as Record<string, unknown>;

function load(b: string, globals: Record<string, unknown> = {}): { exports: Record<string, unknown> } {
  const module = { exports: {} as Record<string, unknown> };
  runInNewContext(
    `(function (exports, module) {\n${b}\n})`,
    { ...HELPERS, ...globals },
    { filename: 'script' },
  )(module.exports, module);
  return module;
}

test('the default export becomes exports.default, in ES5 with no module syntax left', () => {
  const b = bundle(
    'const greet = (name: string): string => `hi ${name}`;\nexport default { fetch() { return greet("x"); } };\n',
  );
  assert.match(b, /exports\.default = /);
  assert.doesNotMatch(b, /=>|`|\bconst\b|\blet\b|^\s*(import|export)\b/m);
  const handler = load(b).exports.default as { fetch(): string };
  assert.equal(handler.fetch(), 'hi x');
});

test('.js, .mjs and .ts sources all become CommonJS', () => {
  for (const name of ['app.js', 'app.mjs', 'app.ts', 'app.mts', 'app']) {
    const b = bundle('export default { fetch() { return 42; } };\n', name);
    assert.match(b, /exports\.default = /, name);
    assert.equal((load(b).exports.default as { fetch(): number }).fetch(), 42, name);
  }
});

test("classes, destructuring, spread, for-of and async are lowered to calls of the runtime's helpers", async () => {
  const b = bundle(
    [
      'class A { constructor(public x: number) {} get twice() { return this.x * 2; } }',
      'class B extends A { static make() { return new B(3); } }',
      'const [first, ...rest] = [1, 2, 3];',
      'const { a = 5, ...others } = { b: 1 } as { a?: number; b: number };',
      'const out: number[] = [];',
      'for (const ch of [...rest, first]) out.push(ch);',
      'export default async function () { await null; return [B.make().twice, a, others.b, ...out].join(","); }',
    ].join('\n'),
  );
  assert.match(b, /__extends\(/);
  assert.match(b, /__awaiter\(/);
  assert.doesNotMatch(b, /var __(extends|awaiter|generator) = /);
  assert.doesNotMatch(b, /require\(/);
  const run = load(b, { Promise, Symbol, Object }).exports.default as () => Promise<string>;
  assert.equal(await run(), '6,5,1,2,3,1');
});

test('every generated line maps back to the line and column of the user code it came from', () => {
  const source = [
    'interface Req { url: string }', // 1
    'function handle(req: Req) {', // 2
    '  const parts = req.url.split("/");', // 3
    '  return parts.length;', // 4
    '}', // 5
    'export default { fetch: handle };', // 6
  ].join('\n');
  const { code, map } = split(bundle(source));
  const mapped = (needle: string): string => map[code.findIndex((l) => l.includes(needle))] ?? '';
  assert.equal(mapped('function handle'), '2:1');
  assert.equal(mapped('var parts'), '3:3');
  assert.equal(mapped('return parts.length'), '4:3');
  assert.equal(mapped('exports.default'), '6:1');
  assert.equal(mapped('use strict'), '', 'lines of our own map to nothing');
});

test('a runtime error at the generated line maps to the user line through the linemap', () => {
  const source = [
    'const lines: string[] = [];', // 1
    '', // 2
    'export default {', // 3
    '  fetch() {', // 4
    '    const x: any = undefined;', // 5
    '    return x.boom;', // 6
    '  },', // 7
    '};', // 8
  ].join('\n');
  const b = bundle(source);
  const { map } = split(b);
  const handler = load(b).exports.default as { fetch(): unknown };
  let stack = '';
  try {
    handler.fetch();
  } catch (error) {
    stack = (error as Error).stack ?? '';
  }
  // The wrapper adds one line before the bundle.
  const generated = Number(/script:(\d+)/.exec(stack)?.[1]) - 1;
  assert.equal(map[generated - 1], '6:5');
});

test('an error after an await maps to its user line too (the async function is a state machine in ES5)', async () => {
  const source = [
    'async function load(n: number): Promise<number> {', // 1
    '  await null;', // 2
    '  const table: Record<string, { size: number }> = {};', // 3
    '  return table[n].size;', // 4
    '}', // 5
    'export default { fetch: () => load(1) };', // 6
  ].join('\n');
  const b = bundle(source);
  const { map } = split(b);
  const handler = load(b, { Promise, Symbol, Object }).exports.default as { fetch(): Promise<number> };
  const error = await handler.fetch().then(
    () => assert.fail('expected a TypeError'),
    (e: Error) => e,
  );
  const generated = Number(/script:(\d+)/.exec(error.stack ?? '')?.[1]) - 1;
  assert.equal(map[generated - 1], '4:3');
});

test('syntax errors are diagnostics at the exact line and column, sorted', () => {
  assert.deepEqual(errors('const a = 1;\nconst b = ;\nlet c = "open'), [
    '2:11: Expression expected.',
    '3:14: Unterminated string literal.',
  ]);
  assert.deepEqual(errors('function f() {\n  return (1;\n}\n', 'app.js'), ["2:12: ')' expected."]);
  assert.deepEqual(errors('\uFEFFconst a = 1;\r\nconst b = ;\r\n'), ['2:11: Expression expected.']);
  assert.match(bundle('\uFEFFconst a = 1;\r\nexport default a;\r\n'), /tabcloud-linemap ,,1:1,2:1\n$/);
  assert.deepEqual(errors('let x: number = 1;\n', 'app.js'), [
    '1:8: Type annotations can only be used in TypeScript files.',
  ]);
});

test('imports of other modules are diagnostics at their line; type-only imports are erased', () => {
  const message = "imports are not available in the js appliance: './util' cannot be loaded; put its code in this file";
  assert.deepEqual(errors('// a service\n  import { add } from "./util";\nexport default {};'), [`2:3: ${message}`]);
  assert.deepEqual(errors('import "./util";'), [`1:1: ${message}`]);
  assert.deepEqual(errors('import * as u from "./util";', 'app.js'), [`1:1: ${message}`]);
  assert.deepEqual(errors('export { x } from "./util";'), [`1:1: ${message}`]);
  assert.deepEqual(errors('import u = require("./util");'), [`1:1: ${message}`]);
  assert.deepEqual(errors('export default { async fetch() {\n  const u = await import("./util");\n} };'), [
    `2:19: ${message}`,
  ]);
  bundle(
    'import type { Req } from "./types";\nimport { type Res } from "./types";\nexport type { Req } from "./types";',
  );
});

test('literals the guest engine cannot compile are diagnostics', () => {
  assert.deepEqual(errors('const n = 1;\nconst big = 10n;'), ['2:13: BigInt is not available in the js appliance']);
  assert.match(errors('const r = /a/u;')[0]!, /^1:11: RegExp flag u not available/);
  assert.equal(unsupportedRegExp('/(?<year>\\d+)/'), 'RegExp named groups not available');
  assert.equal(unsupportedRegExp('/(?<=a)b/'), 'RegExp lookbehind not available');
  assert.equal(unsupportedRegExp('/(?<!a)b/g'), 'RegExp lookbehind not available');
  assert.equal(unsupportedRegExp('/a/sy'), 'RegExp flags s, y not available');
  assert.equal(unsupportedRegExp('/[(?<]\\(?<x/gim'), undefined);
  assert.equal(unsupportedRegExp('/(?=a)(?:b)(?!c)/'), undefined);
});

test("what ES5 cannot express is a diagnostic: an arrow's arguments, super in an object literal", () => {
  assert.deepEqual(errors('function f() {\n  return () => arguments.length;\n}'), [
    "2:16: an arrow function cannot use 'arguments' in the js appliance (ES5): use a rest parameter",
  ]);
  assert.deepEqual(errors('const o = { m() { return () => super.m(); } };'), [
    "1:32: 'super' in a method of an object literal is not available in the js appliance (ES5): use a class",
  ]);
  bundle('const f = () => function () { return arguments.length; };\nconst o = { arguments: x.arguments };');
  bundle('class A { m() { return 1; } }\nclass B extends A { m() { return [1].map(() => super.m())[0]; } }');
});

test('top-level await and import.meta are diagnostics (the bundle is a CommonJS module)', () => {
  assert.deepEqual(errors('const a = 1;\nconst x = await Promise.resolve(a);'), [
    '2:11: top-level await is not available in the js appliance (a CommonJS module): await inside a function',
  ]);
  assert.match(errors('for await (const x of []) console.log(x);')[0]!, /^1:1: top-level await/);
  assert.deepEqual(errors('const u = import.meta.url;'), [
    '1:11: import.meta is not available in the js appliance (a CommonJS module)',
  ]);
  bundle('export default { async fetch() { for await (const x of []) console.log(x); return await 1; } };');
});

test('the VLQ decoder reads source map segments', () => {
  assert.deepEqual(decodeVlq('AAAA'), [0, 0, 0, 0]);
  assert.deepEqual(decodeVlq('AACD'), [0, 0, 1, -1]);
  assert.deepEqual(decodeVlq('gBAAgBF'), [16, 0, 0, 16, -2]);
  assert.deepEqual(decodeVlq('2Hw+B'), [123, 1000]);
  assert.throws(() => decodeVlq('g'), /cut short/);
  assert.throws(() => decodeVlq('A!'), /not a base64 VLQ digit/);
  // Line 1 maps to 1:1, line 2 to nothing, line 3 to 2:3 (source positions are relative across lines).
  assert.deepEqual(linemap({ mappings: 'AAAA,IAAI;;EACF' }), ['1:1', '', '2:3']);
});
