export default function () {
  const o1 = { id: 1 };
  const o2 = { id: 1 };
  const s = new Set([o1, o2, o1]);
  console.log(s.size, s.has(o1), s.has({ id: 1 }));
  const seen = new Set();
  const list = ['a', 'b', 'a', 'c', 'b'];
  const dups = list.filter((x) => (seen.has(x) ? true : (seen.add(x), false)));
  console.log(dups.join(','));
}
