// `tabcloud run js --user-data app.ts`: the service module is transpiled before the guest boots.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { serve, tabcloud, type Service } from './testing.ts';

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tabcloud-cli-js-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes a user-data file into the test's directory. */
async function script(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

/** GET on a fresh connection: [status, body]. */
function get(url: string): Promise<[number, string]> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve([res.statusCode!, body]));
    });
    req.on('error', reject);
    req.end();
  });
}

/** `tabcloud run js --user-data path -p <free port>:80` on engine, once it prints READY js. */
function serveJs(path: string, engine: string): Promise<Service> {
  return serve(['js', '--user-data', path, '--engine', engine], 'js');
}

test('syntax errors and imports print file:line:column lines and exit 2 before booting', async () => {
  const path = await script(
    'broken.ts',
    'import { helper } from "./helper";\nexport default {\n  fetch(req: Request) {\n    return new Response(;\n  },\n};\n',
  );
  const start = performance.now();
  const r = await tabcloud(['run', 'js', '--user-data', path, '--timeout', '20']);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(
    r.stderr,
    `${path}:1:1: imports are not available in the js appliance: './helper' cannot be loaded; put its code in this file\n` +
      `${path}:4:25: ')' expected.\n`,
  );
  assert.doesNotMatch(r.stdout, /READY/);
  assert.ok(performance.now() - start < 15_000);
});

test('a .js file is checked as JavaScript: a type annotation is an error at its column', async () => {
  const path = await script(
    'typed.js',
    'const n: number = 1;\nexport default { fetch() { return new Response(String(n)); } };\n',
  );
  const r = await tabcloud(['run', 'js', '--user-data', path]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, `${path}:1:10: Type annotations can only be used in TypeScript files.\n`);
});

test('a runtime error in the guest is reported at the line and column of the TypeScript source', async () => {
  const path = await script(
    'throws.ts',
    [
      'interface Order { id: number; items: string[] }', // 1
      'const orders: Order[] = [];', // 2
      '', // 3
      'function total(o: Order): number {', // 4
      '  return o.items.length;', // 5
      '}', // 6
      'export default {', // 7
      '  fetch(): Response {', // 8
      '    const missing = orders[0] as Order;', // 9
      '    return new Response(String(total(missing)));', // 10
      '  },', // 11
      '};', // 12
    ].join('\n'),
  );
  const service = await serveJs(path, 'v86');
  try {
    const [status, body] = await get(`http://127.0.0.1:${service.port}/`);
    assert.equal(status, 500);
    const error = JSON.parse(body) as { error: string; message: string; line: number; column: number };
    assert.equal(error.error, 'script-error');
    assert.match(error.message, /TypeError/);
    assert.deepEqual([error.line, error.column], [5, 3], body);
  } finally {
    await service.stop();
  }
});

for (const engine of ['v86', 'qemu']) {
  test(`a TypeScript service answers through -p (${engine})`, async () => {
    const path = await script(
      `app-${engine}.ts`,
      [
        'interface Greeting { text: string; n: number }',
        'class Counter { private n = 0; next(): number { return ++this.n; } }',
        'const counter = new Counter();',
        'export default {',
        '  async fetch(request: Request): Promise<Response> {',
        '    const { pathname } = new URL(request.url);',
        '    const g: Greeting = { text: `hello from ${pathname}`, n: counter.next() };',
        '    return new Response(JSON.stringify(g), { headers: { "content-type": "application/json" } });',
        '  },',
        '};',
        'console.log("service loaded");',
      ].join('\n'),
    );
    const service = await serveJs(path, engine);
    try {
      assert.match(service.stdout(), /service loaded/);
      assert.deepEqual(await get(`http://127.0.0.1:${service.port}/a`), [200, '{"text":"hello from /a","n":1}']);
      assert.deepEqual(await get(`http://127.0.0.1:${service.port}/b`), [200, '{"text":"hello from /b","n":2}']);
    } finally {
      await service.stop();
    }
  });
}
