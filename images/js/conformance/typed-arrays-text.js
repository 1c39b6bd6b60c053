/* eslint-disable no-undef -- the semantics under test */
export default function () {
  const enc = new TextEncoder();
  const bytes = enc.encode('hé😀');
  console.log(bytes.length, Array.from(bytes).join(','));
  const dec = new TextDecoder();
  console.log(dec.decode(bytes), dec.decode(new Uint8Array([0x61, 0xff, 0x62])), dec.decode(bytes.subarray(0, 3)));
  console.log(new TextDecoder().encoding, new TextEncoder().encoding);
}
