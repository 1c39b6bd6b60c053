// `tabcloud up` as a user runs it: real processes, Node's fetch, QEMU; a bad file is exit 2 before anything starts.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from './publish.ts';
import { tabcloud } from './testing.ts';

const CLI = fileURLToPath(new URL('../bin/tabcloud.js', import.meta.url));
const IMAGES = fileURLToPath(new URL('../public/images/', import.meta.url));
/** Five machines booting at once on a shared, loaded machine: generous. */
const UP_MS = 240_000;

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tabcloud-up-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes `files` (name → text) into a new folder of the test's directory; returns the folder. */
async function folder(name: string, files: Record<string, string>): Promise<string> {
  const path = join(dir, name);
  await mkdir(path, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(join(path, file), text);
  return path;
}

/** `tabcloud up` running in `cwd`, its output collected. */
class Up {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(cwd: string, args: string[] = []) {
    this.child = spawn(process.execPath, [CLI, 'up', ...args], { cwd, stdio: 'pipe' });
    this.child.stdout.on('data', (d: Buffer) => (this.stdout += d.toString('latin1')));
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString('latin1')));
    this.exited = new Promise((resolve) => this.child.once('close', resolve));
  }

  /** Resolves once stdout or stderr (`where`) matches; rejects on exit or after ms. */
  async waitFor(pattern: RegExp, ms: number, where: 'stdout' | 'stderr' = 'stdout'): Promise<RegExpExecArray> {
    const start = Date.now();
    for (;;) {
      const match = pattern.exec(this[where]);
      if (match) return match;
      if (this.child.exitCode !== null || Date.now() - start > ms) {
        assert.fail(
          `no ${pattern} ${this.child.exitCode !== null ? 'before the exit' : `within ${ms} ms`}:\n${this.stdout}\n${this.stderr}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  type(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }
}

/** The pids of the QEMUs that `parent` started. */
async function qemuChildren(parent: number): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const match = /^\d+ \((.*)\) \S+ (\d+)/.exec(stat);
    if (match?.[1] === 'qemu-system-i38' && Number(match[2]) === parent) pids.push(Number(entry));
  }
  return pids;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('tabcloud up: three appliances on v86 and two on QEMU, one LAN', () => {
  let up: Up;
  let apiPort: number;
  let qdbPort: number;

  before(async () => {
    [apiPort, qdbPort] = [await freePort(), await freePort()];
    const cwd = await folder('lan', {
      'tabcloud.json': JSON.stringify({
        appliances: {
          db: { image: 'kv', userData: 'db.json', allowNet: ['*'] },
          web: { image: 'static' },
          api: { image: 'js', userData: 'api.ts', publish: [`${apiPort}:80`] },
          qdb: { image: 'kv', engine: 'qemu', userData: 'qdb.json', publish: [`${qdbPort}:80`], allowNet: ['*'] },
          qweb: { image: 'static', engine: 'qemu' },
        },
      }),
      'db.json': JSON.stringify({ who: 'db on v86' }),
      'qdb.json': JSON.stringify({ who: 'qdb on qemu' }),
      // A service that calls two others by name, one under each engine.
      'api.ts': `export default {
  async fetch(): Promise<Response> {
    const [db, qdb] = await Promise.all([fetch('http://db/keys/who'), fetch('http://qdb.tabcloud/keys/who')]);
    return new Response(\`\${await db.text()} + \${await qdb.text()}\`);
  },
};
`,
    });
    up = new Up(cwd);
  });

  after(async () => {
    // Should a test fail midway: its QEMUs, found before tabcloud goes (they would then belong to init).
    const qemus = await qemuChildren(up.child.pid!);
    if (up.child.exitCode === null) up.child.kill('SIGKILL');
    for (const pid of qemus) process.kill(pid, 'SIGKILL');
  });

  test('all five boot, each on its address, consoles prefixed by name', { timeout: UP_MS }, async () => {
    const [line] = await up.waitFor(/^tabcloud: up: .*$/m, UP_MS, 'stderr');
    for (const name of ['db', 'web', 'api', 'qdb', 'qweb'])
      assert.match(line, new RegExp(`\\b${name} 10\\.0\\.2\\.\\d+`));
    // stdout and stderr are two pipes: the READY lines may arrive after the summary.
    await up.waitFor(/^db {3}\| READY kv$/m, 10_000);
    await up.waitFor(/^api {2}\| READY js$/m, 10_000);
    await up.waitFor(/^qweb \| READY static$/m, 10_000);
  });

  test('guests reach each other by name, from v86 to QEMU and back', { timeout: UP_MS }, async () => {
    up.type('qdb: fetch http://db/keys/who');
    await up.waitFor(/^qdb {2}\| db on v86$/m, 60_000);
    up.type('web: fetch http://qdb.tabcloud/keys/who');
    await up.waitFor(/^web {2}\| qdb on qemu$/m, 60_000);
    up.type('qweb: fetch http://web.tabcloud/');
    await up.waitFor(/^qweb \| <title>static: a unikernel web server<\/title>$/m, 60_000);
    up.type('db: fetch http://nobody/');
    await up.waitFor(/^db {3}\| fetch: cannot resolve nobody: no such appliance on this network$/m, 60_000);
  });

  test(
    'calls out to the web go through the host, on v86 and on QEMU, as allowNet says',
    { timeout: UP_MS },
    async () => {
      // Node's fetch answers for the host: a name that does not resolve is a 502 with Node's reason.
      up.type('db: fetch http://no-such-host.invalid/a');
      await up.waitFor(
        /^db {3}\| The host could not fetch http:\/\/no-such-host\.invalid\/a: cannot resolve the name/m,
        60_000,
      );
      up.type('qdb: fetch http://no-such-host.invalid/b');
      await up.waitFor(
        /^qdb {2}\| The host could not fetch http:\/\/no-such-host\.invalid\/b: cannot resolve/m,
        60_000,
      );
      up.type('web: fetch http://no-such-host.invalid/c');
      await up.waitFor(/^web {2}\| HTTP\/1\.1 403 Forbidden$/m, 60_000);
      await up.waitFor(
        /^web {2}\| .*To allow it, add the host to appliances\.web\.allowNet in tabcloud\.json/m,
        60_000,
      );
    },
  );

  test('a js service calls the others by name through its published port', { timeout: UP_MS }, async () => {
    const response = await fetch(`http://127.0.0.1:${apiPort}/`);
    assert.equal(await response.text(), 'db on v86 + qdb on qemu');
  });

  test('published ports answer, on v86 and on QEMU, with standard input closed', { timeout: UP_MS }, async () => {
    up.child.stdin.end();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const put = await fetch(`http://127.0.0.1:${qdbPort}/keys/from-host`, { method: 'PUT', body: 'hello' });
    assert.equal(put.status, 201);
    assert.equal(await (await fetch(`http://127.0.0.1:${qdbPort}/keys/from-host`)).text(), 'hello');
    assert.equal(await (await fetch(`http://127.0.0.1:${apiPort}/`)).text(), 'db on v86 + qdb on qemu');
    assert.equal(up.child.exitCode, null);
  });

  test('SIGTERM stops them all: exit 0, no QEMU left', { timeout: UP_MS }, async () => {
    const qemus = await qemuChildren(up.child.pid!);
    assert.equal(qemus.length, 2);
    up.child.kill('SIGTERM');
    assert.equal(await up.exited, 0);
    assert.match(up.stderr, /SIGTERM: stopping 5 appliances/);
    assert.deepEqual(qemus.filter(alive), []);
    await assert.rejects(fetch(`http://127.0.0.1:${qdbPort}/`));
  });
});

describe("tabcloud up: the playground's database template, a js service on the kv named kv", () => {
  const template = fileURLToPath(new URL('../web/templates/database.ts', import.meta.url));

  /** `tabcloud up` of `appliances` in a new folder, once all are up; stopped by the caller. */
  async function upWith(name: string, appliances: unknown): Promise<Up> {
    const up = new Up(await folder(name, { 'tabcloud.json': JSON.stringify({ appliances }) }));
    up.child.stdin.end();
    await up.waitFor(/^tabcloud: up: /m, UP_MS, 'stderr');
    return up;
  }

  test('notes go through the service into the database, by name', { timeout: UP_MS }, async () => {
    const [apiPort, dbPort] = [await freePort(), await freePort()];
    const up = await upWith('notes', {
      kv: { image: 'kv', publish: [`${dbPort}:80`] },
      api: { image: 'js', userData: template, publish: [`${apiPort}:80`] },
    });
    try {
      const put = await fetch(`http://127.0.0.1:${apiPort}/notes/hello`, { method: 'PUT', body: 'a note' });
      assert.equal(put.status, 201, await put.clone().text());
      assert.deepEqual(await put.json(), { name: 'hello', bytes: 6 });
      assert.equal(await (await fetch(`http://127.0.0.1:${apiPort}/notes/hello`)).text(), 'a note');
      assert.deepEqual(await (await fetch(`http://127.0.0.1:${apiPort}/notes`)).json(), ['hello']);
      assert.equal(await (await fetch(`http://127.0.0.1:${dbPort}/keys/note.hello`)).text(), 'a note');
    } finally {
      up.child.kill('SIGTERM');
      assert.equal(await up.exited, 0);
    }
  });

  test('without a kv on the LAN the service says so with a 503 naming it', { timeout: UP_MS }, async () => {
    const apiPort = await freePort();
    const up = await upWith('no-db', {
      store: { image: 'kv' },
      api: { image: 'js', userData: template, publish: [`${apiPort}:80`] },
    });
    try {
      const response = await fetch(`http://127.0.0.1:${apiPort}/notes`);
      assert.equal(response.status, 503);
      assert.match(
        ((await response.json()) as { error: string }).error,
        /unreachable \(cannot resolve kv: .*start a kv appliance/,
      );
    } finally {
      up.child.kill('SIGTERM');
      assert.equal(await up.exited, 0);
    }
  });
});

describe('tabcloud up: failures stop the others', () => {
  test('an appliance that fails to boot: exit 1, named, the others stopped', { timeout: UP_MS }, async () => {
    // js in too little memory for its heap panics while booting.
    const cwd = await folder('broken', {
      'tabcloud.json': JSON.stringify({ appliances: { hello: { image: 'hello' }, broken: { image: 'bad/js.elf' } } }),
    });
    await mkdir(join(cwd, 'bad'));
    await copyFile(join(IMAGES, 'js.elf'), join(cwd, 'bad/js.elf'));
    const manifest = { id: 'js', title: 'js', summary: 'too small', memory: 12 << 20, ports: [80], userData: 'script' };
    await writeFile(join(cwd, 'bad/appliance.json'), JSON.stringify(manifest));
    const up = new Up(cwd);
    up.child.stdin.end();
    assert.equal(await up.exited, 1);
    assert.match(up.stderr, /^tabcloud: broken failed to boot: .*no memory for the JavaScript heap/m);
    assert.match(up.stderr, /^tabcloud: stopping the others$/m);
  });

  test('an appliance that crashes once up: exit 1, the others stopped', { timeout: UP_MS }, async () => {
    const cwd = await folder('crash', {
      'tabcloud.json': JSON.stringify({ appliances: { one: { image: 'hello' }, two: { image: 'hello' } } }),
    });
    const up = new Up(cwd);
    await up.waitFor(/^tabcloud: up: /m, UP_MS, 'stderr');
    up.type('two: crash');
    assert.equal(await up.exited, 1);
    assert.match(up.stderr, /^tabcloud: two stopped: .*crash/m);
    assert.match(up.stderr, /^tabcloud: stopping the others$/m);
  });
});

describe('tabcloud up: a bad file is exit 2 before anything starts', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['no file', {}, /no tabcloud\.json here: write one/],
    ['not JSON', { 'tabcloud.json': '{ "appliances": {' }, /tabcloud\.json is not JSON/],
    [
      'a publish that is not host:guest',
      { 'tabcloud.json': JSON.stringify({ appliances: { api: { image: 'kv', publish: ['80'] } } }) },
      /^tabcloud: tabcloud\.json: appliances\.api\.publish\[0\]: "80" is not host:guest/m,
    ],
    [
      'a typo in a field',
      { 'tabcloud.json': JSON.stringify({ appliances: { db: { image: 'kv', userdata: 'x' } } }) },
      /appliances\.db\.userdata: unknown field \(known: image, userData, publish, engine, cmdline, allowNet\)/,
    ],
    [
      'an unknown image',
      { 'tabcloud.json': JSON.stringify({ appliances: { db: { image: 'postgres' } } }) },
      /appliances\.db\.image: unknown appliance "postgres" \(known: hello, kv/,
    ],
    [
      'an image file that is not an appliance',
      { 'tabcloud.json': JSON.stringify({ appliances: { db: { image: 'db.elf' } } }), 'db.elf': 'not an image' },
      /appliances\.db\.image: db\.elf is not a multiboot i386 ELF appliance image: it is a text file/,
    ],
    [
      'a missing user-data file',
      { 'tabcloud.json': JSON.stringify({ appliances: { db: { image: 'kv', userData: 'seed.json' } } }) },
      /appliances\.db\.userData: cannot read .*seed\.json: ENOENT/,
    ],
    [
      'a script that does not compile',
      {
        'tabcloud.json': JSON.stringify({ appliances: { api: { image: 'js', userData: 'api.ts' } } }),
        'api.ts': 'export default { fetch() { return new Response(; } };\n',
      },
      /api\.ts:1:\d+: /,
    ],
    [
      'a bad engine',
      { 'tabcloud.json': JSON.stringify({ appliances: { db: { image: 'kv', engine: 'docker' } } }) },
      /appliances\.db\.engine: "docker" is not "v86" or "qemu"/,
    ],
  ];
  for (const [name, files, expected] of cases) {
    test(name, async () => {
      const cwd = await folder(name.replaceAll(' ', '-'), files);
      const ran = await tabcloud(['up'], { cwd });
      assert.equal(ran.code, 2, ran.stderr);
      assert.match(ran.stderr, expected);
      assert.equal(ran.stdout, '');
    });
  }

  test('a HOST port in use', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    const cwd = await folder('port-in-use', {
      'tabcloud.json': JSON.stringify({ appliances: { db: { image: 'kv', publish: [`${port}:80`] } } }),
    });
    const ran = await tabcloud(['up'], { cwd });
    taken.close();
    assert.equal(ran.code, 2);
    assert.match(ran.stderr, new RegExp(`port ${port} on 127.0.0.1 is already in use`));
    assert.equal(ran.stdout, '');
  });

  test('the file given, and bad usage', async () => {
    const cwd = await folder('given', { 'other.json': '[]' });
    const ran = await tabcloud(['up', 'other.json'], { cwd });
    assert.equal(ran.code, 2);
    assert.match(ran.stderr, /other\.json: the file: must be a JSON object/);
    const usage = await tabcloud(['up', 'a.json', 'b.json'], { cwd });
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /expected: tabcloud up \[file\]/);
    assert.match((await tabcloud(['up', '--help'])).stdout, /Usage: tabcloud up \[file\]/);
  });
});
