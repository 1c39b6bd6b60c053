export default function () {
  const [a, b = 5, ...rest] = [1, undefined, 3, 4];
  console.log(a, b, JSON.stringify(rest));
  const [, , third] = 'xyz';
  console.log(third);
  let x = 1;
  let y = 2;
  [x, y] = [y, x];
  console.log(x, y);
  const [[n1, n2], [n3]] = [[1, 2], [3]];
  console.log(n1 + n2 + n3);
  const [m = 'default', n = m + '!'] = [];
  console.log(m, n);
}
