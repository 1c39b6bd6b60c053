// Share links: round trips, size limits, and damaged links that must fail with a code, never with wrong bytes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { encodeOwnImage, type OwnImage } from './own-image.ts';
import {
  MAX_LINK_CHARS,
  MAX_SHARED_BYTES,
  ShareLinkError,
  crc32,
  createShareLink,
  parseShareLink,
  type ShareKind,
  type ShareLinkErrorCode,
} from './share-link.ts';

const BASE = 'https://tabcloud.example/app/';
const CODES: readonly string[] = ['malformed', 'truncated', 'corrupt', 'unknown-version', 'too-large'];

/** A small seeded PRNG (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(length: number, seed: number): Uint8Array {
  const next = random(seed);
  return Uint8Array.from({ length }, () => Math.floor(next() * 256));
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

const image = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../public/images/${name}`, import.meta.url)));
/** An appliance of one's own as the page shares it: hello's 12 KB image under the link's id. */
const OWN: OwnImage = {
  manifest: { id: 'kv', title: 'My own', summary: 'Mine.', memory: 16 << 20, ports: [] },
  image: image('hello.elf'),
  userData: text('{"a":"1"}'),
};

/** What location.hash would be after navigating to the URL. */
const hashOf = (url: string): string => new URL(url).hash;

/** The code a promise rejects with; fails the test on any other outcome. */
async function codeOf(promise: Promise<unknown>): Promise<ShareLinkErrorCode> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ShareLinkError, `expected a ShareLinkError, got ${String(error)}`);
    assert.equal(error.code, error.name);
    assert.ok(CODES.includes(error.code), `unknown code ${error.code}`);
    return error.code;
  }
  assert.fail('expected a ShareLinkError');
}

/** A payload framed by hand, independent of the encoder, for the decoder's edge cases. */
function framedPayload(
  bytes: Uint8Array,
  options: { version?: number; length?: number; compressedLength?: number; crc?: number; compressed?: Uint8Array } = {},
): string {
  const compressed = options.compressed ?? deflateRawSync(bytes);
  const header = Buffer.alloc(13);
  header.writeUInt8(options.version ?? 1, 0);
  header.writeUInt32LE(options.length ?? bytes.length, 1);
  header.writeUInt32LE(options.compressedLength ?? compressed.length, 5);
  header.writeUInt32LE(options.crc ?? crc32(bytes), 9);
  return Buffer.concat([header, compressed]).toString('base64url');
}

test('crc32 matches the standard check value', () => {
  assert.equal(crc32(text('123456789')), 0xcbf43926);
  assert.equal(crc32(new Uint8Array()), 0);
});

const INPUTS: [string, Uint8Array][] = [
  ['empty', new Uint8Array()],
  ['one byte', Uint8Array.of(0)],
  ['small text', text('{"greeting":"hello, tabcloud"}\n')],
  ['random incompressible', randomBytes(1000, 1)],
  ['~30 KB of text', text('key-value pairs and a static site, '.repeat(860))],
  ['~30 KB random', randomBytes(30_000, 2)],
];

for (const kind of ['data', 'state'] as const) {
  for (const [name, bytes] of INPUTS) {
    test(`round trip: ${kind}, ${name}`, async () => {
      const url = await createShareLink(BASE, 'kv', kind, bytes);
      assert.ok(url.startsWith(`${BASE}#/a/kv?${kind}=`), url);
      assert.ok(url.length <= MAX_LINK_CHARS);
      assert.match(url.slice(url.indexOf('=') + 1), /^[A-Za-z0-9_-]+$/);
      assert.deepEqual(await parseShareLink(hashOf(url)), { id: 'kv', kind, bytes });
    });
  }
}

test('compressible data makes a short link', async () => {
  const url = await createShareLink(BASE, 'kv', 'data', new Uint8Array(100_000));
  assert.ok(url.length < 1000, `${url.length} characters`);
});

