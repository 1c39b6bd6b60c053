export default function () {
  const m = new Map([
    ['b', 2],
    ['a', 1],
  ]);
  m.set('c', 3);
  for (const [k, v] of m) console.log(k, v);
  for (const k of m.keys()) console.log('key', k);
  for (const v of m.values()) console.log('value', v);
  const s = new Set(['x', 'y']);
  for (const v of s) console.log('set', v);
  for (const [a, b] of s.entries()) console.log('entry', a, b);
}
