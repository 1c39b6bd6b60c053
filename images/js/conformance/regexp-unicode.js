export default function () {
  const re = new RegExp('^.$', 'u');
  console.log(re.test('😀'), /^.$/.test('😀'));
  console.log(new RegExp('\\u{1F600}', 'u').test('😀'));
  console.log(new RegExp('\\p{Lu}', 'u').test('Á'));
}
