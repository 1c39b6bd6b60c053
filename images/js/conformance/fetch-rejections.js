/* eslint-disable no-undef -- the runtime's globals under test */
// fetch() rejects what the web's fetch rejects before any request is sent, with the same TypeErrors.
export default async function () {
  const cases = [
    ['not a URL', () => fetch('not a url')],
    ['a space in the host', () => fetch('http://exa mple/')],
    ['credentials', () => fetch('http://user:pass@x/')],
    ['GET with a body', () => fetch('http://x/', { method: 'GET', body: 'x' })],
    ['HEAD with a body', () => fetch(new URL('http://x/'), { method: 'HEAD', body: new Uint8Array(1) })],
    ['CONNECT', () => fetch('http://x/', { method: 'CONNECT' })],
    ['a method with a space', () => fetch('http://x/', { method: 'bad method' })],
    ['a used Request', () => fetch(usedRequest())],
  ];
  for (const [name, start] of cases) {
    const p = start();
    try {
      await p;
      console.log(name, 'resolved');
    } catch (e) {
      console.log(name, p instanceof Promise, e instanceof TypeError, e.message);
    }
  }
  for (const [name, headers] of [
    ['a header name with a space', { 'bad name': '1' }],
    ['a header value with a newline', { ok: 'a\nb' }],
    ['a pair of three', [['a', 'b', 'c']]],
  ]) {
    try {
      await fetch('http://x/', { headers });
      console.log(name, 'resolved');
    } catch (e) {
      console.log(name, e instanceof TypeError);
    }
  }
  console.log(typeof fetch, fetch.name, typeof globalThis.fetch);
}

function usedRequest() {
  const r = new Request('http://x/', { method: 'POST', body: 'once' });
  r.text();
  return r;
}
