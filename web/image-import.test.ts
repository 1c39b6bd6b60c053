// Choosing or dropping an image of one's own: the right files make an offer, anything else a clear refusal.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { ManifestError } from '../worker/manifest.ts';
import { offerFromFiles } from './image-import.ts';

const HELLO = readFileSync(new URL('../public/images/hello.elf', import.meta.url));
const MANIFEST = { id: 'hello', title: 'Mine', summary: 'Mine.', memory: 16 << 20, ports: [] };
const file = (name: string, content: Uint8Array<ArrayBuffer> | string): File => new File([content], name);
const elf = (): File => file('hello.elf', HELLO);
const json = (value: unknown): File => file('appliance.json', JSON.stringify(value));

/** The code and message offerFromFiles() rejects with. */
async function refusal(files: File[]): Promise<{ code: string; message: string }> {
  try {
    await offerFromFiles(files);
  } catch (error) {
    return { code: (error as ManifestError).code, message: (error as Error).message };
  }
  assert.fail('expected a refusal');
}

test('an image with its appliance.json, in either order, is offered under its manifest', async () => {
  for (const files of [
    [elf(), json(MANIFEST)],
    [json(MANIFEST), elf()],
  ]) {
    const offer = await offerFromFiles(files);
    assert.deepEqual(offer.spec, { ...MANIFEST, image: 'hello.elf' });
    assert.deepEqual(offer.source, { kind: 'file', detail: 'hello.elf with appliance.json' });
    assert.deepEqual(offer.own, { image: new Uint8Array(HELLO) });
  }
});

test('an image alone gets the defaults, named after its file', async () => {
  const offer = await offerFromFiles([elf()]);
  assert.equal(offer.spec.id, 'hello');
  assert.deepEqual(offer.source, { kind: 'file', detail: 'hello.elf' });
  assert.equal(offer.own?.defaults, true);
});

test('files that are not one image with at most one manifest are refused, saying what to do', async () => {
  const cases: [File[], string, RegExp][] = [
    [
      [file('notes.txt', 'hello')],
      'bad-image',
      /notes\.txt is not a multiboot i386 ELF .* a text file\. Choose the \.elf/,
    ],
    [[json(MANIFEST)], 'bad-image', /appliance\.json alone is no appliance/],
    [[elf(), file('b.elf', HELLO)], 'bad-image', /one appliance image at a time .*hello\.elf, b\.elf/],
    [[elf(), json(MANIFEST), json(MANIFEST)], 'bad-image', /one appliance\.json with the image, not 2/],
    [[elf(), json({ ...MANIFEST, ports: 'all' })], 'bad-manifest', /"ports" must be .*Fix it/],
    [[elf(), file('appliance.json', '{')], 'bad-manifest', /appliance\.json is not JSON/],
  ];
  for (const [files, code, message] of cases) {
    const error = await refusal(files);
    assert.equal(error.code, code);
    assert.match(error.message, message);
  }
});
