import assert from 'node:assert/strict';
import { test } from 'node:test';
import catalog from '../images/appliances.json' with { type: 'json' };
import type { ApplianceSpec } from '../worker/protocol.ts';
import { routeAppliance } from './route-appliance.ts';

const appliances = catalog as ApplianceSpec[];
const id = (hash: string): string | undefined => routeAppliance(hash, appliances)?.id;

test('an appliance address names its catalog appliance, also with a query (a share link)', () => {
  assert.equal(id('#/a/kv'), 'kv');
  assert.equal(id('#/a/static?state=abc'), 'static');
  assert.equal(id('#/a/js/'), 'js');
});

test('a second copy (kv-2) is taken for the appliance it was made from', () => {
  assert.equal(id('#/a/kv-2'), 'kv');
  assert.equal(id('#/a/static-13'), 'static');
});

test('other addresses and names guess nothing', () => {
  for (const hash of ['', '#/', '#/learn/first', '#/source/kv', '#/a/', '#/a/mine', '#/a/mine-2', '#/a/%E0%A4%A']) {
    assert.equal(id(hash), undefined, hash);
  }
});