test('a link made by hand from the documented format decodes', async () => {
  const bytes = text('made with node:zlib, not CompressionStream');
  const shared = await parseShareLink(`#/a/hello-2?state=${framedPayload(bytes)}`);
  assert.deepEqual(shared, { id: 'hello-2', kind: 'state', bytes });
});

test('links made by the first version stay readable', async () => {
  const shared = await parseShareLink('#/a/kv?data=ARgAAAAaAAAAhfSPkKtWSlSyUspIzcnJ11EoSUxKzskvTVGq5QIA');
  assert.deepEqual(shared, { id: 'kv', kind: 'data', bytes: text('{"a":"hello, tabcloud"}\n') });
});

test('too much data: creation fails with too-large and says to export a file', async () => {
  const promise = createShareLink(BASE, 'kv', 'state', randomBytes(100_000, 3));
  await assert.rejects(promise, (error: Error) => {
    assert.equal(error.name, 'too-large');
    assert.match(error.message, /Export file/);
    assert.match(error.message, new RegExp(String(MAX_LINK_CHARS)));
    assert.match(error.message, /would be 133\d\d\d characters/);
    return true;
  });
});

test('the limit counts the whole URL: exactly MAX_LINK_CHARS works, one more does not', async () => {
  const bytes = randomBytes(48_000, 4);
  const short = await createShareLink(BASE, 'kv', 'data', bytes);
  const room = MAX_LINK_CHARS - short.length;
  assert.ok(room > 0 && room < 2000, `room ${room}`);
  const fits = await createShareLink(BASE + 'x'.repeat(room), 'kv', 'data', bytes);
  assert.equal(fits.length, MAX_LINK_CHARS);
  assert.deepEqual((await parseShareLink(hashOf(fits)))?.bytes, bytes);
  assert.equal(await codeOf(createShareLink(BASE + 'x'.repeat(room + 1), 'kv', 'data', bytes)), 'too-large');
});

test('a hash longer than MAX_LINK_CHARS is too-large', async () => {
  const hash = `#/a/kv?data=${framedPayload(text('x'))}&pad=${'p'.repeat(MAX_LINK_CHARS)}`;
  assert.equal(await codeOf(parseShareLink(hash)), 'too-large');
});

test('a declared length above MAX_SHARED_BYTES is too-large, before inflating', async () => {
  const payload = framedPayload(text('x'), { length: MAX_SHARED_BYTES + 1 });
  assert.equal(await codeOf(parseShareLink(`#/a/kv?data=${payload}`)), 'too-large');
});

test('a decompression bomb stops at the declared length and is corrupt', async () => {
  const bomb = deflateRawSync(new Uint8Array(32 * 1024 * 1024));
  const payload = framedPayload(new Uint8Array(16), { compressed: bomb });
  assert.ok(payload.length < MAX_LINK_CHARS);
  const started = performance.now();
  assert.equal(await codeOf(parseShareLink(`#/a/kv?data=${payload}`)), 'corrupt');
  assert.ok(performance.now() - started < 2000, 'inflation stopped early');
});

test('ordinary hashes are not share links', async () => {
  for (const hash of [
    '',
    '#',
    '#/',
    '#/a/kv',
    '#/a/kv?',
    '#/a/kv?tab=net',
    '#/a/Not_An_Id',
    '#/about?data=AQ',
    '#/a',
  ]) {
    assert.equal(await parseShareLink(hash), undefined, hash);
  }
});

test('malformed: both data and state, a bad id, characters outside base64url, extra bytes', async () => {
  const payload = framedPayload(text('hi'));
  const hashes = [
    `#/a/kv?data=${payload}&state=${payload}`,
    `#/a/kv?data=${payload}&data=${payload}`,
    `#/a/KV?data=${payload}`,
    `#/a/?data=${payload}`,
    `#/a/kv/extra?data=${payload}`,
    `#/a/${'a'.repeat(33)}?data=${payload}`,
    `#/a/kv?data=${payload}=`,
    `#/a/kv?data=${payload.slice(0, 10)}+${payload.slice(10)}`,
    `#/a/kv?data=${payload.slice(0, 10)}/${payload.slice(11)}`,
    `#/a/kv?data=${payload.slice(0, 10)}%20${payload.slice(10)}`,
    `#/a/kv?data=${payload}AAAA`,
  ];
  for (const hash of hashes) assert.equal(await codeOf(parseShareLink(hash)), 'malformed', hash);
});

