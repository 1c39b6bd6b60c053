// tabcloud new → build → run ./x.elf, as a developer does it, and the errors each step gives.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { checkImage, parseManifest } from '../worker/manifest.ts';
import { serve, tabcloud } from './testing.ts';

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tabcloud-sdk-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** GET through the published port: status and JSON body. */
async function getJson(port: number, path: string): Promise<[number, unknown]> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return [response.status, await response.json()];
}

test('new writes an appliance that builds and answers over HTTP on v86 and QEMU', async () => {
  const made = await tabcloud(['new', 'demo'], { cwd: dir });
  assert.equal(made.code, 0, made.stderr);
  assert.match(made.stdout, /npx tabcloud build demo\n {2}npx tabcloud run demo\/demo\.elf -p 8080:80/);
  const manifest = parseManifest(await readFile(join(dir, 'demo', 'appliance.json'), 'utf8'));
  assert.equal(manifest.id, 'demo');
  assert.deepEqual(manifest.ports, [80]);

  const built = await tabcloud(['build', 'demo'], { cwd: dir });
  assert.equal(built.code, 0, built.stderr);
  assert.match(built.stdout, /^demo\/demo\.elf {2}[\d ]+ bytes, built in \d+\.\d s\n$/);
  checkImage(await readFile(join(dir, 'demo', 'demo.elf')));

  await writeFile(join(dir, 'seed.json'), '{"greeting":"hi"}');
  for (const engine of ['v86', 'qemu']) {
    const pcap = `demo-${engine}.pcap`;
    const args = ['demo/demo.elf', '--engine', engine, '--user-data', 'seed.json', '--pcap', pcap];
    const service = await serve(args, 'demo', { cwd: dir });
    try {
      const [status, body] = await getJson(service.port, '/');
      assert.equal(status, 200, engine);
      assert.deepEqual(
        { ...(body as object), uptime_ms: 0 },
        { appliance: 'demo', uptime_ms: 0, hits: 1, data_bytes: 17 },
      );
      assert.deepEqual(await getJson(service.port, '/data'), [200, { greeting: 'hi' }], engine);
      assert.equal((await getJson(service.port, '/nope'))[0], 404, engine);
    } finally {
      assert.equal(await service.stop(), 0, engine);
    }
    const capture = await readFile(join(dir, pcap));
    assert.equal(capture.readUInt32LE(0), 0xa1b2c3d4, `${engine}: a pcap file`);
    assert.ok(capture.includes('"greeting":"hi"'), `${engine}: the capture holds the /data response`);
  }
});

test('new refuses a bad name and an existing folder: exit 2, nothing written', async () => {
  for (const name of ['Demo', '1st', 'my_app', 'a-', 'x'.repeat(33)]) {
    const r = await tabcloud(['new', name], { cwd: dir });
    assert.equal(r.code, 2, name);
    assert.match(r.stderr, /cannot name an appliance: use a letter, then up to 31 lower-case letters/, name);
    assert.equal(existsSync(join(dir, name)), false, name);
  }
  await mkdir(join(dir, 'taken'));
  await writeFile(join(dir, 'taken', 'notes.txt'), 'mine');
  const r = await tabcloud(['new', 'taken'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /taken already exists: pick another name, or remove it first/);
  assert.deepEqual(await readdir(join(dir, 'taken')), ['notes.txt']);
});

test("build shows the compiler's errors as it gives them: exit 1, no image", async () => {
  assert.equal((await tabcloud(['new', 'broken'], { cwd: dir })).code, 0);
  const app = join(dir, 'broken', 'app.c');
  const source = await readFile(app, 'utf8');
  await writeFile(app, source.replace('static u32 hits;', 'static u32 hits;\nstatic int unused;'));
  const r = await tabcloud(['build'], { cwd: join(dir, 'broken') });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /app\.c:\d+:\d+: error: unused variable 'unused' \[-Werror,-Wunused-variable\]/);
  assert.match(r.stderr, /broken\.elf was not built/);
  assert.equal(existsSync(join(dir, 'broken', 'broken.elf')), false);
});

test('build of a folder without appliance.json, or with a bad one, is exit 2', async () => {
  await mkdir(join(dir, 'plain'));
  let r = await tabcloud(['build', 'plain'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /plain\/appliance\.json is missing: is .*plain an appliance folder\?/);
  await writeFile(
    join(dir, 'plain', 'appliance.json'),
    '{"id":"plain","title":"p","summary":"","memory":1,"ports":[]}',
  );
  r = await tabcloud(['build', 'plain'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /"memory" must be whole MiB in bytes/);
});

test('run of a file that is not an appliance image says what it is: exit 2', async () => {
  const files: [string, Uint8Array | string, RegExp][] = [
    ['notes.elf', 'just text\n', /notes\.elf is not a multiboot i386 ELF appliance image: it is a text file\./],
    ['kv.elf.gz', gzipSync('x'), /it is a gzip file \(decompress it first\)/],
    ['host.elf', await readFile(process.execPath), /it is a 64-bit ELF/],
  ];
  for (const [name, bytes, message] of files) {
    await writeFile(join(dir, name), bytes);
    const r = await tabcloud(['run', `./${name}`], { cwd: dir });
    assert.equal(r.code, 2, name);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stdout, /@boot/);
  }
  const r = await tabcloud(['run', './missing.elf'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /cannot read the image \.\/missing\.elf: no such file/);
});

test('--version, and --help for each command', async () => {
  const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  assert.equal((await tabcloud(['--version'])).stdout, `tabcloud ${version}\n`);
  for (const command of ['run', 'list', 'new', 'build']) {
    const r = await tabcloud([command, '--help']);
    assert.equal(r.code, 0, command);
    assert.match(r.stdout, new RegExp(`^Usage: tabcloud ${command}`), command);
  }
  const overview = await tabcloud(['--help']);
  assert.match(overview.stdout, /tabcloud new <name>/);
});
