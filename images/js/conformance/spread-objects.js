export default function () {
  const base = { a: 1, b: 2 };
  const ext = { ...base, b: 3, c: 4 };
  console.log(JSON.stringify(ext));
  const order = { z: 1, ...{ a: 2, z: 3 }, m: 4 };
  console.log(JSON.stringify(order));
  const fromStr = { ...'hi' };
  console.log(JSON.stringify(fromStr));
  const withNull = { ...null, ...undefined, ...5, x: 1 };
  console.log(JSON.stringify(withNull));
  const getter = {
    get g() {
      return 'evaluated';
    },
  };
  const copied = { ...getter };
  console.log(typeof Object.getOwnPropertyDescriptor(copied, 'g').get, copied.g);
}
