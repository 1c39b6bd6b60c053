export default function () {
  const a = ['a', 'b', 'c', 'd'];
  console.log(a.slice(1, 3).join(''), a.slice(-2).join(''), a.slice().length, a.slice(3, 1).length);
  console.log(a.concat(['e'], 'f', [['g']]).length, JSON.stringify([1].concat(2, [3, [4]])));
  console.log(
    [1, null, undefined, 2].join('-'),
    [[1, 2], [3]].join(';'),
    [].join(),
    [1, 2].join(undefined),
    [1, 2].toString(),
  );
  console.log(
    Array.isArray([]),
    Array.isArray({ length: 0 }),
    Array.prototype.slice.call({ 0: 'x', 1: 'y', length: 2 }).join(''),
  );
}
