export default function () {
  const dv = new DataView(new ArrayBuffer(16));
  dv.setUint16(0, 0x1234);
  dv.setUint16(2, 0x1234, true);
  dv.setInt32(4, -2);
  dv.setFloat32(8, 1.5);
  dv.setFloat64(8, Math.PI, true);
  const bytes = Array.from(new Uint8Array(dv.buffer))
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
  console.log(bytes);
  console.log(dv.getUint16(0).toString(16), dv.getUint16(2).toString(16), dv.getUint16(2, true).toString(16));
  console.log(dv.getInt32(4), dv.getUint32(4), dv.getInt8(7), dv.getUint8(7), dv.getFloat64(8, true));
  try {
    dv.getUint32(14);
  } catch (e) {
    console.log(e.name);
  }
}
