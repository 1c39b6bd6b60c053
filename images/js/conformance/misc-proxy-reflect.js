export default function () {
  const log = [];
  const target = { a: 1 };
  const p = new Proxy(target, {
    get(t, k, r) {
      log.push(`get ${String(k)}`);
      return Reflect.get(t, k, r);
    },
    set(t, k, v) {
      log.push(`set ${String(k)}=${v}`);
      t[k] = v * 2;
      return true;
    },
    has(t, k) {
      return k === 'magic' || k in t;
    },
  });
  p.b = 5;
  console.log(p.a, p.b, 'magic' in p, 'zzz' in p, target.b);
  console.log(log.join(', '));
  console.log(
    Reflect.has({ x: 1 }, 'x'),
    Reflect.ownKeys({ y: 1, [Symbol.iterator]: 0 }).length,
    Reflect.getPrototypeOf([]) === Array.prototype,
  );
}
