import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tabcloud } from './testing.ts';

const CLI = fileURLToPath(new URL('../bin/tabcloud.js', import.meta.url));

test('run hello --until READY exits 0 once READY is printed', async () => {
  const r = await tabcloud(['run', 'hello', '--until', '^READY hello$', '--timeout', '20']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /READY hello/);
});

test('input piped in is typed on the console; end of input exits', async () => {
  const r = await tabcloud(['run', 'hello', '--timeout', '20'], { input: 'uptime\n' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /up \d+\.\d+ s/);
});

test('--timeout gives exit 124 when --until never matches', async () => {
  const r = await tabcloud(['run', 'hello', '--until', 'never printed', '--timeout', '1']);
  assert.equal(r.code, 124);
  assert.match(r.stderr, /timed out after 1 s/);
});

test('an unknown appliance is exit 2 with the known ones listed', async () => {
  const r = await tabcloud(['run', 'nosuch']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown appliance 'nosuch'\. Known appliances: .*hello/);
});

test('bad usage is exit 2 with the usage text', async () => {
  for (const args of [[], ['run'], ['frobnicate'], ['run', 'hello', '--until', '(']]) {
    const r = await tabcloud(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /Usage:/);
  }
});

test('--engine qemu boots the same image under QEMU', async () => {
  const r = await tabcloud(['run', 'hello', '--engine', 'qemu', '--until', '^READY hello$', '--timeout', '30']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /READY hello/);
});

test('a host port already in use is exit 2 before the guest boots, on both engines', async () => {
  const { createServer } = await import('node:net');
  const taken = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => taken.once('listening', resolve));
  const port = (taken.address() as { port: number }).port;
  try {
    for (const engine of ['v86', 'qemu']) {
      const r = await tabcloud(['run', 'kv', '-p', `${port}:80`, '--engine', engine, '--timeout', '10']);
      assert.equal(r.code, 2, engine);
      assert.match(r.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
      assert.doesNotMatch(r.stdout, /@boot/, 'nothing booted');
    }
  } finally {
    taken.close();
  }
});

test('with -p the end of input does not stop it; SIGTERM stops it with exit 0', async () => {
  const { freePort } = await import('./publish.ts');
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, 'run', 'kv', '-p', `${port}:80`, '--timeout', '60'], { stdio: 'pipe' });
  child.stdin.end();
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  while (!/^READY kv/m.test(stdout)) await new Promise((resolve) => setTimeout(resolve, 50));
  await new Promise((resolve) => setTimeout(resolve, 1000)); // well past the quiet time after input ends
  assert.equal(child.exitCode, null, 'still running');
  const answer = await fetch(`http://127.0.0.1:${port}/keys/k`, { method: 'PUT', body: 'v' });
  assert.equal(answer.status, 201);
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});

test('malformed options are exit 2', async () => {
  for (const args of [
    ['run', 'hello', '-p', '80'],
    ['run', 'hello', '-p', '0:80'],
    ['run', 'hello', '--engine', 'bochs'],
    ['run', 'hello', '--timeout', 'soon'],
    ['run', 'hello', '--user-data', '/nonexistent/seed.json'],
  ]) {
    const r = await tabcloud(args);
    assert.equal(r.code, 2, args.join(' '));
  }
});
