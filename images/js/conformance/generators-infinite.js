function* naturals() {
  let n = 1;
  while (true) yield n++;
}
function* take(it, n) {
  for (const x of it) {
    if (n-- <= 0) return;
    yield x;
  }
}
function* map(it, f) {
  for (const x of it) yield f(x);
}
function* filter(it, p) {
  for (const x of it) if (p(x)) yield x;
}

export default function () {
  const evens = filter(naturals(), (x) => x % 2 === 0);
  console.log(
    [
      ...take(
        map(evens, (x) => x * x),
        5,
      ),
    ].join(','),
  );
  function* fib() {
    let [a, b] = [0, 1];
    for (;;) {
      yield a;
      [a, b] = [b, a + b];
    }
  }
  console.log([...take(fib(), 12)].join(' '));
}