test('creating a link for a bad id is malformed', async () => {
  assert.equal(await codeOf(createShareLink(BASE, 'no spaces', 'data', new Uint8Array())), 'malformed');
});

test('truncated: an empty payload, a cut header, cut data', async () => {
  const payload = framedPayload(randomBytes(200, 5));
  for (const cut of ['', payload.slice(0, 1), payload.slice(0, 10), payload.slice(0, 40), payload.slice(0, -3)]) {
    assert.equal(await codeOf(parseShareLink(`#/a/kv?data=${cut}`)), 'truncated', cut);
  }
  assert.equal(await codeOf(parseShareLink('#/a/kv?data')), 'truncated');
});

test('corrupt: a CRC mismatch, deflate errors, fewer bytes than declared', async () => {
  const bytes = text('some appliance data '.repeat(10));
  const hashes = [
    framedPayload(bytes, { crc: crc32(bytes) ^ 1 }),
    framedPayload(bytes, { compressed: Uint8Array.of(0xff, 0xff, 0xff) }),
    framedPayload(bytes, { compressed: deflateRawSync(bytes).subarray(0, 8) }),
    framedPayload(bytes, { length: bytes.length + 1 }),
  ];
  for (const payload of hashes) assert.equal(await codeOf(parseShareLink(`#/a/kv?data=${payload}`)), 'corrupt');
});

test('unknown-version: a link from another format version', async () => {
  for (const version of [0, 2, 255]) {
    const payload = framedPayload(text('from the future'), { version });
    const promise = parseShareLink(`#/a/kv?data=${payload}`);
    await assert.rejects(promise, (error: Error) => {
      assert.equal(error.name, 'unknown-version');
      assert.match(error.message, /Reload the page/);
      return true;
    });
  }
});

/** Applies one random edit: replace, insert or delete a character, or cut the rest off. */
function mutate(s: string, next: () => number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=%&?# .é';
  const char = (): string => alphabet[Math.floor(next() * alphabet.length)]!;
  const at = Math.floor(next() * (s.length + 1));
  const kind = Math.floor(next() * 4);
  if (kind === 0) return s.slice(0, at) + char() + s.slice(at + 1);
  if (kind === 1) return s.slice(0, at) + char() + s.slice(at);
  if (kind === 2) return s.slice(0, at) + s.slice(at + 1);
  return s.slice(0, at);
}

async function fuzz(
  cases: number,
  seed: number,
  original: Uint8Array,
  kind: ShareKind,
  target: 'payload' | 'hash',
): Promise<Map<string, number>> {
  const hash = hashOf(await createShareLink(BASE, 'kv', kind, original));
  const prefixLength = hash.indexOf('=') + 1;
  const next = random(seed);
  const outcomes = new Map<string, number>();
  for (let i = 0; i < cases; i++) {
    let mutated = target === 'payload' ? hash.slice(prefixLength) : hash;
    const edits = 1 + Math.floor(next() * 3);
    for (let e = 0; e < edits; e++) mutated = mutate(mutated, next);
    if (target === 'payload') mutated = hash.slice(0, prefixLength) + mutated;
    let outcome: string;
    try {
      const shared = await parseShareLink(mutated);
      if (shared === undefined) {
        assert.equal(target, 'hash', `case ${i}: ${mutated}`);
        outcome = 'not a share link';
      } else {
        assert.deepEqual(shared.bytes, original, `case ${i} decoded to other bytes: ${mutated}`);
        if (target === 'payload')
          assert.deepEqual(
            { id: shared.id, kind: shared.kind, bytes: shared.bytes },
            { id: 'kv', kind, bytes: original },
          );
        if (kind === 'image') assert.deepEqual(shared.own, OWN);
        outcome = 'same bytes';
      }
    } catch (error) {
      assert.ok(error instanceof ShareLinkError, `case ${i} threw ${String(error)}: ${mutated}`);
      assert.ok(CODES.includes(error.code), `case ${i}: code ${error.code}`);
      assert.ok(error.message.length > 0);
      outcome = error.code;
    }
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }
  return outcomes;
}

