export default function () {
  try {
    const { a } = null;
    console.log(a);
  } catch (e) {
    console.log('null:', e instanceof TypeError);
  }
  try {
    const [x] = {};
    console.log(x);
  } catch (e) {
    console.log('not iterable:', e instanceof TypeError);
  }
  const { b } = 42;
  console.log('number:', b);
}
