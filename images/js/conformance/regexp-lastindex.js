export default function () {
  const re = /\d+/g;
  const s = 'a1 b22 c333';
  let m;
  const found = [];
  while ((m = re.exec(s)) !== null) found.push(`${m[0]}@${m.index}/${re.lastIndex}`);
  console.log(found.join(' '), re.lastIndex);
  const t = /a/g;
  console.log(t.test('aa'), t.lastIndex, t.test('aa'), t.lastIndex, t.test('aa'), t.lastIndex);
  const empty = /x*/g;
  console.log('abc'.replace(empty, '-'));
}
