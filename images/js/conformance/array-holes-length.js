/* eslint-disable @typescript-eslint/no-array-constructor, no-sparse-arrays -- the semantics under test */
export default function () {
  const a = [1, , 3];
  console.log(a.length, 1 in a, Object.keys(a).join(','), JSON.stringify(a));
  const b = new Array(5);
  console.log(b.length, JSON.stringify(b), b.join('-'));
  const c = [];
  c[10] = 1;
  console.log(c.length, c.filter(() => true).length);
  console.log(new Array(2, 3).length, new Array('2').length, Array(3).length);
  try {
    new Array(-1);
  } catch (e) {
    console.log(e.name);
  }
}
