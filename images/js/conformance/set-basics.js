export default function () {
  const s = new Set([3, 1, 3, 2, 1]);
  console.log(s.size, [...s].join(','));
  s.add(NaN).add(NaN).add(0).add(-0);
  console.log(s.size, s.has(NaN), s.has(-0));
  console.log(s.delete(3), s.delete(3), [...s].length);
  const a = new Set([1, 2, 3]);
  const b = new Set([2, 3, 4]);
  console.log([...a].filter((x) => b.has(x)).join(','), [...new Set([...a, ...b])].join(','));
  console.log(JSON.stringify([...new Set('mississippi')]));
  const values = [];
  for (const v of a.values()) values.push(v);
  console.log(values.join(''), a.keys === a.values || a.keys.name);
}
