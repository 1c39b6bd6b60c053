import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { allowedBy, parseAllowList, refusal } from './outbound.ts';
import { parseTarget } from './proxy-request.ts';

const to = (url: string) => {
  const target = parseTarget(url);
  assert.ok(target, url);
  return target;
};

describe('outbound policy', () => {
  test('allow-list entries: names, wildcards, ports, addresses and *', () => {
    const allow = parseAllowList('api.example.com, *.cdn.test  127.0.0.1:8080\n[::1]');
    assert.deepEqual(allow, ['api.example.com', '*.cdn.test', '127.0.0.1:8080', '[::1]']);
    const cases: [string, boolean][] = [
      ['https://api.example.com/x', true],
      ['http://api.example.com:9000/', true],
      ['https://example.com/', false],
      ['https://img.cdn.test/a.png', true],
      ['https://a.b.cdn.test/', true],
      ['https://cdn.test/', false],
      ['https://evilcdn.test/', false],
      ['http://127.0.0.1:8080/', true],
      ['http://127.0.0.1/', false],
      ['http://[::1]:3000/', true],
    ];
    for (const [url, expected] of cases) assert.equal(allowedBy(allow, to(url)), expected, url);
    assert.ok(allowedBy(['*'], to('https://anything.example/')));
    assert.ok(allowedBy(['example.com:443'], to('https://example.com/')), 'the default port counts');
    assert.ok(!allowedBy([], to('https://example.com/')));
  });

  test('a bad entry is refused with what to write instead', () => {
    for (const bad of ['http://example.com', 'exa mple.com,:80', 'example.com:99999', '*example.com', 'a..b']) {
      assert.throws(
        () => parseAllowList(bad),
        (error: Error) => error.name === 'bad-allow-list' && /a wildcard \(\*\.example\.com\)/.test(error.message),
        bad,
      );
    }
    assert.deepEqual(parseAllowList('  '), []);
    assert.deepEqual(parseAllowList('A.com a.com'), ['a.com']);
  });

  test('refusals say why and what to do', () => {
    const howToAllow = 'add <host> to its allow-list in its settings';
    assert.equal(refusal({ allow: ['*'], howToAllow }, to('https://x.test/')), undefined);
    assert.equal(
      refusal({ allow: [], howToAllow }, to('https://x.test:8443/')),
      'x.test:8443 is not on its allow-list (empty). To allow it, add x.test to its allow-list in its settings.',
    );
    assert.match(
      refusal({ allow: ['*'], blocked: 'it is untrusted.', howToAllow }, to('https://x.test/'))!,
      /untrusted/,
    );
  });

  test('request targets: only canonical absolute http(s) URLs', () => {
    assert.deepEqual(parseTarget('HTTPS://Example.COM:443?q=1'), {
      scheme: 'https',
      hostname: 'example.com',
      port: '',
      path: '/?q=1',
      href: 'https://example.com/?q=1',
    });
    assert.equal(parseTarget('http://10.0.2.2:08080/x')?.href, 'http://10.0.2.2:8080/x');
    for (const bad of [
      '/path',
      'ftp://example.com/',
      'http://example.com./',
      'http://0x7f000001/',
      'http://127.1/',
      'http://ex%61mple.com/',
      'http://exämple.com/',
      'http://a@b.com/',
      'http://b.com/#frag',
      'http://b.com:0/',
      'http://b.com/ space',
    ]) {
      assert.equal(parseTarget(bad), undefined, bad);
    }
  });
});
