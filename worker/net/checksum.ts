/** Adds the bytes as big-endian 16-bit words to a running one's complement sum (RFC 1071). */
export function sum16(bytes: Uint8Array, initial = 0): number {
  let sum = initial;
  const even = bytes.length & ~1;
  for (let i = 0; i < even; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (even !== bytes.length) sum += bytes[even] << 8;
  return sum;
}

/** Folds a running sum to 16 bits and complements it: the Internet checksum. */
export function finishChecksum(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

/** The Internet checksum of the bytes; 0 when computed over bytes that include a valid checksum. */
export function checksum(bytes: Uint8Array, initial = 0): number {
  return finishChecksum(sum16(bytes, initial));
}

/** The running sum of the IPv4 pseudo-header that UDP and TCP checksums cover. */
export function pseudoHeaderSum(src: number, dst: number, protocol: number, length: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + length;
}
