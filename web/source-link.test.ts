import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml, splitHtmlLines } from './html-lines.ts';
import { isSourceRoute, parseSourceRoute, sourceLink } from './source-link.ts';

test('sourceLink names the appliance that links the file, and a line', () => {
  assert.equal(sourceLink('net/tcp_in.c', 120), '#/src/kv/net/tcp_in.c:L120');
  assert.equal(sourceLink('kernel/main.c'), '#/src/hello/kernel/main.c');
  assert.equal(sourceLink('static/serve.c', 3), '#/src/static/static/serve.c:L3');
  assert.equal(sourceLink('net/tcp_in.c', 7, 'static'), '#/src/static/net/tcp_in.c:L7');
});

test('source routes parse back, with a line or a range of lines', () => {
  assert.deepEqual(parseSourceRoute(sourceLink('net/tcp_in.c', 120)), {
    appliance: 'kv',
    path: 'net/tcp_in.c',
    lines: { first: 120, last: 120 },
  });
  assert.deepEqual(parseSourceRoute('#/src/kv/net/tcp.c:L20-L10'), {
    appliance: 'kv',
    path: 'net/tcp.c',
    lines: { first: 10, last: 20 },
  });
  assert.deepEqual(parseSourceRoute('#/src/hello'), { appliance: 'hello' });
  assert.equal(parseSourceRoute('#/a/kv'), undefined);
  assert.equal(parseSourceRoute('#/src/kv/net/tcp.c:Lx'), undefined);
  assert.equal(isSourceRoute('#/src'), true);
  assert.equal(isSourceRoute('#/srcs'), false);
});

test('highlighted HTML splits into balanced lines; a comment over lines is reopened on each', () => {
  const html = '<span class="token comment">/* a\nb */</span>\n<span class="token keyword">int</span> x;';
  assert.deepEqual(splitHtmlLines(html), [
    '<span class="token comment">/* a</span>',
    '<span class="token comment">b */</span>',
    '<span class="token keyword">int</span> x;',
  ]);
  const nested = '<span class="token macro"><span class="token string">"a\nb"</span></span>';
  assert.deepEqual(splitHtmlLines(nested), [
    '<span class="token macro"><span class="token string">"a</span></span>',
    '<span class="token macro"><span class="token string">b"</span></span>',
  ]);
  assert.deepEqual(splitHtmlLines('a\n\nb'), ['a', '', 'b']);
  assert.equal(escapeHtml('a<b>&c'), 'a&lt;b&gt;&amp;c');
});
