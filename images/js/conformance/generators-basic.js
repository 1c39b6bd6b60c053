function* count(n) {
  for (let i = 0; i < n; i++) yield i;
  return 'done';
}

export default function () {
  const g = count(2);
  console.log(JSON.stringify(g.next()), JSON.stringify(g.next()), JSON.stringify(g.next()), JSON.stringify(g.next()));
  console.log([...count(4)].join(','));
  const it = count(3);
  console.log(it[Symbol.iterator]() === it);
}
