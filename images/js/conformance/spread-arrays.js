/* eslint-disable no-sparse-arrays -- the semantics under test */
export default function () {
  const a = [1, 2];
  const b = [0, ...a, 3, ...'ab', ...new Set([4, 4, 5])];
  console.log(JSON.stringify(b));
  console.log(Math.max(...a, 10, ...[7]));
  const copy = [...a];
  copy.push(3);
  console.log(a.length, copy.length);
  const holes = [...[1, , 3]];
  console.log(holes.length, holes[1] === undefined, 1 in holes);
  function f(x, y, ...z) {
    return `${x}|${y}|${z.join('.')}`;
  }
  console.log(f(...[1, 2, 3, 4]), f(...'xy'));
}
