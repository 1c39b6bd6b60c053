/* eslint-disable no-sparse-arrays -- the semantics under test */
export default function () {
  const a = [1, 2, 3, 4];
  console.log(
    a.reduce((s, x) => s + x),
    a.reduce((s, x) => s + x, 10),
    a.reduceRight((s, x) => s + x, ''),
  );
  console.log(JSON.stringify(a.reduce((acc, x, i, arr) => (acc.push(`${i}/${arr.length}`), acc), [])));
  try {
    [].reduce((s, x) => s + x);
  } catch (e) {
    console.log(e.name);
  }
  console.log(
    [5].reduce((s, x) => s + x),
    [, , 7].reduce((s, x) => s + x),
  );
  const counts = 'abracadabra'.split('').reduce((m, c) => ({ ...m, [c]: (m[c] || 0) + 1 }), {});
  console.log(JSON.stringify(counts));
}
