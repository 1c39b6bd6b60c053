/* eslint-disable no-undef -- the semantics under test */
export default function () {
  const f = function () {
    return this;
  };
  console.log(f() === undefined, typeof f.call(5), f.call(null) === null);
  try {
    undeclared = 1;
    console.log('assigned');
  } catch (e) {
    console.log(e.name);
  }
  try {
    Object.defineProperty({}, 'x', { value: 1 }).x = 2;
    const o = Object.defineProperty({}, 'x', { value: 1 });
    o.x = 2;
  } catch (e) {
    console.log(e.name);
  }
  try {
    delete Object.prototype;
  } catch (e) {
    console.log(e.name);
  }
}
