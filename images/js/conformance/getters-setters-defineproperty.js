export default function () {
  const o = {};
  let store = 0;
  Object.defineProperty(o, 'x', {
    get() {
      return store * 2;
    },
    set(v) {
      store = v;
    },
    enumerable: false,
    configurable: true,
  });
  o.x = 5;
  console.log(o.x, Object.keys(o).length, JSON.stringify(o), 'x' in o);
  Object.defineProperty(o, 'fixed', { value: 1, writable: false });
  try {
    o.fixed = 2;
  } catch (e) {
    console.log('read-only:', e.name);
  }
  console.log(o.fixed, Object.getOwnPropertyNames(o).join(','));
  Object.defineProperties(o, { a: { value: 'A', enumerable: true }, b: { get: () => 'B', enumerable: true } });
  console.log(JSON.stringify(o), Object.entries(o).join(';'));
  try {
    Object.defineProperty(o, 'fixed', { value: 3 });
  } catch (e) {
    console.log(e.name);
  }
}
