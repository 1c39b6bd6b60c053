import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { LOADER_NAME, loadMultiboot, MultibootError } from './multiboot.ts';

const MiB = 1 << 20;
const kernel = await readFile(new URL('../public/images/kv.elf', import.meta.url));
const image = kernel.buffer.slice(kernel.byteOffset, kernel.byteOffset + kernel.byteLength) as ArrayBuffer;
const elf = new DataView(image);

/** The PT_LOAD segments of kv.elf, as its program headers say. */
function segments(): { offset: number; paddr: number; filesz: number; memsz: number }[] {
  const found = [];
  for (let i = 0; i < elf.getUint16(44, true); i++) {
    const at = elf.getUint32(28, true) + i * elf.getUint16(42, true);
    if (elf.getUint32(at, true) !== 1) continue;
    const [offset, , paddr, filesz, memsz] = [4, 8, 12, 16, 20].map((field) => elf.getUint32(at + field, true));
    found.push({ offset: offset!, paddr: paddr!, filesz: filesz!, memsz: memsz! });
  }
  return found;
}

/** The NUL-terminated string at `address`. */
function cString(ram: Uint8Array, address: number): string {
  return new TextDecoder().decode(ram.subarray(address, ram.indexOf(0, address)));
}

test('a multiboot ELF is loaded as its program headers say, its .bss left as the RAM was', () => {
  const ram = new Uint8Array(20 * MiB);
  const { entry } = loadMultiboot(ram, image, '');
  const loads = segments();
  assert.ok(
    loads.some((s) => s.memsz - s.filesz > MiB),
    'kv has megabytes of .bss',
  );
  for (const { offset, paddr, filesz, memsz } of loads) {
    assert.deepEqual(ram.subarray(paddr, paddr + filesz), new Uint8Array(image, offset, filesz));
    assert.ok(ram.subarray(paddr + filesz, paddr + memsz).every((byte) => byte === 0));
  }
  assert.equal(entry, elf.getUint32(24, true));
});

test('the boot information has the command line, the loader name, the memory map and module 0', () => {
  const ram = new Uint8Array(20 * MiB);
  const userData = new TextEncoder().encode('{"seed": 1}');
  const { info } = loadMultiboot(ram, image, 'kv.keys=4', userData.buffer);
  const memory = new DataView(ram.buffer);
  const at = (address: number): number => memory.getUint32(address, true);
  const u32 = (offset: number): number => at(info + offset);
  assert.equal(u32(0), 0x1 | 0x4 | 0x8 | 0x40 | 0x200);
  assert.deepEqual([u32(4), u32(8)], [639, 19 * 1024]);
  assert.equal(cString(ram, u32(16)), 'kv.keys=4');
  assert.equal(cString(ram, u32(64)), LOADER_NAME);
  const map = [0, 1].map((i) => {
    const entry = new DataView(ram.buffer, u32(48) + i * 24, 24);
    return [entry.getUint32(0, true), entry.getUint32(4, true), entry.getUint32(12, true), entry.getUint32(20, true)];
  });
  assert.equal(u32(44), 48);
  assert.deepEqual(map, [
    [20, 0, 0x9fc00, 1],
    [20, MiB, 19 * MiB, 1],
  ]);
  // Page-aligned (the header asks for it), after everything the kernel loads.
  const top = Math.max(...segments().map((s) => s.paddr + s.memsz));
  assert.equal(u32(20), 1);
  const [start, end] = [at(u32(24)), at(u32(24) + 4)];
  assert.equal(start, Math.ceil(top / 4096) * 4096);
  assert.equal(end - start, userData.length);
  assert.deepEqual(ram.subarray(start, end), userData);
});

test('what cannot boot is a MultibootError that says why', () => {
  const ram = new Uint8Array(20 * MiB);
  const refuses = (kernel: ArrayBuffer, why: RegExp, module?: ArrayBuffer): void => {
    assert.throws(
      () => loadMultiboot(ram, kernel, '', module),
      (error: Error) => {
        assert.ok(error instanceof MultibootError);
        assert.match(error.message, why);
        return true;
      },
    );
  };
  refuses(new TextEncoder().encode('#!/bin/sh\necho hello\n'.repeat(4)).buffer, /not an ELF/);
  const headerless = image.slice(0);
  new Uint8Array(headerless).fill(0, 52, 8192);
  refuses(headerless, /no multiboot header/);
  refuses(
    image,
    /the kernel and its user-data do not fit in the appliance's RAM \(20 MiB\)/,
    new ArrayBuffer(20 * MiB),
  );
  assert.throws(() => loadMultiboot(new Uint8Array(2 * MiB), image, ''), /the kernel does not fit/);
});
