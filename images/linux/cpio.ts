// The initramfs format: a cpio archive in the "newc" layout the kernel unpacks
// (Documentation/driver-api/early-userspace/buffer-format.rst). No root, no cpio binary,
// and the same bytes on every build: fixed inode numbers, owners and times.

/** One file, directory, symlink or device node, with its absolute path in the archive. */
export type CpioEntry =
  | { type: 'dir'; path: string; mode?: number }
  | { type: 'file'; path: string; data: Uint8Array; mode?: number }
  | { type: 'symlink'; path: string; target: string }
  | { type: 'char'; path: string; major: number; minor: number; mode?: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;
const MAGIC = '070701';
const TRAILER = 'TRAILER!!!';

/** The archive of `entries`, in their order (a directory must come before what it holds). */
export function cpio(entries: CpioEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  const push = (bytes: Uint8Array): void => {
    parts.push(bytes);
    size += bytes.length;
    const pad = (4 - (size % 4)) % 4;
    if (pad) {
      parts.push(new Uint8Array(pad));
      size += pad;
    }
  };
  entries.forEach((entry, i) => {
    const data = body(entry);
    push(header(entry.path.replace(/^\//, ''), i + 1, mode(entry), data.length, entry));
    if (data.length) push(data);
  });
  push(header(TRAILER, 0, 0, 0));
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function mode(entry: CpioEntry): number {
  switch (entry.type) {
    case 'dir':
      return S_IFDIR | (entry.mode ?? 0o755);
    case 'file':
      return S_IFREG | (entry.mode ?? 0o644);
    case 'symlink':
      return S_IFLNK | 0o777;
    case 'char':
      return S_IFCHR | (entry.mode ?? 0o600);
  }
}

function body(entry: CpioEntry): Uint8Array {
  if (entry.type === 'file') return entry.data;
  if (entry.type === 'symlink') return new TextEncoder().encode(entry.target);
  return new Uint8Array(0);
}

// The 110-byte header (13 fields of 8 hex digits after the magic), then the name and its NUL.
function header(name: string, ino: number, mode: number, fileSize: number, entry?: CpioEntry): Uint8Array {
  const device = entry?.type === 'char' ? entry : { major: 0, minor: 0 };
  const nlink = entry?.type === 'dir' ? 2 : 1;
  const fields = [ino, mode, 0, 0, nlink, 0, fileSize, 0, 0, device.major, device.minor, name.length + 1, 0];
  const text = MAGIC + fields.map((f) => f.toString(16).padStart(8, '0')).join('') + name + '\0';
  return new TextEncoder().encode(text);
}
