export default function () {
  const re = new RegExp('a.c', 's');
  console.log(re.dotAll, re.test('a\nc'));
}
