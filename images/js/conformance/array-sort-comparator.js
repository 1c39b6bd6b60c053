export default function () {
  console.log([10, 9, 1, 100, 25].sort().join(','), [10, 9, 1, 100, 25].sort((a, b) => a - b).join(','));
  console.log([3, 1, 2].sort((a, b) => b - a).join(','), ['b', undefined, 'a', undefined].sort().join(','));
  console.log([0.5, -1, NaN, 3, -Infinity].sort((a, b) => a - b).length);
  const byTwoKeys = [
    ['b', 2],
    ['a', 2],
    ['c', 1],
    ['a', 1],
  ].sort(([k1, n1], [k2, n2]) => n1 - n2 || (k1 < k2 ? -1 : k1 > k2 ? 1 : 0));
  console.log(JSON.stringify(byTwoKeys));
  const arr = [3, 2, 1];
  console.log(arr.sort() === arr, [1, 2, 3].sort(() => 0).join(''));
}
