// The "Export file" format: round trips, and every kind of bad file failing with a code.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  APPLIANCE_FILE_EXTENSION,
  APPLIANCE_FILE_TYPE,
  ApplianceFileError,
  applianceFileName,
  decodeApplianceFile,
  encodeApplianceFile,
  type ApplianceFile,
  type ApplianceFileErrorCode,
} from './appliance-file.ts';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

const SAVED_AT = Date.UTC(2025, 5, 1, 12, 30, 15, 250);
const SAMPLE: ApplianceFile = {
  id: 'kv',
  name: 'My KV',
  savedAt: SAVED_AT,
  userData: text('{"a":"1"}'),
  state: Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff),
};

/** The code decoding fails with; fails the test on any other outcome. */
function codeOf(bytes: Uint8Array): ApplianceFileErrorCode {
  try {
    decodeApplianceFile(bytes);
  } catch (error) {
    assert.ok(error instanceof ApplianceFileError, `expected an ApplianceFileError, got ${String(error)}`);
    assert.equal(error.code, error.name);
    assert.ok(error.message.length > 0);
    return error.code;
  }
  assert.fail('expected an ApplianceFileError');
}

/** A file with a hand-written header, so tests can make it lie. */
function withHeader(header: unknown, body: Uint8Array = new Uint8Array(), version = 1): Uint8Array {
  const json = text(typeof header === 'string' ? header : JSON.stringify(header));
  const preamble = new Uint8Array(13);
  preamble.set(text('TABCLOUD'));
  const view = new DataView(preamble.buffer);
  view.setUint8(8, version);
  view.setUint32(9, json.length, true);
  return new Uint8Array([...preamble, ...json, ...body]);
}

const GOOD_HEADER = {
  id: 'kv',
  name: 'My KV',
  savedAt: '2025-06-01T12:30:15.250Z',
  userDataBytes: 2,
  stateBytes: 3,
  stateEncoding: 'raw',
};

test('round trip: user-data and state', () => {
  const bytes = encodeApplianceFile(SAMPLE);
  assert.deepEqual(decodeApplianceFile(bytes), SAMPLE);
});

test('round trip: empty user-data, no state', () => {
  const file: ApplianceFile = { id: 'hello', name: '', savedAt: 0, userData: new Uint8Array() };
  const decoded = decodeApplianceFile(encodeApplianceFile(file));
  assert.deepEqual(decoded, file);
  assert.equal('state' in decoded, false);
});

test('round trip: an empty state is kept apart from no state', () => {
  const file: ApplianceFile = { ...SAMPLE, state: new Uint8Array() };
  assert.deepEqual(decodeApplianceFile(encodeApplianceFile(file)).state, new Uint8Array());
});

test('round trip: a name with quotes, newlines and non-Latin letters', () => {
  const file: ApplianceFile = { ...SAMPLE, name: 'Ünïcode "kv"\n日本語 🚀' };
  assert.deepEqual(decodeApplianceFile(encodeApplianceFile(file)), file);
});

test('decoding a view into a larger buffer works, and returns copies', () => {
  const bytes = encodeApplianceFile(SAMPLE);
  const padded = new Uint8Array(bytes.length + 20);
  padded.set(bytes, 10);
  const decoded = decodeApplianceFile(padded.subarray(10, 10 + bytes.length));
  assert.deepEqual(decoded, SAMPLE);
  assert.notEqual(decoded.userData.buffer, padded.buffer);
});

test('the file starts with TABCLOUD, the version and a readable JSON header', () => {
  const bytes = encodeApplianceFile(SAMPLE);
  assert.equal(new TextDecoder().decode(bytes.subarray(0, 8)), 'TABCLOUD');
  assert.equal(bytes[8], 1);
  const headerLength = new DataView(bytes.buffer).getUint32(9, true);
  assert.deepEqual(JSON.parse(new TextDecoder().decode(bytes.subarray(13, 13 + headerLength))), {
    id: 'kv',
    name: 'My KV',
    savedAt: '2025-06-01T12:30:15.250Z',
    userDataBytes: 9,
    stateBytes: 300,
    stateEncoding: 'raw',
  });
});

test('a hand-made file decodes', () => {
  const decoded = decodeApplianceFile(withHeader(GOOD_HEADER, Uint8Array.of(1, 2, 3, 4, 5)));
  assert.deepEqual(decoded, {
    id: 'kv',
    name: 'My KV',
    savedAt: SAVED_AT,
    userData: Uint8Array.of(1, 2),
    state: Uint8Array.of(3, 4, 5),
  });
});

