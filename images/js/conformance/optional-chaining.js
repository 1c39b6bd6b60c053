/* eslint-disable @typescript-eslint/no-unused-expressions -- the semantics under test */
export default function () {
  const o = {
    a: { b: { c: 1 } },
    f() {
      return 'called';
    },
    arr: [10, 20],
  };
  const n = null;
  console.log(o?.a?.b?.c, n?.a, n?.a.b.c.d, o.x?.y);
  console.log(o.f?.(), o.g?.(), n?.f());
  console.log(o.arr?.[1], n?.[0], o.missing?.[0]);
  let calls = 0;
  const side = () => ++calls;
  n?.[side()];
  o?.[side()];
  console.log(calls);
  console.log(typeof o?.a, n?.a === undefined);
  const method = {
    v: 5,
    get() {
      return this?.v;
    },
  };
  console.log(method?.get());
}
