export default function () {
  const m = new Map([
    [1, 'a'],
    [2, 'b'],
    [3, 'c'],
  ]);
  const visited = [];
  for (const [k] of m) {
    visited.push(k);
    if (k === 1) {
      m.delete(2);
      m.set(4, 'd');
    }
  }
  console.log(visited.join(','));
  const s = new Set([1, 2, 3]);
  const order = [];
  s.forEach((v) => {
    order.push(v);
    if (v === 1) s.delete(1);
    if (v === 3 && order.length < 6) s.add(1);
  });
  console.log(order.join(','), s.size);
}
