// ustar archives: round trips, the layout other tar programs read, their long names, and every kind of damage
// failing with a code, never with wrong bytes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { TarError, packTar, unpackTar, type TarErrorCode, type TarFile } from './ustar.ts';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

const SITE: TarFile[] = [
  { name: 'index.html', data: text('<!doctype html><h1>Hi</h1>\n') },
  { name: 'css/site.css', data: text('body { color: red }\n') },
  { name: 'empty.txt', data: new Uint8Array(0) },
  { name: 'exactly-512.bin', data: new Uint8Array(512).fill(7) },
  { name: 'café/ünïcode.md', data: text('# ✓\n') },
];

/** Writes a header field the way tar does: octal digits then NUL, then fixes the checksum. */
function patch(archive: Uint8Array, at: number, offset: number, value: string): void {
  archive.set(text(value), at + offset);
  archive.fill(0x20, at + 148, at + 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += archive[at + i]!;
  archive.set(text(sum.toString(8).padStart(6, '0') + '\0 '), at + 148);
}

/** Asserts that fn throws a TarError with this code and a message. */
function throwsCode(code: TarErrorCode, fn: () => unknown, what?: string): void {
  assert.throws(fn, (error) => {
    assert.ok(error instanceof TarError, `a TarError, not ${String(error)}`);
    assert.equal(error.code, code, what);
    assert.ok(error.message.length > 10, 'the message says what is wrong');
    return true;
  });
}

test('a site round-trips, in order, byte for byte', () => {
  const archive = packTar(SITE);
  assert.equal(archive.length % 512, 0);
  assert.deepEqual(archive.subarray(-1024), new Uint8Array(1024), 'ends with two zero blocks');
  assert.deepEqual(unpackTar(archive), SITE);
  assert.deepEqual(unpackTar(packTar([])), []);
  assert.deepEqual(unpackTar(new Uint8Array(0)), []);
});

test('the header is plain ustar with a valid checksum', () => {
  const archive = packTar([{ name: 'a.txt', data: text('abc') }]);
  const field = (offset: number, width: number): string =>
    new TextDecoder().decode(archive.subarray(offset, offset + width));
  assert.equal(field(0, 6), 'a.txt\0');
  assert.equal(field(124, 12), '00000000003\0');
  assert.equal(field(156, 1), '0');
  assert.equal(field(257, 8), 'ustar\x0000');
  assert.equal(field(512, 4), 'abc\0');
});

test('long paths use the prefix field; paths that cannot fit are refused', () => {
  const deep = `${'d'.repeat(120)}/${'f'.repeat(90)}.html`;
  const archive = packTar([{ name: deep, data: text('x') }]);
  assert.equal(new TextDecoder().decode(archive.subarray(345, 350)), 'ddddd');
  assert.equal(unpackTar(archive)[0]!.name, deep);
  throwsCode('bad-name', () => packTar([{ name: 'n'.repeat(101), data: text('') }]));
  throwsCode('bad-name', () => packTar([{ name: `${'d'.repeat(156)}/x`, data: text('') }]));
  for (const name of ['', '/etc/passwd', '../up', 'a/../b', 'a//b', './a', 'dir/', 'nul\0byte']) {
    throwsCode('bad-name', () => packTar([{ name, data: text('') }]), JSON.stringify(name));
  }
});

test('GNU tar reads what packTar writes, and unpackTar reads what GNU tar writes', (t) => {
  if (spawnSync('tar', ['--version']).status !== 0) return t.skip('no tar here');
  const dir = mkdtempSync(join(tmpdir(), 'ustar-'));
  try {
    writeFileSync(join(dir, 'ours.tar'), packTar(SITE));
    const listed = spawnSync('tar', ['-tf', join(dir, 'ours.tar')], { encoding: 'utf8' });
    assert.equal(listed.status, 0, listed.stderr);
    assert.deepEqual(
      listed.stdout.trim().split('\n'),
      SITE.map((f) => f.name),
    );

    const long = `${'l'.repeat(150)}.txt`;
    writeFileSync(join(dir, long), 'long');
    writeFileSync(join(dir, 'short.txt'), 'short');
    for (const format of ['gnu', 'pax', 'ustar']) {
      const names = format === 'ustar' ? ['short.txt'] : ['short.txt', long];
      const made = spawnSync('tar', [`--format=${format}`, '-C', dir, '-cf', join(dir, 'x.tar'), ...names]);
      assert.equal(made.status, 0, String(made.stderr));
      const files = unpackTar(readFileSync(join(dir, 'x.tar')));
      assert.deepEqual(
        files.map((f) => [f.name, new TextDecoder().decode(f.data)]),
        names.map((n) => [n, n === long ? 'long' : 'short']),
        format,
      );
    }
    const made = spawnSync('tar', ['-C', dir, '-cf', join(dir, 'dot.tar'), '.']);
    assert.equal(made.status, 0);
    const names = unpackTar(readFileSync(join(dir, 'dot.tar'))).map((f) => f.name);
    assert.ok(names.includes('short.txt') && names.includes('ours.tar'), 'a leading ./ is dropped');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('damage fails with a code: bad checksum, bad size, data or header cut short', () => {
  const archive = packTar(SITE);
  const damaged = archive.slice();
  damaged[0] ^= 1;
  throwsCode('bad-checksum', () => unpackTar(damaged));
  throwsCode('bad-checksum', () => unpackTar(text('{"this": "is JSON, not tar"}'.padEnd(600))));

  const badSize = archive.slice();
  patch(badSize, 0, 124, '0000000008x\0');
  throwsCode('bad-header', () => unpackTar(badSize));

  throwsCode('truncated', () => unpackTar(archive.subarray(0, 512 + 10)));
  throwsCode('truncated', () => unpackTar(archive.subarray(0, 1024 + 100)));
  assert.equal(unpackTar(archive.subarray(0, 1024)).length, 1, 'an archive without its end blocks is read');
  assert.equal(unpackTar(archive.subarray(0, archive.length - 100)).length, SITE.length, 'a short zero tail');
});

test('directories, links and pax global headers are skipped', () => {
  const archive = packTar([
    { name: 'dir/keep.txt', data: text('1') },
    { name: 'link', data: text('') },
    { name: 'global', data: text('') },
    { name: 'last.txt', data: text('2') },
  ]);
  patch(archive, 1024, 156, '2'); // a symlink
  patch(archive, 1536, 156, 'g'); // a pax global header
  assert.deepEqual(
    unpackTar(archive).map((f) => f.name),
    ['dir/keep.txt', 'last.txt'],
  );
});
