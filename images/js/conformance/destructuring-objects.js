export default function () {
  const { a, b: renamed, c = 'dflt', d: { e } = { e: 'nested default' }, ...others } = { a: 1, b: 2, x: 9, y: 10 };
  console.log(a, renamed, c, e, JSON.stringify(others));
  const key = 'dyn';
  const { [key]: dynamic } = { dyn: 'computed key' };
  console.log(dynamic);
  const { length } = 'hello';
  console.log(length);
  let p, q;
  ({ p, q = p * 2 } = { p: 21 });
  console.log(p, q);
}
