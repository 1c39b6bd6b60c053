export default function () {
  const target = { a: 1 };
  const merged = Object.assign(target, { b: 2 }, null, { a: 3 }, 'xy');
  console.log(merged === target, JSON.stringify(merged));
  console.log(
    JSON.stringify(
      Object.fromEntries([
        ['k', 'v'],
        ['n', 1],
      ]),
    ),
    JSON.stringify(Object.entries('ab')),
  );
  const proto = { inherited: true };
  const o = Object.create(proto, { own: { value: 1, enumerable: true } });
  console.log(Object.keys(o).join(','), 'inherited' in o, Object.getPrototypeOf(o) === proto);
  const bare = Object.create(null);
  bare.x = 1;
  console.log(Object.keys(bare).join(','), typeof bare.toString, Object.is(NaN, NaN), Object.is(0, -0));
  console.log(Object.hasOwn ? Object.hasOwn({ q: 1 }, 'q') : 'no hasOwn', Object.getOwnPropertyNames('ab').join(','));
}
