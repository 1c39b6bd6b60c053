function* nums() {
  yield 1;
  yield 2;
  yield 3;
  console.log('never reached after destructuring two');
}

export default function () {
  const [a, b] = nums();
  console.log(a, b);
  const [first, ...others] = new Set(['x', 'y', 'z', 'x']);
  console.log(first, others.join(''));
  const [[k1, v1]] = new Map([['key', 'value']]);
  console.log(k1, v1);
  const [c1, c2] = 'hi';
  console.log(c1, c2);
}
