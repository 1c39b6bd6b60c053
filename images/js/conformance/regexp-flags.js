export default function () {
  console.log(/abc/i.test('ABC'), /^b/m.test('a\nb'), /^b/.test('a\nb'), /a.c/.test('a\nc'));
  const re = /o/g;
  console.log(re.global, re.ignoreCase, re.multiline, re.source, String(re), re.flags);
  console.log('foo boo'.match(/o/g).length, 'foo'.match(/x/g));
  console.log(new RegExp('a+', 'gi').toString(), new RegExp('/').source, String(new RegExp('')));
}
