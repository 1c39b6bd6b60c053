import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tabcloud } from './testing.ts';

test('a bad --allow-net entry is exit 2 saying what to write', async () => {
  const r = await tabcloud(['run', 'hello', '--allow-net=http://example.com', '--timeout', '5']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--allow-net: 'http:\/\/example\.com' is not a host to allow: write a host name/);
});

test('--allow-net under QEMU is exit 2: QEMU has no web proxy', async () => {
  const r = await tabcloud(['run', 'hello', '--engine', 'qemu', '--allow-net', '--timeout', '5']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--allow-net works with --engine v86/);
});
