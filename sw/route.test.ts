import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchVmRoute } from './route.ts';

const route = (path: string, base?: string) => matchVmRoute(new URL(path, 'http://localhost'), base);

test('a name alone goes to port 80, path /', () => {
  assert.deepEqual(route('/vm/kv'), { name: 'kv', port: 80, target: '/' });
});

test('path and query pass through', () => {
  assert.deepEqual(route('/vm/kv/keys/a?x=1&y'), { name: 'kv', port: 80, target: '/keys/a?x=1&y' });
});

test('an explicit port', () => {
  assert.deepEqual(route('/vm/kv:8080/status'), { name: 'kv', port: 8080, target: '/status' });
});

test('not the gateway: other paths, bad names, bad ports', () => {
  for (const path of [
    '/',
    '/index.html',
    '/vmx/kv',
    '/vm/',
    '/vm/KV/x',
    '/vm/-kv/',
    '/vm/kv:0/',
    '/vm/kv:65536/',
    '/vm/kv:/',
  ]) {
    assert.equal(route(path), undefined, path);
  }
});

test('a deployment under a base path', () => {
  assert.deepEqual(route('/app/vm/kv/keys', '/app/'), { name: 'kv', port: 80, target: '/keys' });
  assert.equal(route('/vm/kv/keys', '/app/'), undefined);
});
