export default function () {
  const buf = new ArrayBuffer(12);
  const dv = new DataView(buf, 4, 6);
  console.log(dv.byteOffset, dv.byteLength, dv.buffer === buf);
  dv.setInt16(0, -1234);
  dv.setUint32(2, 0xdeadbeef, true);
  console.log(Array.from(new Uint8Array(buf)).join(','));
  console.log(dv.getInt16(0), dv.getUint32(2, true).toString(16), dv.getUint32(2).toString(16));
  const floats = new DataView(new ArrayBuffer(4));
  floats.setFloat32(0, 0.1);
  console.log(floats.getFloat32(0), floats.getUint32(0).toString(16));
}
