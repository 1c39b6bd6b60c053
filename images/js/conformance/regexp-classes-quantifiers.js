export default function () {
  const tests = [
    [/^\w+@\w+\.[a-z]{2,}$/, 'me@example.com'],
    [/^\s*$/, ' \t\n'],
    [/^[^aeiou]+$/, 'rhythm'],
    [/^a{2,3}$/, 'aaaa'],
    [/^(ab)+?$/, 'ababab'],
    [/\bword\b/, 'a word here'],
    [/\Bor\B/, 'word'],
    [/^[\u0400-\u04FF]+$/, 'привет'],
    [/^\d*\.?\d+$/, '.5'],
    [/(a|ab)(c|bcd)(d*)/, 'abcd'],
  ];
  console.log(tests.map(([re, s]) => re.test(s)).join(','));
  console.log(/(a+?)(a*)/.exec('aaa').slice(1).join('|'), /(a*?)b/.exec('aaab')[1]);
  console.log(/(?=(\d+))\d/.exec('123')[1], /a(?!b)/.exec('abac').index);
  console.log(/(\w)\1/.exec('hello')[0], /[\b]/.test('\b'));
}
