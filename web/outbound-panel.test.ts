import assert from 'node:assert/strict';
import { test } from 'node:test';
import { refusal } from '../worker/net/outbound.ts';
import { parseTarget } from '../worker/net/proxy-request.ts';
import { outboundPolicy } from './outbound-panel.ts';

const url = parseTarget('https://api.example.com/v1')!;

test('a trusted appliance may call any host until its list says otherwise', () => {
  assert.equal(refusal(outboundPolicy({ trusted: true }), url), undefined);
  assert.equal(refusal(outboundPolicy({ trusted: true, allowNet: ['*.example.com'] }), url), undefined);
  assert.equal(
    refusal(outboundPolicy({ trusted: true, allowNet: [] }), url),
    'api.example.com is not on its allow-list (empty). To allow it, add api.example.com to its allow-list under "Calls out to the web" on its page.',
  );
});

test('an untrusted appliance calls nothing, whatever its list, until trusted', () => {
  assert.match(refusal(outboundPolicy({ trusted: false, allowNet: ['*'] }), url)!, /untrusted\. Press "Trust it"/);
});
