/* eslint-disable no-undef -- the semantics under test */
export default function () {
  const cases = [
    () => null.x,
    () => undefinedVariable,
    () => (1).toFixed(101),
    () => new Array(-1),
    () => eval('{'),
    () => decodeURIComponent('%'),
    () => Symbol() + '',
    () => ({}).x.y,
    () => (void 0)(),
    () => Object.defineProperty(Object.freeze({}), 'x', { value: 1 }),
  ];
  for (const c of cases) {
    try {
      c();
      console.log('no error');
    } catch (e) {
      console.log(e.constructor.name, e instanceof Error, typeof e.message);
    }
  }
}
