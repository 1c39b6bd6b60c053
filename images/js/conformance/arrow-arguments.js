function outer(...args) {
  const f = () => args.length;
  return f(1, 2, 3, 4);
}

export default function () {
  console.log(outer('a', 'b'));
  const sum = (...nums) => nums.reduce((a, b) => a + b, 0);
  console.log(sum(1, 2, 3), sum());
  const obj = () => ({ value: 42 });
  console.log(obj().value);
  const curried = (a) => (b) => (c) => a + b * c;
  console.log(curried(1)(2)(3));
}
