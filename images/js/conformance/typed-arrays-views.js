export default function () {
  const buf = new ArrayBuffer(8);
  const u8 = new Uint8Array(buf);
  const u32 = new Uint32Array(buf);
  u32[0] = 0x11223344;
  console.log(
    Array.from(u8.subarray(0, 4))
      .map((b) => b.toString(16))
      .join(' '),
  );
  const sub = u8.subarray(2, 6);
  sub[0] = 0xff;
  console.log(sub.length, sub.byteOffset, u8[2], u32[0].toString(16));
  const sliced = u8.slice(0, 2);
  sliced[0] = 0;
  console.log(u8[0], sliced[0], buf.byteLength, buf.slice(4).byteLength);
  const f64 = new Float64Array(1);
  new Uint8Array(f64.buffer).set([0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
  console.log(f64[0]);
}
