export default function () {
  const o = { x: 1, y: 2, z: 3 };
  delete o.x;
  o.x = 4;
  o.w = 5;
  console.log(Object.keys(o).join(','), Object.values(o).join(','));
  const arrLike = { 10: 'a', 9: 'b', c: 'c', 1.5: 'd' };
  console.log(Object.keys(arrLike).join(','));
  console.log(JSON.stringify(Object.entries({ b: 2, a: 1, 0: 'zero' })));
}
