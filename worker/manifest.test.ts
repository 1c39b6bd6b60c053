import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { checkImage, defaultManifest, parseManifest, type ManifestError } from './manifest.ts';

const KV = readFileSync(new URL('../public/images/kv.elf', import.meta.url));
const GOOD = { id: 'demo', title: 'Demo', summary: 'A demo.', memory: 16 << 20, ports: [80] };

/** The message of the ManifestError `run` throws, after checking its code. */
function refusal(code: string, run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.equal((error as ManifestError).code, code);
    return (error as Error).message;
  }
  assert.fail('expected a ManifestError');
}

test('a built appliance is a multiboot i386 ELF', () => {
  checkImage(new Uint8Array(KV));
});

test('other files are refused, saying what they are', () => {
  const cases: [Uint8Array, RegExp][] = [
    [new Uint8Array(), /an empty file/],
    [gzipSync(KV), /a gzip file/],
    [new TextEncoder().encode('int main() {}\n'), /a text file/],
    [new Uint8Array(readFileSync(process.execPath)), /a 64-bit ELF/],
    [KV.subarray(0, 40), /a truncated ELF/],
  ];
  for (const [bytes, found] of cases)
    assert.match(
      refusal('bad-image', () => checkImage(bytes, 'x.elf')),
      found,
    );
  const noHeader = new Uint8Array(KV);
  const at = Buffer.from(noHeader).indexOf(Buffer.from([0x02, 0xb0, 0xad, 0x1b]));
  noHeader[at] = 0;
  assert.match(
    refusal('bad-image', () => checkImage(noHeader)),
    /without a multiboot header/,
  );
});

test('a manifest is checked field by field', () => {
  assert.deepEqual(parseManifest(JSON.stringify({ ...GOOD, userData: 'json' })), { ...GOOD, userData: 'json' });
  const bad: [unknown, RegExp][] = [
    ['{', /not JSON/],
    [[], /must be a JSON object/],
    [{ ...GOOD, id: 'Demo' }, /"id" must be/],
    [{ ...GOOD, id: '9lives' }, /"id" must be/],
    [{ ...GOOD, title: '' }, /"title"/],
    [{ ...GOOD, memory: 1000 }, /"memory" must be whole MiB/],
    [{ ...GOOD, memory: 1 << 30 }, /"memory" must be between 2 and 512 MiB/],
    [{ ...GOOD, ports: [0] }, /"ports"/],
    [{ ...GOOD, userData: 'xml' }, /"userData" must be one of json, files, script/],
  ];
  for (const [value, message] of bad) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    assert.match(
      refusal('bad-manifest', () => parseManifest(text)),
      message,
    );
  }
});

test('an image without a manifest is named after its file', () => {
  assert.equal(defaultManifest('My App.elf').id, 'my-app');
  assert.equal(defaultManifest('42.elf').id, 'appliance');
});
