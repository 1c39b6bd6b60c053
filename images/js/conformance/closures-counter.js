function makeCounter() {
  let count = 0;
  return {
    inc: () => ++count,
    dec: () => --count,
    get value() {
      return count;
    },
  };
}

export default function () {
  const a = makeCounter();
  const b = makeCounter();
  a.inc();
  a.inc();
  b.dec();
  console.log(a.value, b.value);
}