test('1000 mutated links decode to the original bytes or fail with a ShareLinkError', async () => {
  const original = new Uint8Array([...text('{"kv":{"a":"1","b":"two"}}\n'.repeat(20)), ...randomBytes(300, 6)]);
  const outcomes = await fuzz(500, 42, original, 'data', 'payload');
  for (const [outcome, count] of await fuzz(500, 43, original, 'state', 'payload')) {
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + count);
  }
  for (const code of ['malformed', 'truncated', 'corrupt']) assert.ok(outcomes.get(code), `no case was ${code}`);
  assert.equal(
    [...outcomes.values()].reduce((a, b) => a + b),
    1000,
  );
});

test('500 mutated image links decode to the same appliance or fail with a ShareLinkError', async () => {
  const outcomes = await fuzz(500, 44, encodeOwnImage(OWN), 'image', 'payload');
  for (const code of ['malformed', 'truncated', 'corrupt']) assert.ok(outcomes.get(code), `no case was ${code}`);
});

test('mutations anywhere in the hash never yield other bytes or another error type', async () => {
  const outcomes = await fuzz(300, 7, text('hello appliance '.repeat(40)), 'data', 'hash');
  assert.equal(
    [...outcomes.values()].reduce((a, b) => a + b),
    300,
  );
});

test('image links: an appliance with its OS and user-data, in a link', async () => {
  const url = await createShareLink(BASE, 'kv', 'image', encodeOwnImage(OWN));
  assert.ok(url.startsWith(`${BASE}#/a/kv?image=`), url);
  assert.ok(url.length < 16 * 1024, `hello's image makes a link of ${url.length} characters`);
  const shared = await parseShareLink(hashOf(url));
  assert.deepEqual(shared?.own, OWN);
  const kv = { manifest: { ...OWN.manifest, ports: [80] }, image: image('kv.elf') };
  const kvLink = await createShareLink(BASE, 'kv', 'image', encodeOwnImage(kv));
  assert.deepEqual((await parseShareLink(hashOf(kvLink)))?.own, kv);
});

test('an image over the cap fails with too-large and says to export a file', async () => {
  const js = { manifest: { ...OWN.manifest, id: 'js' }, image: image('js.elf') };
  await assert.rejects(createShareLink(BASE, 'js', 'image', encodeOwnImage(js)), (error: Error) => {
    assert.equal(error.name, 'too-large');
    assert.match(error.message, /Use "Export file" instead/);
    return true;
  });
});

test('an image link that checks out but carries no bootable appliance is malformed, saying why', async () => {
  const cases: [Uint8Array, RegExp][] = [
    [text('not a bundle'), /holds no appliance image/],
    [encodeOwnImage({ ...OWN, image: text('<html>') }), /not a multiboot i386 ELF appliance image: it is a text file/],
    [encodeOwnImage({ ...OWN, manifest: { ...OWN.manifest, ports: [0] } }), /"ports"/],
    [encodeOwnImage({ ...OWN, manifest: { ...OWN.manifest, id: 'other' } }), /names "kv" but carries "other"/],
  ];
  for (const [bytes, message] of cases) {
    await assert.rejects(parseShareLink(`#/a/kv?image=${framedPayload(bytes)}`), (error: Error) => {
      assert.equal(error.name, 'malformed');
      assert.match(error.message, message);
      assert.match(error.message, /Ask the sender for a new link/);
      return true;
    });
  }
  const both = framedPayload(encodeOwnImage(OWN));
  assert.equal(await codeOf(parseShareLink(`#/a/kv?image=${both}&data=${both}`)), 'malformed');
});
