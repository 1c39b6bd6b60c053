export default function () {
  const u8 = new Uint8Array([1, 255, 256, -1, 3.7]);
  console.log(Array.from(u8).join(','), u8.length, u8.byteLength, u8.BYTES_PER_ELEMENT);
  const i8 = new Int8Array([127, 128, -129]);
  console.log(Array.from(i8).join(','));
  const c = new Uint8ClampedArray([300, -5, 1.5, 2.5]);
  console.log(Array.from(c).join(','));
  const f32 = new Float32Array([0.1, 1e40]);
  console.log(f32[0], f32[1]);
  const u32 = new Uint32Array(2);
  u32[0] = -1;
  u32[1] = 2 ** 32 + 5;
  console.log(u32[0], u32[1], new Int32Array([2 ** 31])[0], new Int16Array([40000])[0], new Uint16Array([-1])[0]);
}
