/* eslint-disable no-sparse-arrays -- the semantics under test */
export default function () {
  const a = [1, 2, 3, 4, 5, 6];
  console.log(
    a.map((x) => x * 2).join(','),
    a.filter((x) => x % 2).join(','),
    a.some((x) => x > 5),
    a.every((x) => x > 0),
  );
  console.log(
    a.find((x) => x > 3),
    a.findIndex((x) => x > 3),
    a.find((x) => x > 10),
    a.findIndex((x) => x > 10),
  );
  console.log(
    a.findLast((x) => x % 2),
    a.findLastIndex((x) => x % 2),
    a.indexOf(3),
    a.lastIndexOf(7),
    a.includes(4),
  );
  console.log(
    [NaN].includes(NaN),
    [NaN].indexOf(NaN),
    [1, [2, [3, [4]]]].flat().length,
    [1, [2, [3, [4]]]].flat(Infinity).join(''),
  );
  console.log(
    [1, 2].flatMap((x) => [x, x * 10]).join(','),
    Array.from({ length: 3 }, (_, i) => i * i).join(','),
    Array.of(7, 8).join(''),
  );
  const visited = [];
  [1, , 3].forEach((x, i) => visited.push(i));
  console.log(visited.join(','), [1, , 3].map((x) => x * 2).length);
}
