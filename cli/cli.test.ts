import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../bin/tabcloud.js', import.meta.url));

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with the given arguments and standard input. */
function tabcloud(args: string[], input = ''): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

test('run hello --until READY exits 0 once READY is printed', async () => {
  const r = await tabcloud(['run', 'hello', '--until', '^READY hello$', '--timeout', '20']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /READY hello/);
});

test('input piped in is typed on the console; end of input exits', async () => {
  const r = await tabcloud(['run', 'hello', '--timeout', '20'], 'uptime\n');
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

test('a port that cannot be published is exit 1 with the reason', async () => {
  const { createServer } = await import('node:net');
  const taken = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => taken.once('listening', resolve));
  const port = (taken.address() as { port: number }).port;
  try {
    const r = await tabcloud(['run', 'hello', '-p', `${port}:80`, '--timeout', '10']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot publish a port: .*EADDRINUSE/);
  } finally {
    taken.close();
  }
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
