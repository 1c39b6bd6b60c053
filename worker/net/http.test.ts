import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { netErrorCode } from './errors.ts';
import { HttpResponseParser, MAX_HEADER_BYTES, emitHttpRequestHead, type HttpResponseEvent } from './http.ts';

interface Parsed {
  status: number[];
  headers: [string, string][];
  body: string;
  ends: number;
  keepAlive: boolean;
}

/** Feeds the response in the given pieces (then EOF if closeAtEnd) and sums up the events. */
function parse(pieces: string[], options: { method?: string; closeAtEnd?: boolean } = {}): Parsed {
  const parser = new HttpResponseParser(options.method ?? 'GET');
  const events: HttpResponseEvent[] = [];
  for (const piece of pieces) events.push(...parser.push(Buffer.from(piece, 'latin1')));
  if (options.closeAtEnd) events.push(...parser.end());
  const result: Parsed = { status: [], headers: [], body: '', ends: 0, keepAlive: false };
  for (const event of events) {
    if (event.type === 'head') {
      result.status.push(event.head.status);
      result.headers = event.head.headers;
    } else if (event.type === 'data') result.body += Buffer.from(event.data).toString('latin1');
    else result.ends++;
  }
  result.keepAlive = parser.keepAlive;
  return result;
}

/** The same response split at every byte boundary, and byte by byte, parses the same as in one piece. */
function assertSplitInvariant(response: string, options: { method?: string; closeAtEnd?: boolean } = {}): Parsed {
  const whole = parse([response], options);
  for (let i = 0; i <= response.length; i++) {
    assert.deepEqual(parse([response.slice(0, i), response.slice(i)], options), whole, `split at ${i}`);
  }
  assert.deepEqual(parse([...response], options), whole, 'byte by byte');
  return whole;
}

function failure(pieces: string[], options: { method?: string; closeAtEnd?: boolean; maxHeaderBytes?: number } = {}) {
  try {
    const parser = new HttpResponseParser(options.method ?? 'GET', options.maxHeaderBytes);
    for (const piece of pieces) parser.push(Buffer.from(piece, 'latin1'));
    if (options.closeAtEnd) parser.end();
  } catch (error) {
    return netErrorCode(error);
  }
  return 'no error';
}

describe('http request head', () => {
  test('serialises method, target, Host first, headers, Content-Length', () => {
    const head = emitHttpRequestHead({
      method: 'PUT',
      target: '/keys/a?x=1',
      host: '10.0.2.15',
      headers: [
        ['Content-Type', 'text/plain'],
        ['Connection', 'close'],
        ['Content-Length', '999'],
        ['X-Trace', ' t1 '],
      ],
      bodyLength: 5,
    });
    assert.equal(
      Buffer.from(head).toString(),
      'PUT /keys/a?x=1 HTTP/1.1\r\nHost: 10.0.2.15\r\nContent-Type: text/plain\r\nX-Trace: t1\r\nContent-Length: 5\r\n\r\n',
    );
  });

  test('a caller Host wins; GET has no Content-Length; POST always has one', () => {
    const get = Buffer.from(
      emitHttpRequestHead({ method: 'GET', target: '/', host: 'x', headers: [['host', 'kv.tab']] }),
    );
    assert.equal(get.toString(), 'GET / HTTP/1.1\r\nHost: kv.tab\r\n\r\n');
    const post = Buffer.from(emitHttpRequestHead({ method: 'POST', target: '/', host: 'x' }));
    assert.match(post.toString(), /Content-Length: 0\r\n\r\n$/);
  });

  test('anything that could split the request → invalid-request', () => {
    const cases = [
      { method: 'GET /x', target: '/' },
      { method: 'GET', target: '/a b' },
      { method: 'GET', target: 'http://x/' },
      { method: 'GET', target: '/', headers: [['X', 'a\r\nEvil: 1']] as [string, string][] },
      { method: 'GET', target: '/', headers: [['Bad Name', 'v']] as [string, string][] },
      { method: 'GET', target: '/', headers: [['X', 'é€']] as [string, string][] },
    ];
    for (const c of cases) {
      assert.throws(() => emitHttpRequestHead({ host: 'h', ...c }), { name: 'invalid-request' }, JSON.stringify(c));
    }
  });
});

