export default function () {
  const re = new RegExp('foo', 'y');
  re.lastIndex = 3;
  console.log(re.sticky, re.test('barfoo'), re.lastIndex);
  re.lastIndex = 1;
  console.log(re.test('barfoo'));
}
