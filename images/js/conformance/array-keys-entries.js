export default function () {
  const a = ['x', 'y'];
  console.log([...a.keys()].join(','), JSON.stringify([...a.entries()]), [...a.values()].join(','));
  console.log(a.at(-1), a.at(5), [1, 2, 3].indexOf(2, -1));
  const it = a[Symbol.iterator]();
  console.log(JSON.stringify(it.next()), JSON.stringify(it.next()), JSON.stringify(it.next()));
}
