// An appliance of one's own as it travels in a link: round trips, and damaged bundles failing with what is wrong.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ManifestError, type Manifest } from '../worker/manifest.ts';
import { decodeOwnImage, encodeOwnImage, isOwnImageError, OwnImageError, ownSpec, specOf } from './own-image.ts';

const HELLO = new Uint8Array(readFileSync(new URL('../public/images/hello.elf', import.meta.url)));
const MANIFEST: Manifest = { id: 'hello', title: 'My hello', summary: 'Mine.', memory: 16 << 20, ports: [] };
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

test('round trip: the image alone, with user-data, with a machine', () => {
  const cases = [
    { manifest: MANIFEST, image: HELLO },
    { manifest: { ...MANIFEST, userData: 'json' as const }, image: HELLO, userData: text('{"a":"1"}') },
    { manifest: MANIFEST, image: HELLO, state: Uint8Array.of(1, 2, 3) },
    { manifest: MANIFEST, image: HELLO, userData: text('x'), state: new Uint8Array() },
  ];
  for (const own of cases) assert.deepEqual(decodeOwnImage(encodeOwnImage(own)), own);
});

test('its spec is its manifest; a saved appliance with an image is not looked up in the catalog', () => {
  const catalog = [{ ...MANIFEST, title: 'Hello', image: 'images/hello.elf' }];
  assert.deepEqual(ownSpec(MANIFEST), { ...MANIFEST, image: 'hello.elf' });
  assert.equal(specOf({ applianceId: 'hello', manifest: MANIFEST, image: HELLO }, catalog)?.title, 'My hello');
  assert.equal(specOf({ applianceId: 'hello' }, catalog)?.title, 'Hello');
  assert.equal(specOf({ applianceId: 'other' }, catalog), undefined);
});

/** The error decoding throws, after checking it is one of the bundle's. */
function refusal(bytes: Uint8Array): Error {
  try {
    decodeOwnImage(bytes);
  } catch (error) {
    assert.ok(isOwnImageError(error), `expected a bundle or manifest error, got ${String(error)}`);
    return error;
  }
  assert.fail('expected an error');
}

test('every truncation, and bytes added at the end, fail with what is wrong', () => {
  const bytes = encodeOwnImage({ manifest: MANIFEST, image: HELLO.subarray(0, 600), userData: text('data') });
  for (let length = 0; length < bytes.length; length += 7) {
    assert.ok(refusal(bytes.subarray(0, length)) instanceof OwnImageError, `cut at ${length}`);
  }
  assert.match(refusal(new Uint8Array([...bytes, 0])).message, /do not add up/);
});

test('a bundle whose image is not an appliance, or whose manifest is bad, says so', () => {
  const notElf = refusal(encodeOwnImage({ manifest: MANIFEST, image: text('#!/bin/sh\necho hi\n') }));
  assert.ok(notElf instanceof ManifestError);
  assert.match(notElf.message, /not a multiboot i386 ELF appliance image: it is a script/);
  const bad = refusal(encodeOwnImage({ manifest: { ...MANIFEST, memory: 3 }, image: HELLO }));
  assert.equal((bad as ManifestError).code, 'bad-manifest');
  assert.match(bad.message, /"memory"/);
});

test('another format version or other bytes are refused', () => {
  const bytes = encodeOwnImage({ manifest: MANIFEST, image: HELLO });
  bytes[7] = 2;
  assert.match(refusal(bytes).message, /another Tabcloud version \(format 2\)/);
  assert.match(refusal(text('{"not":"a bundle"}')).message, /no appliance image/);
});
