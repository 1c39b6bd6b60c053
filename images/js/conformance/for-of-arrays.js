/* eslint-disable no-sparse-arrays -- the semantics under test */
export default function () {
  const out = [];
  for (const x of [1, 2, 3]) {
    if (x === 2) continue;
    out.push(x);
  }
  console.log(out.join(','));
  const sparse = [1, , 3];
  let n = 0;
  for (const x of sparse) n += x === undefined ? 100 : x;
  console.log(n);
  const grow = [1];
  for (const x of grow) if (grow.length < 5) grow.push(x + 1);
  console.log(grow.join(''));
  for (const [i, v] of ['a', 'b'].entries()) console.log(i, v);
  const args = (function () {
    const r = [];
    for (const a of arguments) r.push(a);
    return r;
  })(7, 8);
  console.log(args.join(''));
}