describe('http response parser', () => {
  test('Content-Length body, split at every byte', () => {
    const r = assertSplitInvariant('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b \r\n\r\nhello');
    assert.deepEqual(r, {
      status: [200],
      headers: [
        ['Content-Length', '5'],
        ['X-A', 'b'],
      ],
      body: 'hello',
      ends: 1,
      keepAlive: true,
    });
  });

  test('chunked with extensions and trailers, split at every byte', () => {
    const r = assertSplitInvariant(
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n' +
        '5;name=value\r\nhello\r\n' +
        '6 ; q="a;b"\r\n world\r\n' +
        '000\r\nTrailer-One: 1\r\nTrailer-Two: 2\r\n\r\n',
    );
    assert.equal(r.body, 'hello world');
    assert.equal(r.ends, 1);
    assert.equal(r.keepAlive, true);
  });

  test('no length → body until the connection closes, never reused', () => {
    const r = assertSplitInvariant('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it', {
      closeAtEnd: true,
    });
    assert.deepEqual([r.body, r.ends, r.keepAlive], ['all of it', 1, false]);
  });

  test('1xx interim responses are skipped; split at every byte', () => {
    const r = assertSplitInvariant(
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok',
    );
    assert.deepEqual([r.status, r.body], [[201], 'ok']);
  });

  test('HEAD, 204 and 304 have no body whatever their headers say', () => {
    assert.deepEqual(parse(['HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n'], { method: 'HEAD' }).ends, 1);
    assert.deepEqual(parse(['HTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\n']).ends, 1);
    assert.deepEqual(parse(['HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n']).ends, 1);
  });

  test('keep-alive: HTTP/1.0 only when asked, HTTP/1.1 unless Connection: close', () => {
    assert.equal(parse(['HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n']).keepAlive, false);
    assert.equal(parse(['HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n']).keepAlive, true);
    assert.equal(parse(['HTTP/1.1 200 OK\r\nConnection: foo, close\r\nContent-Length: 0\r\n\r\n']).keepAlive, false);
  });

  test('Transfer-Encoding and Content-Length together: chunked wins and the connection is not reused', () => {
    const r = parse(['HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n']);
    assert.deepEqual([r.body, r.ends, r.keepAlive], ['ab', 1, false]);
  });

  test('bytes after the end of a response: not reused', () => {
    assert.equal(parse(['HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxEXTRA']).keepAlive, false);
  });

  test('bare LF line endings are accepted', () => {
    assert.equal(parse(['HTTP/1.1 200 OK\nContent-Length: 2\n\nhi']).body, 'hi');
  });

  test('oversized headers → malformed-response, also when they trickle in', () => {
    const big = 'HTTP/1.1 200 OK\r\nX: ' + 'a'.repeat(MAX_HEADER_BYTES) + '\r\n\r\n';
    assert.equal(failure([big]), 'malformed-response');
    assert.equal(failure([...big.slice(0, MAX_HEADER_BYTES + 10)]), 'malformed-response');
    const many = 'HTTP/1.1 200 OK\r\n' + 'A: b\r\n'.repeat(200) + '\r\n';
    assert.equal(failure([many]), 'malformed-response');
    assert.equal(failure(['HTTP/1.1 200 OK\r\nX: 12345\r\n\r\n'], { maxHeaderBytes: 20 }), 'malformed-response');
    const trailers =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: ' + 'a'.repeat(MAX_HEADER_BYTES) + '\r\n\r\n';
    assert.equal(failure([trailers]), 'malformed-response');
  });

  test('garbage → malformed-response', () => {
    const garbage = [
      'FOO 200 OK\r\n\r\n',
      'HTTP/2 200 OK\r\n\r\n',
      'HTTP/1.1 2000 OK\r\n\r\n',
      'HTTP/1.1 099 Low\r\n\r\n',
      'HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n',
      'HTTP/1.1 200 OK\r\nBad Name: v\r\n\r\n',
      'HTTP/1.1 200 OK\r\nX: a\r\n folded\r\n\r\n',
      'HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' + 'f'.repeat(20) + '\r\n',
      'HTTP/1.1 101 Switching Protocols\r\n\r\n',
      '\x00\x01\x02\x03\r\n\r\n',
    ];
    for (const response of garbage) assert.equal(failure([response]), 'malformed-response', JSON.stringify(response));
  });

  test('the connection closing before the end → malformed-response', () => {
    assert.equal(failure([], { closeAtEnd: true }), 'malformed-response');
    assert.equal(
      failure(['HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel'], { closeAtEnd: true }),
      'malformed-response',
    );
    assert.equal(
      failure(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n'], { closeAtEnd: true }),
      'malformed-response',
    );
    assert.equal(failure(['HTTP/1.1 200 OK\r\n'], { closeAtEnd: true }), 'malformed-response');
  });

  test('random bytes never throw anything but malformed-response', () => {
    let seed = 42;
    const random = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const alphabet = 'HTTP/1.1 200\r\n:;0123456789abcdefContent-LengthTransfer-Encodingchunked \t';
    for (let i = 0; i < 2000; i++) {
      const text = Array.from(
        { length: Math.floor(random() * 200) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join('');
      const code = failure([text], { closeAtEnd: random() < 0.5 });
      assert.ok(code === 'no error' || code === 'malformed-response', code);
    }
  });
});
