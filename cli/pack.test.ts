// The npm package works outside this repository: packed, installed into an empty folder, run through npx.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { serve, tabcloud, type RunOptions } from './testing.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));

let dir: string;
let project: string;
let npx: RunOptions;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tabcloud-pack-'));
  // The prepack script builds the catalog's images if they are not built.
  execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const [tarball] = (await readdir(dir)).filter((f) => f.endsWith('.tgz'));
  project = join(dir, 'project');
  await mkdir(project);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(dir, tarball!)], {
    cwd: project,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  npx = { cwd: project, command: ['npx', 'tabcloud'] };
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('the package carries the catalog images and the C sources, not the Linux baseline or the tests', async () => {
  const installed = join(project, 'node_modules', 'tabcloud');
  assert.deepEqual((await readdir(join(installed, 'public', 'images'))).sort(), [
    'hello.elf',
    'js.elf',
    'js.state.gz',
    'kv.elf',
    'static.elf',
  ]);
  assert.ok((await readdir(join(installed, 'images', 'include'))).includes('tabcloud.h'));
  assert.ok((await readdir(join(installed, 'images', 'kernel'))).includes('entry.S'));
  assert.equal((await readdir(join(installed, 'cli'))).filter((f) => f.endsWith('.test.ts')).length, 0);
});

test('npx tabcloud list, --version', async () => {
  const list = await tabcloud(['list'], npx);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^kv +An in-memory key-value store/m);
  assert.match(list.stdout, /^linux .*\(not built here\)$/m);
  assert.match((await tabcloud(['--version'], npx)).stdout, /^tabcloud \d+\.\d+\.\d+\n$/);
});

test('npx tabcloud run kv serves through -p', async () => {
  const kv = await serve(['kv'], 'kv', npx);
  try {
    const put = await fetch(`http://127.0.0.1:${kv.port}/keys/pack`, { method: 'PUT', body: 'packed' });
    assert.equal(put.status, 201);
    assert.equal(await (await fetch(`http://127.0.0.1:${kv.port}/keys/pack`)).text(), 'packed');
  } finally {
    await kv.stop(); // npx dies of the signal it passed on: no exit status to check
  }
});

test('npx tabcloud new demo, build demo, run demo/demo.elf -p: the template answers', async () => {
  assert.equal((await tabcloud(['new', 'demo'], npx)).code, 0);
  const built = await tabcloud(['build', 'demo'], npx);
  assert.equal(built.code, 0, built.stderr);
  assert.match(built.stdout, /demo\/demo\.elf {2}[\d ]+ bytes/);
  const demo = await serve(['demo/demo.elf'], 'demo', npx);
  try {
    const response = await fetch(`http://127.0.0.1:${demo.port}/`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('server'), 'tabcloud-demo');
    assert.equal(((await response.json()) as { appliance: string }).appliance, 'demo');
  } finally {
    await demo.stop();
  }
});
