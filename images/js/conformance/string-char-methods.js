export default function () {
  const out = [];
  for (const c of 'Az09 _!') out.push(`${c}:${c.charCodeAt(0)}:${/\w/.test(c)}`);
  console.log(out.join(' '));
  console.log(
    String.fromCharCode(72, 101, 108, 108, 111),
    String.fromCharCode(0x10041),
    'abc'.localeCompare('abd') < 0,
  );
  const caesar = (s, k) => s.replace(/[a-z]/g, (c) => String.fromCharCode(((c.charCodeAt(0) - 97 + k) % 26) + 97));
  console.log(caesar('hello world', 3), caesar(caesar('hello world', 3), 23));
}