test('every truncation of a small file is truncated', () => {
  const bytes = encodeApplianceFile(SAMPLE);
  for (let length = 0; length < bytes.length; length++) {
    assert.equal(codeOf(bytes.subarray(0, length)), 'truncated', `cut at ${length}`);
  }
});

test('a file with bytes after its declared end is malformed', () => {
  const bytes = encodeApplianceFile(SAMPLE);
  assert.equal(codeOf(new Uint8Array([...bytes, 0])), 'malformed');
});

test('wrong magic: not an appliance file', () => {
  for (const bytes of [text('PK\x03\x04 a zip file'), text('tabcloud'), text('TABCLOUX'), text('X')]) {
    assert.equal(codeOf(bytes), 'not-an-appliance-file');
  }
  assert.match(String(captured(() => decodeApplianceFile(text('hello')))), /Export file/);
});

test('a future version is unknown-version and says to reload', () => {
  const bytes = withHeader(GOOD_HEADER, Uint8Array.of(1, 2, 3, 4, 5), 3);
  assert.equal(codeOf(bytes), 'unknown-version');
  assert.match(String(captured(() => decodeApplianceFile(bytes))), /Reload the page/);
  assert.equal(codeOf(text('TABCLOUD\x03')), 'unknown-version');
});

test('an unknown state encoding is unknown-version', () => {
  const bytes = withHeader({ ...GOOD_HEADER, stateEncoding: 'zstd' }, Uint8Array.of(1, 2, 3, 4, 5));
  assert.equal(codeOf(bytes), 'unknown-version');
});

test('a header lying about sizes fails with a code', () => {
  const body = Uint8Array.of(1, 2, 3, 4, 5);
  assert.equal(codeOf(withHeader({ ...GOOD_HEADER, userDataBytes: 100 }, body)), 'truncated');
  assert.equal(codeOf(withHeader({ ...GOOD_HEADER, stateBytes: 100 }, body)), 'truncated');
  assert.equal(codeOf(withHeader({ ...GOOD_HEADER, stateBytes: 1 }, body)), 'malformed');
  assert.equal(codeOf(withHeader({ ...GOOD_HEADER, userDataBytes: 2 ** 53 }, body)), 'malformed');

  const hugeHeader = withHeader(GOOD_HEADER, body);
  new DataView(hugeHeader.buffer).setUint32(9, 0xffffffff, true);
  assert.equal(codeOf(hugeHeader), 'malformed');
  const longerHeader = withHeader(GOOD_HEADER, body);
  new DataView(longerHeader.buffer).setUint32(9, longerHeader.length, true);
  assert.equal(codeOf(longerHeader), 'truncated');
  const shorterHeader = withHeader(GOOD_HEADER, body);
  new DataView(shorterHeader.buffer).setUint32(9, 10, true);
  assert.equal(codeOf(shorterHeader), 'malformed');
});

test('a header with wrong field types is malformed', () => {
  const body = Uint8Array.of(1, 2, 3, 4, 5);
  const headers: unknown[] = [
    'not json',
    '[]',
    'null',
    '"kv"',
    { ...GOOD_HEADER, id: 7 },
    { ...GOOD_HEADER, id: 'Not An Id' },
    { ...GOOD_HEADER, id: undefined },
    { ...GOOD_HEADER, name: null },
    { ...GOOD_HEADER, name: 'x'.repeat(201) },
    { ...GOOD_HEADER, savedAt: 1748781015250 },
    { ...GOOD_HEADER, savedAt: 'yesterday' },
    { ...GOOD_HEADER, savedAt: '2025-13-45T99:99:99.999Z' },
    { ...GOOD_HEADER, userDataBytes: '2' },
    { ...GOOD_HEADER, userDataBytes: -1 },
    { ...GOOD_HEADER, userDataBytes: 1.5 },
    { ...GOOD_HEADER, stateBytes: '3' },
    { ...GOOD_HEADER, stateBytes: undefined },
    { ...GOOD_HEADER, stateEncoding: 3 },
    { ...GOOD_HEADER, stateEncoding: null },
    { ...GOOD_HEADER, userDataBytes: 5, stateBytes: null, stateEncoding: 'raw' },
  ];
  for (const header of headers) {
    assert.equal(codeOf(withHeader(header, body)), 'malformed', JSON.stringify(header));
  }
});

test('a header that is not UTF-8 is malformed', () => {
  const bytes = withHeader(GOOD_HEADER, Uint8Array.of(1, 2, 3, 4, 5));
  bytes[13 + 8] = 0xff;
  assert.equal(codeOf(bytes), 'malformed');
});

