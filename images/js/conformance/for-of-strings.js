export default function () {
  const chars = [];
  for (const c of 'héllo') chars.push(c);
  console.log(chars.join('|'), chars.length);
  const astral = [];
  for (const c of 'a😀b') astral.push(c);
  console.log(astral.length, JSON.stringify(astral));
  console.log([...'😀😀'].length, '😀😀'.length, Array.from('x😀').length);
}
