export default function () {
  console.log(Array.from(Int8Array.from([127, 128, -129])).join(','));
  console.log(Array.from(Uint16Array.of(1, 65536, -1)).join(','));
  console.log(Array.from(Float32Array.from(new Set([0.5, 2]), (x) => x * 2)).join(','));
}