test('unknown header fields are ignored, for files from later minor changes', () => {
  const decoded = decodeApplianceFile(withHeader({ ...GOOD_HEADER, note: 'new' }, Uint8Array.of(1, 2, 3, 4, 5)));
  assert.equal(decoded.id, 'kv');
});

test('encoding refuses what decoding would refuse', () => {
  const bad: ApplianceFile[] = [
    { ...SAMPLE, id: 'Bad Id' },
    { ...SAMPLE, name: 'x'.repeat(201) },
    { ...SAMPLE, savedAt: Number.NaN },
    { ...SAMPLE, savedAt: 1.5 },
    { ...SAMPLE, savedAt: 8.64e15 + 1 },
  ];
  for (const file of bad) {
    const error = captured(() => encodeApplianceFile(file));
    assert.ok(error instanceof ApplianceFileError);
    assert.equal(error.code, 'malformed');
  }
});

test('file names come from the user name, falling back to the id', () => {
  assert.equal(applianceFileName({ id: 'kv', name: 'My KV' }), 'my-kv.tabcloud');
  assert.equal(applianceFileName({ id: 'kv', name: '  Notes / 2025: draft!  ' }), 'notes-2025-draft.tabcloud');
  assert.equal(applianceFileName({ id: 'kv', name: 'Café Über' }), 'café-über.tabcloud');
  assert.equal(applianceFileName({ id: 'kv', name: '' }), 'kv.tabcloud');
  assert.equal(applianceFileName({ id: 'hello', name: '../../' }), 'hello.tabcloud');
  assert.ok(applianceFileName({ id: 'kv', name: 'a'.repeat(300) }).length <= 64 + APPLIANCE_FILE_EXTENSION.length);
});

test('the MIME type and extension are stable', () => {
  assert.equal(APPLIANCE_FILE_TYPE, 'application/x-tabcloud');
  assert.equal(APPLIANCE_FILE_EXTENSION, '.tabcloud');
});

/** The error a function throws. */
function captured(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

const HELLO = new Uint8Array(readFileSync(new URL('../public/images/hello.elf', import.meta.url)));
const OWN: ApplianceFile = {
  ...SAMPLE,
  id: 'mine',
  own: { manifest: { id: 'mine', title: 'Mine', summary: 'Mine.', memory: 16 << 20, ports: [80] }, image: HELLO },
};

test('round trip: an appliance of its own carries its manifest and image, as format 2', () => {
  const bytes = encodeApplianceFile(OWN);
  assert.equal(bytes[8], 2);
  assert.deepEqual(decodeApplianceFile(bytes), OWN);
  assert.equal(encodeApplianceFile(SAMPLE)[8], 1, 'files without an image stay format 1');
});

test('a format 2 file with a bad manifest, image or size is malformed, saying what', () => {
  const header = { ...GOOD_HEADER, id: 'mine', userDataBytes: 0, stateBytes: null, stateEncoding: null };
  const file = (manifest: unknown, image: Uint8Array, imageBytes: unknown = image.length): Uint8Array =>
    withHeader({ ...header, manifest, imageBytes }, image, 2);
  const manifest = OWN.own!.manifest;
  assert.deepEqual(decodeApplianceFile(file(manifest, HELLO)).own, OWN.own);
  const cases: [Uint8Array, RegExp][] = [
    [file(manifest, text('hello')), /its image is not a multiboot i386 ELF appliance image: it is a text file/],
    [file({ ...manifest, memory: 1 }, HELLO), /"memory"/],
    [file({ ...manifest, id: 'other' }, HELLO), /names 'other'/],
    [file(undefined, HELLO), /appliance.json/],
    [file(manifest, HELLO, -1), /image size/],
  ];
  for (const [bytes, message] of cases) {
    assert.equal(codeOf(bytes), 'malformed');
    assert.match(String(captured(() => decodeApplianceFile(bytes))), message);
  }
  assert.equal(codeOf(file(manifest, HELLO, HELLO.length + 1)), 'truncated');
});

test('every truncation of a file with an image is truncated, and bytes after it malformed', () => {
  const bytes = encodeApplianceFile(OWN);
  for (let length = 0; length < bytes.length; length += length < 600 ? 1 : 97) {
    assert.equal(codeOf(bytes.subarray(0, length)), 'truncated', `cut at ${length}`);
  }
  assert.equal(codeOf(new Uint8Array([...bytes, 0])), 'malformed');
});
