// A multiboot v1 loader for machines that never ran: the kernel's segments, its command line, module 0 (the
// appliance's user-data) and the boot information, written into guest RAM; the CPU is then set at the kernel's entry
// (worker/emulator.ts). v86 has a loader of its own, but it builds the memory map by walking all 4 GiB of address
// space in 128 KiB steps (32 768 of them, as cold JavaScript in a fresh worker) and leaves each segment's .bss as RAM
// had it. RAM that was never written is zero, and this loader says so by its name: the kernel then skips zeroing its
// .bss (images/kernel/multiboot.c), megabytes that each page of the host's memory would be touched for.

/** The loader's name in the boot information: a kernel that reads it may take its .bss as zeroed. */
export const LOADER_NAME = 'tabcloud (bss zeroed)';

const ELF_MAGIC = 0x464c457f;
const EM_386 = 3;
const PT_LOAD = 1;
const HEADER_MAGIC = 0x1badb002;
/** Multiboot v1: the header lies 4-aligned within the image's first 8 KiB. */
const HEADER_SEARCH = 8192;
const HEADER_PAGE_ALIGN = 0x1;
const HEADER_ADDRESSES = 0x10000;

const INFO_MEM = 0x1;
const INFO_CMDLINE = 0x4;
const INFO_MODS = 0x8;
const INFO_MMAP = 0x40;
const INFO_LOADER_NAME = 0x200;
const INFO_SIZE = 88;
/** Where the boot information goes (as v86's loader puts it): low memory, below any kernel at 1 MiB. */
const INFO_ADDRESS = 0x7c00;
/** The end of conventional memory: the rest of the first MiB is the VGA window and ROMs. */
const LOW_MEMORY = 0x9fc00;
const HIGH_MEMORY = 0x100000;
const PAGE = 4096;

/** What the loader leaves for the CPU: where to start, and the address of the boot information (EBX). */
export interface Loaded {
  entry: number;
  info: number;
}

export class MultibootError extends Error {}

/**
 * Loads `kernel` (a multiboot i386 ELF) into `ram` (the guest's RAM, all zero) with `cmdline` and, if given, `module`
 * as module 0. Throws a MultibootError saying what is wrong with the image, or what does not fit in RAM.
 */
export function loadMultiboot(ram: Uint8Array, kernel: ArrayBuffer, cmdline: string, module?: ArrayBuffer): Loaded {
  const image = new DataView(kernel);
  if (kernel.byteLength < 52 || image.getUint32(0, true) !== ELF_MAGIC) throw new MultibootError('not an ELF file');
  if (image.getUint8(4) !== 1 || image.getUint16(18, true) !== EM_386) throw new MultibootError('not an i386 ELF');
  const flags = multibootFlags(image);
  if (flags === undefined) throw new MultibootError('it has no multiboot header in its first 8 KiB');
  if (flags & HEADER_ADDRESSES) throw new MultibootError('its multiboot header asks for a.out load addresses');
  let entry = image.getUint32(24, true);
  const phoff = image.getUint32(28, true);
  const phentsize = image.getUint16(42, true);
  let top = 0;
  for (let i = 0; i < image.getUint16(44, true); i++) {
    const at = phoff + i * phentsize;
    if (at + 32 > kernel.byteLength) throw new MultibootError('its program headers run past the end of the file');
    if (image.getUint32(at, true) !== PT_LOAD) continue;
    const [offset, vaddr, paddr, filesz, memsz] = [4, 8, 12, 16, 20].map((field) => image.getUint32(at + field, true));
    if (filesz > memsz || offset + filesz > kernel.byteLength) throw new MultibootError('a segment is damaged');
    fits(ram, paddr, memsz, 'the kernel does not');
    ram.set(new Uint8Array(kernel, offset, filesz), paddr);
    top = Math.max(top, paddr + memsz);
    // The entry is a virtual address; paging is off, so it runs at its physical one.
    if (vaddr <= entry && entry < vaddr + memsz) entry = entry - vaddr + paddr;
  }
  if (top === 0) throw new MultibootError('it has no segment to load');

  const info = new DataView(ram.buffer, ram.byteOffset + INFO_ADDRESS, INFO_SIZE);
  let data = INFO_ADDRESS + INFO_SIZE;
  const string = (text: string): number => {
    const bytes = new TextEncoder().encode(`${text}\0`);
    ram.set(bytes, data);
    data += bytes.length;
    return data - bytes.length;
  };
  let infoFlags = INFO_MEM | INFO_MMAP | INFO_LOADER_NAME | INFO_CMDLINE;
  info.setUint32(4, LOW_MEMORY >> 10, true);
  info.setUint32(8, (ram.length - HIGH_MEMORY) >> 10, true);
  info.setUint32(16, string(cmdline), true);
  info.setUint32(64, string(LOADER_NAME), true);
  data = (data + 3) & ~3;
  const map: [number, number][] = [
    [0, LOW_MEMORY],
    [HIGH_MEMORY, ram.length - HIGH_MEMORY],
  ];
  info.setUint32(44, map.length * 24, true);
  info.setUint32(48, data, true);
  for (const [base, length] of map) {
    const entryView = new DataView(ram.buffer, ram.byteOffset + data, 24);
    entryView.setUint32(0, 20, true); // the size of the rest of the entry
    entryView.setUint32(4, base, true);
    entryView.setUint32(12, length, true);
    entryView.setUint32(20, 1, true); // available RAM
    data += 24;
  }
  if (module) {
    const start = flags & HEADER_PAGE_ALIGN ? Math.ceil(top / PAGE) * PAGE : top;
    fits(ram, start, module.byteLength, 'the kernel and its user-data do not');
    ram.set(new Uint8Array(module), start);
    infoFlags |= INFO_MODS;
    info.setUint32(20, 1, true);
    info.setUint32(24, data, true);
    const mod = new DataView(ram.buffer, ram.byteOffset + data, 16);
    mod.setUint32(0, start, true);
    mod.setUint32(4, start + module.byteLength, true);
    data += 16;
  }
  info.setUint32(0, infoFlags, true);
  if (data > LOW_MEMORY) throw new MultibootError('its command line does not fit in low memory');
  return { entry, info: INFO_ADDRESS };
}

/** The flags of the image's multiboot header (the first valid one in its first 8 KiB), or undefined if it has none. */
export function multibootFlags(image: DataView): number | undefined {
  const end = Math.min(image.byteLength - 12, HEADER_SEARCH);
  for (let at = 0; at <= end; at += 4) {
    if (image.getUint32(at, true) !== HEADER_MAGIC) continue;
    const flags = image.getUint32(at + 4, true);
    if (((HEADER_MAGIC + flags + image.getUint32(at + 8, true)) | 0) === 0) return flags;
  }
  return undefined;
}

function fits(ram: Uint8Array, address: number, length: number, what: string): void {
  if (address < HIGH_MEMORY) throw new MultibootError('it loads below 1 MiB, where the boot information goes');
  if (address + length > ram.length) {
    throw new MultibootError(`${what} fit in the appliance's RAM (${ram.length >> 20} MiB)`);
  }
}
