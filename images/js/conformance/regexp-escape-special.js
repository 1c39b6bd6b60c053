const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export default function () {
  const needle = 'a.b*c(1)';
  const re = new RegExp(escape(needle), 'g');
  console.log(re.source);
  console.log('xa.b*c(1)y a.b*c(1)'.replace(re, '<>'));
  console.log(/[/]/.test('/'), /\//.source, new RegExp('a/b').source);
  console.log(/[a-z]/i.test('Q'), /[^\d]/.test('5'), /\u0041/.test('A'), /\x41/.test('A'));
}
