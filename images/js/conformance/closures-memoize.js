function memoize(fn) {
  const cache = new Map();
  let misses = 0;
  const m = (n) => {
    if (!cache.has(n)) {
      misses++;
      cache.set(n, fn(n));
    }
    return cache.get(n);
  };
  m.misses = () => misses;
  return m;
}

export default function () {
  const fib = memoize((n) => (n < 2 ? n : fib(n - 1) + fib(n - 2)));
  console.log(fib(50), fib.misses());
  console.log(fib(30), fib.misses());
}
