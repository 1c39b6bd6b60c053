// The js appliance's runtime (prelude.js) in the real engine: the duk command (Duktape 2.7, as in
// the guest) runs it under a stand-in for the C side (prelude-harness.js). Where the web platform
// defines the behaviour, the same program runs in Node too and the outputs must be equal.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LINEMAP_PREFIX, transpile } from '../../worker/transpile.ts';

const PRELUDE = fileURLToPath(new URL('./prelude.js', import.meta.url));
/** TypeScript's helpers, which the appliance compiles after the prelude: bundles do not carry them. */
const TSLIB = createRequire(import.meta.url).resolve('tslib/tslib.js');
const HARNESS = fileURLToPath(new URL('./prelude-harness.js', import.meta.url));
let dir = '';
let runs = 0;

before(() => {
  if (spawnSync('sh', ['-c', 'command -v duk'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('the duk command (Duktape 2.7) is missing: apt-get install duktape (npm test installs it)');
  }
  dir = mkdtempSync(join(tmpdir(), 'prelude-test-'));
  writeFileSync(join(dir, 'helpers.cjs'), `Object.assign(globalThis, require(${JSON.stringify(TSLIB)}));\n`);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A TypeScript module as the bundle the guest runs (ES5 CommonJS, a linemap as its last line). */
function bundle(source: string): string {
  const r = transpile(source, 'app.ts');
  if (!r.ok) assert.fail(`unexpected diagnostics: ${JSON.stringify(r.diagnostics)}`);
  return r.bundle;
}

/** Runs the harness, the prelude, the user's bundle as the file `script` if given, then main. */
function duk(main: string, script?: string): string {
  const cwd = join(dir, String(runs++));
  mkdirSync(cwd);
  const files = [HARNESS, PRELUDE, TSLIB];
  if (script !== undefined) {
    // One line of wrapper before the bundle's first line keeps the line numbers the bundle's own.
    writeFileSync(join(cwd, 'script'), `globalThis.__user = function (exports, module) {${script}\n};\n`);
    files.push('script');
  }
  writeFileSync(join(cwd, 'main.js'), main);
  files.push('main.js');
  const r = spawnSync('duk', files, { cwd, encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 0, `duk failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** A bundle's output in the guest: loaded through the load hook, then its timers run to the end. */
function inDuk(code: string): string {
  return duk(`__tabcloud.load(globalThis.__user, ''); __run();\n`, code);
}

function inNode(code: string): string {
  const file = join(dir, `node-${runs++}.cjs`);
  writeFileSync(file, code);
  const r = spawnSync(process.execPath, ['-r', join(dir, 'helpers.cjs'), file], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 0, `node failed:\n${r.stderr}`);
  return r.stdout;
}

/** Transpiles a TypeScript program and asserts that the guest prints what Node prints. */
function sameAsNode(source: string): void {
  const code = bundle(source);
  assert.equal(inDuk(code), inNode(code));
}

interface Sent {
  id: number;
  status: number;
  statusText: string;
  headers: string[];
  body: string | null;
}

/**
 * Serves requests with a TypeScript service: the console lines and the responses, in order. setup is
 * ES5 code run first (say, the harness's fake HTTP client's globalThis.__server).
 */
function serve(source: string, requests: [string, string, string?][], setup = ''): { log: string[]; sent: Sent[] } {
  const code = bundle(source);
  const map = code.trimEnd().split('\n').pop()!.slice(LINEMAP_PREFIX.length);
  const calls = requests
    .map(([method, url, body], i) => {
      const bytes = body === undefined ? 'null' : `new TextEncoder().encode(${JSON.stringify(body)})`;
      const headers = JSON.stringify(['Host', 'x', 'Content-Type', 'application/json']);
      return `__tabcloud.request(${i + 1}, ${JSON.stringify(method)}, ${JSON.stringify(url)}, ${headers}, ${bytes});`;
    })
    .join('\n');
  const main = `${setup}
try { __tabcloud.load(globalThis.__user, ${JSON.stringify(map)}); } catch (e) { print('load failed ' + JSON.stringify(__tabcloud.errorInfo(e))); }
${calls}
__run();
`;
  const log: string[] = [];
  const sent: Sent[] = [];
  for (const line of duk(main, code).trimEnd().split('\n')) {
    if (line.startsWith('respond ')) sent.push(JSON.parse(line.slice(8)) as Sent);
    else log.push(line);
  }
  return { log, sent };
}

test('promise jobs and async functions interleave as in Node', () => {
  sameAsNode(`
console.log('script start');
setTimeout(() => console.log('timeout'), 0);
Promise.resolve().then(() => console.log('p1')).then(() => console.log('p2')).then(() => console.log('p3'));
async function a1() { console.log('a1 start'); await a2(); console.log('a1 end'); }
async function a2() { console.log('a2'); }
a1();
queueMicrotask(() => console.log('microtask'));
new Promise<void>((r) => { console.log('executor'); r(); }).then(() => console.log('then'));
console.log('script end');
`);
  sameAsNode(`
const log = (s: string) => () => console.log(s);
const thenable = { then(r: (v: number) => void) { console.log('thenable.then'); r(42); } };
Promise.resolve(thenable).then((v) => console.log('thenable', v));
Promise.resolve().then(() => Promise.resolve(1)).then(log('returned a promise'));
Promise.resolve().then(log('a')).then(log('b')).then(log('c')).then(log('d')).then(log('e'));
Promise.reject(new Error('x')).finally(log('finally')).catch((e: Error) => console.log('caught', e.message));
Promise.resolve(5).finally(() => 6).then((v) => console.log('finally keeps', v));
(async () => { await null; console.log('await null'); await thenable; console.log('await thenable'); })();
(async () => { try { await Promise.reject(new TypeError('t')); } catch (e) { console.log('async catch', (e as Error).name); } finally { console.log('async finally'); } })();
async function* gen() { yield 1; yield 2; }
(async () => { for await (const v of gen()) console.log('for await', v); })();
const p = new Promise((r) => r(p)); p.catch((e: Error) => console.log(e.constructor.name));
`);
  sameAsNode(`
const d = (v: number, ms: number, fail = false) => new Promise((res, rej) => setTimeout(() => (fail ? rej(new Error('e' + v)) : res(v)), ms));
Promise.all([d(1, 30), d(2, 10), 3]).then((v) => console.log('all', v));
Promise.all([]).then((v) => console.log('all empty', v));
Promise.all([d(1, 10), d(2, 5, true)]).catch((e: Error) => console.log('all rejects', e.message));
Promise.allSettled([d(1, 5), d(2, 5, true)]).then((v) => console.log('allSettled', JSON.stringify(v)));
Promise.race([d(1, 20), d(2, 10)]).then((v) => console.log('race', v));
Promise.any([d(1, 10, true), d(2, 20)]).then((v) => console.log('any', v));
Promise.any([d(1, 10, true)]).catch((e: AggregateError) => console.log('any rejects', e.constructor.name, e.errors.length, e.message));
Promise.all(new Set([1, 2]) as unknown as number[]).then((v) => console.log('all of a set', v));
`);
});

test('the prelude compiles and runs in Duktape on its own (ES5: no trailing commas in calls)', () => {
  assert.equal(duk(''), '');
});

test('unhandled rejections are logged after the jobs run; handled ones are not', () => {
  const out = inDuk(
    bundle(`
Promise.reject(new Error('nobody'));
const late = Promise.reject(new Error('handled later in the same job run'));
Promise.resolve().then(() => late.catch(() => console.log('caught late')));
Promise.reject('a string');
`),
  );
  assert.equal(
    out,
    [
      'caught late',
      'error: Uncaught (in promise) Error: nobody',
      '    at [anon] (script:3)',
      'error: Uncaught (in promise) a string',
      '',
    ].join('\n'),
  );
});

test('Map and Set behave as in Node', () => {
  sameAsNode(`
const m = new Map<unknown, unknown>([['a', 1], [NaN, 'nan'], [0, 'zero']]);
const k = {};
m.set(k, 'obj').set(-0, 'minus zero').set('b', 2);
console.log(m.size, m.get(NaN), m.get(0), m.get(k), m.get({}), m.has('a'), m.delete('a'), m.delete('a'), m.size);
console.log([...m.keys()], [...m.values()], [...m.entries()].length);
for (const [key, value] of m) { if (key === 0) { m.delete('b'); m.set('c', 3); } console.log('visit', key, value); }
m.forEach((v, key, map) => console.log('forEach', key, v, map === m));
const it = m.keys(); it.next(); m.clear(); m.set('after clear', 1); console.log(it.next(), m.size);
const frozen = Object.freeze({}); const sym = Symbol('s');
const s = new Set<unknown>([1, 1, '1', frozen, sym, frozen]);
console.log(s.size, s.has(frozen), s.has(sym), s.has('1'), [...s].length, Array.from(s.entries())[0]);
s.delete(frozen); console.log(s.size, s.has(frozen));
const wm = new WeakMap<object, number>(); wm.set(k, 1); wm.set(frozen, 2);
console.log(wm.get(k), wm.has(frozen), wm.get({}), wm.delete(k), wm.has(k));
const ws = new WeakSet([k]); console.log(ws.has(k), ws.has(frozen));
console.log(Object.prototype.toString.call(m), Object.prototype.toString.call(s), Object.keys(k), JSON.stringify(k));
console.log(new Map([[1, { a: [1, 2] }], [2, new Set(['x'])]]), new Set(), new Map());
`);
});

test('console.log formats values as Node does', () => {
  sameAsNode(`
class Point { constructor(public x: number, public y: number) {} }
function named() { return 1; }
const circular: Record<string, unknown> = { name: 'c' }; circular.self = circular;
const withGetter = Object.defineProperty({ a: 1 }, 'g', { get: () => 2, enumerable: true });
const arrayWithKey: unknown[] & { extra?: number } = [1, 2]; arrayWithKey.extra = 3;
const values: unknown[] = [
  'top level string', 1, -0, NaN, Infinity, 1e21, 0.1, true, null, undefined, Symbol('s'),
  ['nested', "it's", 'both \\' and "', 'tab\\tnewline\\n', '\\u0001\\u007f', ''],
  { a: 1, 'b-c': 2, _ok: [], $no: {}, 3: 'three', [Symbol('k')]: 'sym' },
  { a: { b: { c: { d: { e: 1 } } } }, arr: [[[[1]]]] },
  [1, 2, 3, 4, 5, 6, 7], Array.from({ length: 27 }, (_, i) => i * i * i), Array.from({ length: 120 }, (_, i) => i),
  ['apple', 'banana', 'cherry', 'date', 'elderberry', 'fig', 'grape', 'honeydew'],
  [1, , 3], new Array(5), [undefined, null], arrayWithKey,
  { longKeyNumberOne: 'a fairly long value', longKeyNumberTwo: 'another fairly long value', three: 3 },
  [{ id: 1, name: 'one', tags: ['a', 'b'] }, { id: 2, name: 'two', tags: [] }],
  new Point(1, 2), named, Object.create(null), Object.assign(Object.create(null), { a: 1 }), circular, withGetter,
  new Date(0), /re+/gi, new Uint8Array([1, 2, 3]), new Uint8Array(0), new Float64Array([0.5, -0]),
  Promise.resolve(1), new Promise(() => {}), Promise.resolve({ a: [1] }),
  new Map([['k', new Map([['inner', 1]])]]), new Set([[1, 2], 'x']),
  new URL('http://u:p@x:81/p?a=1#h'), { u: new URL('http://x/') }, new URLSearchParams('a=1&b=2&a=3'),
  new URLSearchParams(), new Headers({ a: '1', 'b-c': '2' }), new Headers(),
];
for (const v of values) console.log(v);
console.log('several', 1, 'args', { a: 1 }, [2]);
console.log('%s is %d years and %i, %f, %j %O %%', 'Bob', 42.5, 42.5, '1.5', { a: 1 }, [1]);
console.log('%s', 'only', 'extra', 3);
console.info('info'); console.debug('debug');
`);
});

test('timers run in due-time order, then creation order, with jobs in between, as in Node', () => {
  // Due times at least 50 ms apart, so that Node waking late under load keeps the order.
  sameAsNode(`
setTimeout(() => console.log('t 250'), 250);
setTimeout(() => console.log('t 0'), 0);
setTimeout(() => console.log('t 1'), 1);
setTimeout((a: string, b: string) => console.log('t args', a, b), 50, 'x', 'y');
const cancelled = setTimeout(() => console.log('never'), 10); clearTimeout(cancelled);
let n = 0;
const iv = setInterval(() => {
  console.log('interval', ++n);
  Promise.resolve().then(() => console.log('job after interval', n));
  if (n === 3) clearInterval(iv);
}, 100);
setTimeout(() => { console.log('t 150'); setTimeout(() => console.log('t 150 + 0'), 0); }, 150);
setTimeout(() => console.log('t 400'), 400);
`);
});

test('URL and URLSearchParams parse and serialize as Node does', () => {
  sameAsNode(`
const inputs: [string, string?][] = [
  ['http://example.com'], ['HTTPS://User:Pass@Example.COM:443/a/b?q=1#h'], ['http://x:8080/p/../q/./r/%2e%2E/s'],
  ['https://x/a b/é?c d=é&e=\\'#f g\`'], ['http://x/a\\\\b\\\\c'], ['http://x:80/'], ['ws://h:81/x'], ['http://[::1]:3000/x'],
  ['  http://trim.me/\\t\\n  '], ['http://x/?'], ['http://x/#'], ['http://x/{}|^\`'], ['mailto:someone@example.com'],
  ['data:text/plain,hi'], ['blob:http://x/uuid'], ['file:///etc/hosts'],
  ['/abs?x=1', 'http://h/a/b'], ['rel/../x', 'http://h/a/b'], ['?only', 'http://h/a/b?q#f'], ['#frag', 'http://h/a/b?q'],
  ['', 'http://h/a/b?q#f'], ['//other/path', 'https://h/a'], ['..', 'http://h/a/b/c'], ['./', 'http://h/a/b'],
  ['http:rel', 'http://h/a/b'], ['https://u@h/'],
  ['not a url'], ['http://'], ['http://exa mple.com/'], ['http://x:99999/'], ['rel'], ['/x', 'also not a url'],
];
for (const [input, base] of inputs) {
  try {
    const u = new URL(input, base);
    console.log(JSON.stringify([u.href, u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname, u.search, u.hash, u.origin, String(u), u.toJSON()]));
  } catch (e) {
    console.log(JSON.stringify(input), (e as Error).name, (e as Error).message, URL.canParse(input, base));
  }
}
const u = new URL('http://h/p?a=1&b=2&a=3');
const sp = u.searchParams;
console.log(sp.get('a'), sp.getAll('a'), sp.has('b'), sp.get('zz'), sp.size);
sp.append('c', 'x y+z&'); sp.delete('b'); sp.set('a', 'one'); console.log(u.href, u.search);
u.search = '?n=1&n=2'; console.log(sp.getAll('n'), String(sp));
sp.delete('n'); console.log(JSON.stringify(u.href), JSON.stringify(u.search));
u.hash = 'top'; u.pathname = '/new path/../x'; u.port = '8080'; u.hostname = 'Other.Example'; u.protocol = 'https';
console.log(u.href);
u.username = 'me'; u.password = 'p@ss'; u.host = 'h2:99'; console.log(u.href, u.origin);
u.href = 'http://again/'; console.log(u.href, u.searchParams.size);
const forms = ['a=1&b=2', '?x=%20%2B+&y', 'k=%zz&%E2%82%AC=%FF', '=v&k=&&', 'é=ü', 'a=b=c'];
for (const f of forms) { const p = new URLSearchParams(f); console.log(JSON.stringify([...p]), p.toString()); }
console.log(new URLSearchParams({ a: '1', 'b c': 'd&e', emoji: '😀', special: "!'()~*-._" }).toString());
console.log(new URLSearchParams([['x', '1'], ['x', '2']]).toString(), new URLSearchParams(new URLSearchParams('q=1')).toString());
const sorted = new URLSearchParams('z=1&a=2&m=3&a=1'); sorted.sort(); console.log(sorted.toString(), [...sorted.keys()], [...sorted.values()]);
sorted.forEach((v, k) => console.log('forEach', k, v));
try { new URLSearchParams([['only one']] as unknown as string[][]); } catch (e) { console.log((e as Error).name); }
`);
});

test('Headers, Request and Response behave as in Node', () => {
  sameAsNode(`
const h = new Headers({ 'Content-Type': 'text/plain', 'X-B': ' padded ' });
h.append('x-a', '1'); h.append('X-A', '2'); h.append('Set-Cookie', 'a=1'); h.append('set-cookie', 'b=2');
console.log(JSON.stringify([...h]), h.get('x-a'), h.get('X-B'), h.get('missing'), h.has('CONTENT-TYPE'));
console.log(JSON.stringify([...h.keys()]), JSON.stringify([...h.values()]), h.getSetCookie());
h.set('x-a', '3'); h.delete('x-b'); h.forEach((v, k) => console.log('forEach', k, v));
console.log(JSON.stringify([...new Headers([['a', '1'], ['b', '2']])]), JSON.stringify([...new Headers(h)].length));
for (const bad of [['bad name', 'v'], ['x', 'a\\nb']]) { try { new Headers([bad as [string, string]]); } catch (e) { console.log('bad header', (e as Error).name); } }
(async () => {
  const r = new Response('héllo', { status: 201, statusText: 'Made', headers: { 'X-Y': 'z' } });
  console.log(r.status, r.statusText, r.ok, r.headers.get('content-type'), r.headers.get('x-y'), r.bodyUsed, r.type, r.url, r.redirected);
  console.log(await r.text(), r.bodyUsed);
  try { await r.text(); } catch (e) { console.log('second read', (e as Error).name); }
  const d = new Response(); console.log(d.status, d.statusText === '', d.ok, d.headers.get('content-type'), await d.text(), d.bodyUsed);
  const j = Response.json({ a: [1, 'two'] }, { status: 404, headers: { 'x-k': 'v' } });
  console.log(j.status, j.ok, j.headers.get('content-type'), j.headers.get('x-k'), await j.json());
  const bytes = new Response(new Uint8Array([104, 105]));
  console.log(bytes.headers.get('content-type'), new Uint8Array(await bytes.arrayBuffer()));
  console.log(await new Response(new Uint8Array([0xf0, 0x9f, 0x98, 0x80, 0x41]).buffer).text());
  const form = new Response(new URLSearchParams({ a: 'b c' }));
  console.log(form.headers.get('content-type'), await form.text());
  const red = Response.redirect('http://x/y', 301); console.log(red.status, red.headers.get('location'));
  console.log(Response.redirect('http://x/').status, Response.error().status, Response.error().type);
  for (const f of [() => new Response('', { status: 99 }), () => Response.redirect('http://x/', 200), () => new Response('x', { status: 204 })]) {
    try { f(); } catch (e) { console.log('rejected', (e as Error).name); }
  }
  const clone = new Response('c').clone(); console.log(await clone.text());
  const req = new Request('http://h/p?q=1', { method: 'post', body: JSON.stringify({ n: 1 }), headers: { 'X-R': '1' } });
  console.log(req.method, req.url, req.headers.get('x-r'), req.headers.get('content-type'), req.bodyUsed, req.redirect);
  console.log(await req.json(), req.bodyUsed);
  const get = new Request('http://h'); console.log(get.method, get.url, await get.text());
  console.log(new Request('http://h/', { method: 'patch' }).method, new Request(get, { method: 'delete' }).method);
  console.log(new Request(new Request('http://h/', { method: 'PUT', body: 'b' })).method);
  for (const f of [() => new Request('/relative'), () => new Request('http://h/', { method: 'GET', body: 'x' }), () => new Request('http://h/', { method: 'bad method' })]) {
    try { f(); } catch (e) { console.log('rejected', (e as Error).name); }
  }
  const te = new TextEncoder(); const td = new TextDecoder();
  console.log(te.encode('a€😀'), td.decode(te.encode('a€😀')).length, td.decode(new Uint8Array([0xff, 0x41])), te.encodeInto('a€😀', new Uint8Array(5)));
  console.log(btoa('hello'), atob('aGVsbG8='), atob(' aGk '), btoa(''), crypto.getRandomValues(new Uint8Array(4)).length);
  console.log(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()));
  console.log(typeof performance.now(), typeof globalThis.setTimeout);
  const shared = { s: 1 };
  const original = { n: 1, d: new Date(5), re: /x/g, m: new Map([[1, shared]]), set: new Set([shared]), u8: new Uint8Array([1, 2]), a: [shared, shared], e: new RangeError('r'), self: null as unknown };
  original.self = original;
  const copy = structuredClone(original);
  console.log(copy !== original, copy.self === copy, copy.a[0] === copy.a[1], copy.a[0] !== shared, copy.m.get(1) === copy.a[0], copy.d.getTime(), String(copy.re), copy.u8, copy.e instanceof RangeError, copy.e.message);
  for (const bad of [() => {}, Symbol('s'), { f() {} }]) { try { structuredClone(bad); } catch (e) { console.log('not cloneable', (e as Error).name); } }
})();
`);
});

test('the language additions TypeScript output relies on work as in Node', () => {
  sameAsNode(`
const [a, b, ...rest] = [1, 2, 3, 4];
console.log(a, b, rest, [...'a😀b'], Array.from('xy', (c) => c + c), Array.of(7, 8));
function args(..._: number[]) { return Array.from(arguments); }
console.log(args(1, 2), [1, [2, [3, [4]]]].flat(), [1, [2, [3, [4]]]].flat(Infinity), [1, 2].flatMap((x) => [x, x * 10]));
console.log([1, 2, 3].find((x) => x > 1), [1, 2, 3].findIndex((x) => x > 5), [NaN].includes(NaN), [1, 2, 3].fill(0, 1), [1, 2, 3].at(-1));
console.log(Object.entries({ x: 1, y: 2 }), Object.values({ x: 1 }), Object.fromEntries([['k', 'v']]), Object.fromEntries(new Map([['m', 1]])));
console.log('x'.padStart(3, 'ab'), 'x'.padEnd(4), '  t  '.trimStart() + '|', '|' + '  t  '.trimEnd(), 'a-b-c'.replaceAll('-', '+'), 'abc'.at(-1));
console.log('😀'.codePointAt(0), String.fromCodePoint(0x1f600).length, 'abc'.startsWith('ab'), 'abc'.includes('d'), 'ab'.repeat(2));
console.log(Number.isInteger(5), Number.isSafeInteger(2 ** 53), Number.EPSILON > 0, Math.trunc(-4.7), Math.sign(-3), Math.log2(8), Math.cbrt(27), Math.hypot(3, 4));
console.log(Math.fround(5.5), Math.tanh(0), Math.sinh(0), Math.expm1(0), Math.log1p(0), Math.asinh(0), Math.atanh(0));
const o = { ...{ a: 1 }, b: 2 }; console.log(o, Object.assign({}, o, { c: 3 }));
const u8 = new Uint8Array([3, 1, 20, 2]);
console.log(u8.slice(1, 3), u8.map((x) => x * 2), [...u8], u8.includes(20), u8.indexOf(2), u8.sort(), Array.from(u8.entries()).length);
const m = new Map([['a', 1]]); for (const [k, v] of m) console.log(k, v);
function* g() { yield 1; yield* [2, 3]; } console.log([...g()]);
class Base { hi() { return 'base'; } } class Sub extends Base { hi() { return 'sub+' + super.hi(); } } console.log(new Sub().hi(), new Sub() instanceof Base);
class MyError extends Error { constructor(m: string) { super(m); this.name = 'MyError'; } }
try { throw new MyError('mine'); } catch (e) { console.log((e as Error).message, (e as Error).name); }
console.log(JSON.stringify(['\\u2028\\u2029', '\\\\u2028', 'a\\ud800b', '\\udc00', '😀']), JSON.stringify({ a: [1] }, null, 1));
console.log('abc'.replaceAll('', '-'), 'aaa'.replaceAll('a', '$&$&'), 'a.b'.replaceAll('.', (m, i) => m + i), 'xyx'.replaceAll('y', "$\`|$'|$$"), 'ab'.replaceAll(/b/g, 'c'));
console.log([3, 1, 2].sort(), [1, 2, 3, 4].map((n) => ({ n, k: n % 2 })).sort((a, b) => a.k - b.k).map((x) => x.n), [1, 2, 3].splice(1), [1, 2].splice(), [1, 2, 3, 4, 5].copyWithin(0, 3));
console.log([...'a1b2'.matchAll(/[a-z](\\d)/g)].map((m) => m[1] + '@' + m.index), Symbol('d').description, String.fromCharCode(0x10041), Object.hasOwn({ q: 1 }, 'q'));
for (const w of ['e\\u0301', 'Crème Brûlée', 'Việt Nam', 'a\\u0302\\u0323', 'ǖ']) {
  console.log(w.normalize(), w.normalize('NFD').length, w.normalize('NFD').replace(/[\\u0300-\\u036f]/g, ''), w.normalize('NFKC').length);
}
console.log(typeof Symbol.asyncIterator, typeof globalThis, [..."ab"].entries().next());
`);
});

test('a service answers requests; its errors come back as JSON at the source line', () => {
  const { log, sent } = serve(
    `interface Greeting { hello: string | null }
export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/throw') throw new Error('boom');
    if (url.pathname === '/reject') return Promise.reject(new RangeError('no'));
    if (url.pathname === '/string') return 'not a response' as unknown as Response;
    if (url.pathname === '/late') {
      await new Promise((r) => setTimeout(r, 100));
      return new Response('late', { headers: { 'X-Late': 'yes' } });
    }
    if (request.method === 'POST') return Response.json({ got: await request.json(), type: request.headers.get('content-type') });
    const body: Greeting = { hello: url.searchParams.get('name') };
    console.log('serving', url.pathname);
    return Response.json(body);
  },
};
`,
    [
      ['GET', 'http://x/?name=ada'],
      ['GET', 'http://x/throw'],
      ['GET', 'http://x/late'],
      ['GET', 'http://x/reject'],
      ['GET', 'http://x/string'],
      ['POST', 'http://x/', '{"n":[1,2]}'],
    ],
  );
  const json = 'application/json';
  assert.deepEqual(sent, [
    { id: 1, status: 200, statusText: '', headers: ['content-type', json], body: '{"hello":"ada"}' },
    {
      id: 2,
      status: 500,
      statusText: 'Internal Server Error',
      headers: ['content-type', json],
      body: '{"error":"script-error","message":"Error: boom","line":5,"column":36}',
    },
    {
      id: 4,
      status: 500,
      statusText: 'Internal Server Error',
      headers: ['content-type', json],
      body: '{"error":"script-error","message":"RangeError: no","line":6,"column":37}',
    },
    {
      id: 5,
      status: 500,
      statusText: 'Internal Server Error',
      headers: ['content-type', json],
      body: `{"error":"script-error","message":"TypeError: the fetch handler returned 'not a response', not a Response"}`,
    },
    {
      id: 6,
      status: 200,
      statusText: '',
      headers: ['content-type', json],
      body: `{"got":{"n":[1,2]},"type":"${json}"}`,
    },
    {
      id: 3,
      status: 200,
      statusText: '',
      headers: ['content-type', 'text/plain;charset=UTF-8', 'x-late', 'yes'],
      body: 'late',
    },
  ]);
  assert.deepEqual(log, [
    'serving /',
    'error: script error at 5:36: Error: boom',
    'error: script error at 6:37: RangeError: no',
    "error: script error: TypeError: the fetch handler returned 'not a response', not a Response",
  ]);
});

test('errors outside a request are logged at their source line', () => {
  const { log, sent } = serve(
    `export default {
  fetch(_request: Request, _env: unknown, ctx: { waitUntil(p: Promise<unknown>): void }) {
    setTimeout(() => { throw new TypeError('from a timer'); }, 10);
    queueMicrotask(() => { throw new RangeError('from a microtask'); });
    ctx.waitUntil(Promise.reject(new Error('from waitUntil')));
    return new Response(null, { status: 204 });
  },
};
`,
    [['GET', 'http://x/']],
  );
  assert.deepEqual(sent, [{ id: 1, status: 204, statusText: '', headers: [], body: null }]);
  assert.deepEqual(log, [
    'error: script error at 4:5: RangeError: from a microtask',
    'error: script error at 5:5: Error: from waitUntil',
    'error: script error at 3:5: TypeError: from a timer',
  ]);
});

test('a script that throws while loading, or has no handler', () => {
  const failing = serve(
    `const x = 1;\nconst y: number = (globalThis as any).nothing.here;\nexport default { fetch: () => new Response(String(x + y)) };\n`,
    [['GET', 'http://x/']],
  );
  assert.equal(failing.log.length, 1);
  assert.match(
    failing.log[0],
    /^load failed \{"error":"script-error","message":"TypeError: [^"]+","line":2,"column":1\}$/,
  );
  assert.equal(failing.sent[0].status, 500);
  assert.match(failing.sent[0].body!, /"error":"no-handler"/);

  const none = serve(`export const notAHandler = 1;\n`, [['GET', 'http://x/']]);
  assert.deepEqual(none.log, []);
  assert.deepEqual(JSON.parse(none.sent[0].body!), {
    error: 'no-handler',
    message: 'the script has no default export with a fetch(request) method',
  });
  const plain = serve(`module.exports = { fetch: function () { return new Response('cjs'); } };\n`, [
    ['GET', 'http://x/'],
  ]);
  assert.equal(plain.sent[0].body, 'cjs');
});

test('errorInfo maps positions through the linemap, or gives the script line without one', () => {
  const main = `
function thrown(f) { try { f(); } catch (e) { return e; } }
__tabcloud.load(function () {}, '1:1,,7:3');
print(JSON.stringify(__tabcloud.errorInfo(thrown(globalThis.__user.line1))));
print(JSON.stringify(__tabcloud.errorInfo(thrown(globalThis.__user.line3))));
print(JSON.stringify(__tabcloud.errorInfo(thrown(globalThis.__user.viaLine2))));
print(JSON.stringify(__tabcloud.errorInfo('a string')));
print(JSON.stringify(__tabcloud.errorInfo({ an: 'object' })));
__tabcloud.load(function () {}, '');
print(JSON.stringify(__tabcloud.errorInfo(thrown(globalThis.__user.line3))));
`;
  // The user's script, lines 1-3 (its wrapper's first line is line 1 too).
  const script = `globalThis.__user.line1 = function () { throw new Error('one'); };
globalThis.__user.helper = function () { throw new TypeError('in unmapped line 2'); };
globalThis.__user.line3 = function () { null.x; }; globalThis.__user.viaLine2 = function () { globalThis.__user.helper(); };`;
  const out = duk(
    `globalThis.__user = {};\n(${'globalThis.__userScript'})();\n${main}`,
    `}; globalThis.__userScript = function () {${script}`,
  );
  assert.deepEqual(out.trimEnd().split('\n'), [
    '{"error":"script-error","message":"Error: one","line":1,"column":1}',
    `{"error":"script-error","message":"TypeError: cannot read property 'x' of null","line":7,"column":3}`,
    '{"error":"script-error","message":"TypeError: in unmapped line 2","line":7,"column":3}',
    '{"error":"script-error","message":"a string"}',
    `{"error":"script-error","message":"{ an: 'object' }"}`,
    `{"error":"script-error","message":"TypeError: cannot read property 'x' of null","line":3}`,
  ]);
});

test('a hook aborted by the execution timeout leaves the job and timer queues consistent', () => {
  // The harness's write throws once, like the timeout firing in the middle of the prelude.
  const out = duk(`
function hook(name) {
  try { return __tabcloud[name].apply(null, Array.prototype.slice.call(arguments, 1)); } catch (e) { print(name + ' threw ' + e.message); }
}
var ticks = 0;
hook('load', function () {
  queueMicrotask(function () { console.log('first'); });
  queueMicrotask(function () { globalThis.__abortOnError = true; throw new Error('aborts the hook'); });
  queueMicrotask(function () { console.log('third'); });
  var iv = setInterval(function () {
    console.log('interval', ++ticks);
    if (ticks === 2) { globalThis.__abortOnError = true; throw new Error('aborts the tick'); }
    if (ticks === 3) clearInterval(iv);
  }, 10);
  setTimeout(function () { console.log('timeout'); }, 15);
}, '');
for (var i = 0; i < 6; i++) { __clock += 10; hook('tick'); }
`);
  assert.equal(
    out,
    [
      'first',
      'load threw execution timeout',
      'third',
      'interval 1',
      'timeout',
      'interval 2',
      'tick threw execution timeout',
      'interval 3',
      '',
    ].join('\n'),
  );
});

/** A fake server for the harness's stand-in HTTP client (ES5): it prints what it was sent. */
const FAKE_SERVER = `
globalThis.__server = function (method, url, headers, body) {
  var path = url.replace(/^[a-z]+:\\/\\/[^\\/]+/, '');
  if (path !== '/loop') print('server ' + JSON.stringify([method, url, headers, body && body.length > 40 ? body.length : body]));
  if (path === '/missing') return 'cannot resolve db: no such appliance on this network';
  if (path === '/moved') return [302, 'Found', ['Location', '/json'], ''];
  if (path === '/see-other') return [303, 'See Other', ['location', 'http://other:8080/json'], ''];
  if (path === '/loop') return [307, 'Temporary Redirect', ['location', '/loop'], ''];
  if (path === '/json') return [200, 'OK', ['Content-Type', 'application/json', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2'], '{"n":1}'];
  if (path === '/empty') return [204, 'No Content', [], null];
  return [201, 'Created', ['X-Echo', method], body];
};
`;

test('fetch sends what the script asked and hands back the response (a stand-in client)', () => {
  const { log } = serve(
    `const short = (s: string) => (s.length > 40 ? s.length : JSON.stringify(s));
const show = async (p: Promise<Response>) => {
  try {
    const r = await p;
    console.log(r.status, r.statusText, r.ok, r.url, r.redirected, r.type, JSON.stringify([...r.headers]), short(await r.text()), r.bodyUsed);
  } catch (e) {
    console.log('rejected', (e as Error).name, (e as Error).message);
  }
};
(async () => {
  await show(fetch('http://db/keys/a?x=1#frag', { method: 'PUT', body: 'héllo', headers: { 'X-Key': 'k', Host: 'evil', 'Content-Length': '99' } }));
  await show(fetch(new URL('http://db/json')));
  await show(fetch(new Request('http://db/echo', { method: 'POST', body: new URLSearchParams({ a: 'b c' }) })));
  await show(fetch('http://db/echo', { method: 'post', body: new Uint8Array([104, 105]).buffer, headers: [['accept', 'text/plain']] }));
  await show(fetch('http://db/echo', { method: 'POST', body: new Uint16Array([0x6968]), headers: new Headers({ 'x-h': '1' }) }));
  await show(fetch('http://db/missing'));
  await show(fetch('http://db/moved'));
  await show(fetch('http://db/moved', { redirect: 'manual' }));
  await show(fetch('http://db/moved', { redirect: 'error' }));
  await show(fetch('http://db/see-other', { method: 'POST', body: 'gone', headers: { authorization: 'secret', 'x-keep': '1' } }));
  await show(fetch('http://db/loop'));
  await show(fetch('http://db/empty'));
  await show(fetch('http://db/echo', { method: 'POST', body: 'x'.repeat(1024 * 1024) }));
  await show(fetch('http://db/echo', { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) }));
  await show(fetch('ftp://db/'));
  await show(fetch('/relative'));
  await show(fetch('http://db/', { method: 'GET', body: 'x' }));
  const j = await fetch('http://db/json');
  console.log(await j.json(), j.headers.getSetCookie(), j.headers.get('set-cookie'));
  const b = await fetch('http://db/echo', { method: 'POST', body: new Uint8Array([0xc3, 0xbc]) });
  console.log(new Uint8Array(await b.arrayBuffer()), b.bodyUsed);
  const used = new Request('http://db/echo', { method: 'POST', body: 'once' });
  await fetch(used);
  console.log(used.bodyUsed);
  await show(fetch(used));
})();
`,
    [],
    FAKE_SERVER,
  );
  const text = 'text/plain;charset=UTF-8';
  const created = (body: string, method = 'POST') =>
    `201 Created true http://db/echo false basic [["x-echo","${method}"]] ${JSON.stringify(body)} true`;
  assert.deepEqual(log, [
    `server ["PUT","http://db/keys/a?x=1",["x-key","k","content-type","${text}","accept","*/*"],"héllo"]`,
    `201 Created true http://db/keys/a?x=1 false basic [["x-echo","PUT"]] "héllo" true`,
    'server ["GET","http://db/json",["accept","*/*"],null]',
    `200 OK true http://db/json false basic [["content-type","application/json"],["set-cookie","a=1"],["set-cookie","b=2"]] "{\\"n\\":1}" true`,
    'server ["POST","http://db/echo",["content-type","application/x-www-form-urlencoded;charset=UTF-8","accept","*/*"],"a=b+c"]',
    created('a=b+c'),
    'server ["POST","http://db/echo",["accept","text/plain"],"hi"]',
    created('hi'),
    'server ["POST","http://db/echo",["x-h","1","accept","*/*"],"hi"]',
    created('hi'),
    'server ["GET","http://db/missing",["accept","*/*"],null]',
    'rejected TypeError cannot resolve db: no such appliance on this network',
    'server ["GET","http://db/moved",["accept","*/*"],null]',
    'server ["GET","http://db/json",["accept","*/*"],null]',
    `200 OK true http://db/json true basic [["content-type","application/json"],["set-cookie","a=1"],["set-cookie","b=2"]] "{\\"n\\":1}" true`,
    'server ["GET","http://db/moved",["accept","*/*"],null]',
    '302 Found false http://db/moved false basic [["location","/json"]] "" true',
    'server ["GET","http://db/moved",["accept","*/*"],null]',
    'rejected TypeError fetch to db: redirected, and redirect is "error"',
    `server ["POST","http://db/see-other",["authorization","secret","x-keep","1","content-type","${text}","accept","*/*"],"gone"]`,
    'server ["GET","http://other:8080/json",["x-keep","1","accept","*/*"],null]',
    `200 OK true http://other:8080/json true basic [["content-type","application/json"],["set-cookie","a=1"],["set-cookie","b=2"]] "{\\"n\\":1}" true`,
    'rejected TypeError fetch to db: redirect count exceeded',
    'server ["GET","http://db/empty",["accept","*/*"],null]',
    '204 No Content true http://db/empty false basic [] "" false',
    `server ["POST","http://db/echo",["content-type","${text}","accept","*/*"],1048576]`,
    `201 Created true http://db/echo false basic [["x-echo","POST"]] 1048576 true`,
    'rejected TypeError fetch to db: the request body is 1048577 bytes; at most 1 MiB is sent',
    'rejected TypeError fetch: ftp://db/: only http: and https: URLs are supported',
    'rejected TypeError Failed to parse URL from /relative',
    'rejected TypeError Request with GET/HEAD method cannot have body.',
    'server ["GET","http://db/json",["accept","*/*"],null]',
    "{ n: 1 } [ 'a=1', 'b=2' ] a=1, b=2",
    'server ["POST","http://db/echo",["accept","*/*"],"ü"]',
    'Uint8Array(2) [ 195, 188 ] true',
    `server ["POST","http://db/echo",["content-type","${text}","accept","*/*"],"once"]`,
    'true',
    'rejected TypeError Cannot construct a Request with a Request object that has already been used.',
  ]);
});

test('a handler waits on fetches; beyond the requests the client takes at once, they wait their turn', () => {
  const { log, sent } = serve(
    `export default {
  async fetch(request: Request): Promise<Response> {
    const n = Number(new URL(request.url).searchParams.get('n'));
    const texts = await Promise.all(Array.from({ length: n }, (_, i) => fetch('http://db/echo', { method: 'POST', body: String(i) }).then((r) => r.text())));
    return new Response(texts.join(','));
  },
};
`,
    [
      ['GET', 'http://x/?n=5'],
      ['GET', 'http://x/?n=1'],
    ],
    `globalThis.__fetchRoom = 2;
globalThis.__server = function (method, url, headers, body) { print('server ' + body); return [200, 'OK', [], body]; };`,
  );
  assert.deepEqual(log, ['server 0', 'server 1', 'server 2', 'server 3', 'server 4', 'server 0']);
  assert.deepEqual(
    sent.map((s) => [s.id, s.status, s.body]),
    [
      [1, 200, '0,1,2,3,4'],
      [2, 200, '0'],
    ],
  );
});

/** A server as a function (ES5, so the guest's stand-in client can run it too): [status, text, headers, body]. */
const SERVER = `function (method, url, headers, body) {
  var path = url.replace(/^[a-z]+:\\/\\/[^\\/]+/, '');
  function header(name) {
    for (var i = 0; i + 1 < headers.length; i += 2) if (String(headers[i]).toLowerCase() === name) return headers[i + 1];
    return null;
  }
  if (path === '/json') return [200, 'OK', ['Content-Type', 'application/json; charset=utf-8', 'X-Count', '3'], JSON.stringify({ list: [1, 'two', null], ok: true })];
  if (path === '/moved') return [302, 'Found', ['Location', '/json'], ''];
  if (path === '/see-other') return [303, 'See Other', ['Location', '/echo'], ''];
  if (path === '/temporary') return [307, 'Temporary Redirect', ['Location', 'echo?again=1'], ''];
  if (path === '/missing') return [404, 'Not Found', ['Content-Type', 'text/plain'], 'no such thing'];
  if (path === '/empty') return [204, 'No Content', [], null];
  if (path === '/cookies') return [200, 'OK', ['Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'X-Dup', 'x', 'X-Dup', 'y'], 'c'];
  return [201, 'Created', ['Content-Type', 'application/json'], JSON.stringify({ method: method, path: path, type: header('content-type'), accept: header('accept'), x: header('x-custom'), body: body })];
}`;

/** Runs a bundle in Node against SERVER on a loopback port (globalThis.BASE is its origin). */
async function inNodeWithServer(code: string): Promise<string> {
  const answer = new Function(`return ${SERVER}`)() as (...a: unknown[]) => [number, string, string[], string | null];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = chunks.length ? Buffer.concat(chunks).toString() : null;
      const [status, text, headers, out] = answer(req.method, req.url, req.rawHeaders, body);
      const grouped: Record<string, string[]> = {};
      for (let i = 0; i + 1 < headers.length; i += 2) (grouped[headers[i]!] ??= []).push(headers[i + 1]!);
      res.writeHead(status, text, grouped);
      res.end(out ?? undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const file = join(dir, `node-${runs++}.cjs`);
  writeFileSync(file, `globalThis.BASE = 'http://127.0.0.1:${port}';\n${code}`);
  try {
    return await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['-r', join(dir, 'helpers.cjs'), file],
        { timeout: 20_000 },
        (error, stdout, stderr) => (error ? reject(new Error(`node failed:\n${stderr}`)) : resolve(stdout)),
      ),
    );
  } finally {
    server.close();
  }
}

test('fetch against a server behaves as in Node: status, headers, bodies, redirects', async () => {
  const code = bundle(`
const BASE = (globalThis as unknown as { BASE: string }).BASE;
const rel = (u: string) => u.replace(BASE, '');
async function show(label: string, p: Promise<Response>): Promise<Response | undefined> {
  try {
    const r = await p;
    console.log(label, r.status, r.statusText, r.ok, rel(r.url), r.redirected, r.type, r.headers.get('content-type'), r.bodyUsed);
    return r;
  } catch (e) {
    console.log(label, 'rejected', (e as Error).name);
  }
}
(async () => {
  const j = (await show('json', fetch(BASE + '/json')))!;
  console.log(await j.json(), j.bodyUsed, j.headers.get('x-count'), j.headers.has('X-Count'));
  try { await j.text(); } catch (e) { console.log('second read', (e as Error).name); }
  const init = { method: 'POST', body: JSON.stringify({ a: 1 }), headers: { 'Content-Type': 'application/json', 'X-Custom': 'yes' } };
  console.log(await (await show('post json', fetch(BASE + '/echo?q=1', init)))!.json());
  console.log(await (await show('post text', fetch(BASE + '/echo', { method: 'PUT', body: 'héllo ✓' })))!.json());
  console.log(await (await show('post form', fetch(new URL('/echo', BASE), { method: 'POST', body: new URLSearchParams({ k: 'v w' }) })))!.json());
  console.log(await (await show('post bytes', fetch(BASE + '/echo', { method: 'POST', body: new TextEncoder().encode('bytes').buffer })))!.json());
  console.log(await (await show('post view', fetch(BASE + '/echo', { method: 'PATCH', body: new Uint8Array([104, 105]), headers: [['x-custom', 'pairs']] })))!.json());
  const req = new Request(BASE + '/echo', { method: 'DELETE', headers: new Headers({ 'x-custom': 'from a Request' }) });
  console.log(await (await show('request', fetch(req)))!.json());
  console.log(await (await show('moved', fetch(BASE + '/moved')))!.json());
  const manual = (await show('manual', fetch(BASE + '/moved', { redirect: 'manual' })))!;
  console.log(manual.headers.get('location'), await manual.text());
  await show('error', fetch(BASE + '/moved', { redirect: 'error' }));
  console.log(await (await show('see other', fetch(BASE + '/see-other', { method: 'POST', body: 'dropped' })))!.json());
  console.log(await (await show('temporary', fetch(BASE + '/temporary', { method: 'POST', body: 'kept' })))!.json());
  const missing = (await show('missing', fetch(BASE + '/missing')))!;
  console.log(await missing.text());
  const empty = (await show('empty', fetch(BASE + '/empty')))!;
  console.log(empty.body, JSON.stringify(await empty.text()), empty.bodyUsed);
  const head = (await show('head', fetch(BASE + '/json', { method: 'HEAD' })))!;
  console.log(head.body, JSON.stringify(await head.text()), head.headers.get('x-count'));
  const cookies = (await show('cookies', fetch(BASE + '/cookies')))!;
  console.log(cookies.headers.getSetCookie(), cookies.headers.get('x-dup'), cookies.headers.get('set-cookie'));
  const copy = cookies.clone();
  console.log(new Uint8Array(await cookies.arrayBuffer()), await copy.text(), cookies.bodyUsed, copy.bodyUsed);
  await show('bad url', fetch('http://exa mple/'));
  await show('scheme', fetch('ftp://x/'));
  await show('get body', fetch(BASE + '/echo', { body: 'x' }));
  await show('bad method', fetch(BASE + '/echo', { method: 'CONNECT' }));
  await show('bad header', fetch(BASE + '/echo', { headers: { 'a b': '1' } }));
})();
`);
  const guest = duk(
    `globalThis.BASE = 'http://db';\nglobalThis.__server = ${SERVER};\n__tabcloud.load(globalThis.__user, ''); __run();\n`,
    code,
  );
  assert.equal(guest, await inNodeWithServer(code));
});
