/* eslint-disable eqeqeq, no-constant-binary-expression, use-isnan -- the semantics under test */
export default function () {
  console.log(
    1 == '1',
    0 == '',
    null == undefined,
    null == 0,
    NaN == NaN,
    [1] == 1,
    [1, 2] == '1,2',
    {} == '[object Object]',
  );
  console.log(typeof null, typeof [], typeof function () {}, typeof class {}, typeof Symbol(), typeof undefined);
  const v = { valueOf: () => 10, toString: () => 'str' };
  console.log(v + 1, `${v}`, v * 2, String(v), v > 9, [v] + '');
  const prim = { [Symbol.toPrimitive]: (hint) => (hint === 'number' ? 42 : hint === 'string' ? 'S' : 'D') };
  console.log(+prim, `${prim}`, prim + '');
}
