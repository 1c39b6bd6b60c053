/* eslint-disable no-undef -- the semantics under test */
const hex = (u8) => Array.from(u8, (b) => b.toString(16).padStart(2, '0')).join('');
const fromHex = (s) => new Uint8Array(s.match(/../g).map((h) => parseInt(h, 16)));
function crc32(bytes) {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (~c >>> 0).toString(16);
}

export default function () {
  const data = new TextEncoder().encode('The quick brown fox');
  console.log(hex(data));
  console.log(hex(fromHex('00ff10')), crc32(data), crc32(new Uint8Array(0)));
}
