export default function () {
  const a = new Int16Array([5, -3, 10, 0, 7]);
  console.log(Array.from(a.map((x) => x * 2)).join(','), a.indexOf(10), a.includes(7), a.join('|'));
  console.log(
    Array.from(a.filter((x) => x > 0)).join(','),
    a.reduce((s, x) => s + x, 0),
    Array.from(a.slice(-2)).join(','),
  );
  const sorted = new Int16Array(a).sort();
  console.log(Array.from(sorted).join(','), Array.from(a).join(','));
  const t = new Uint8Array(6);
  t.set([1, 2, 3]);
  t.set(new Uint8Array([9, 9]), 4);
  console.log(Array.from(t).join(','), Array.from(t.fill(7, 1, 3)).join(','), Array.from(t.reverse()).join(','));
  console.log(
    Object.prototype.toString.call(t),
    t instanceof Uint8Array,
    ArrayBuffer.isView(t),
    ArrayBuffer.isView(t.buffer),
  );
}
