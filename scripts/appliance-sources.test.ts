import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { indexSources, readMakefile } from './appliance-sources.ts';

test('the Makefile says which appliances link the network stack', () => {
  const makefile = 'APPS := hello kv static\n# comment\nNETAPPS := kv static\n';
  assert.deepEqual(readMakefile(makefile), { apps: ['hello', 'kv', 'static'], netApps: ['kv', 'static'] });
  assert.throws(() => readMakefile('APPS := a\n'), /NETAPPS/);
});

test('each appliance ships its own files, the kernel, and net/ only if it serves', () => {
  const index = indexSources(fileURLToPath(new URL('../images', import.meta.url)));
  const { hello, kv } = index.appliances;
  assert.ok(hello && kv);
  assert.ok(hello.includes('hello/hello.c') && hello.includes('kernel/entry.S') && hello.includes('kernel/kernel.ld'));
  assert.ok(!hello.some((p) => p.startsWith('net/')));
  assert.ok(kv.includes('net/tcp_in.c') && kv.includes('kv/kv.c') && kv.includes('kernel/main.c'));
  assert.ok(!kv.some((p) => p.startsWith('test/') || p.startsWith('linux/')));
  assert.ok(index.sizes['net/tcp_in.c']! > 0);
});
