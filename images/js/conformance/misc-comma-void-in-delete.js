/* eslint-disable no-useless-assignment -- the semantics under test */
export default function () {
  let x = (1, 2, 3);
  console.log(x, void 0, void 'x', typeof void 0);
  const o = { a: 1, b: undefined };
  console.log('a' in o, 'b' in o, 'c' in o, delete o.a, 'a' in o, delete o.nothing);
  const arr = [1, 2, 3];
  delete arr[1];
  console.log(arr.length, 1 in arr, JSON.stringify(arr));
  let i = 0;
  const seq = [i++, i++, ++i, i--, i];
  console.log(seq.join(','));
  x = 5;
  x += x *= 2;
  console.log(x);
}
