export default function () {
  const s = 'Hello, World';
  console.log(
    s.length,
    s.charAt(4),
    s.charCodeAt(0),
    s.indexOf('o'),
    s.lastIndexOf('o'),
    s.indexOf('o', 5),
    s.indexOf('zz'),
  );
  console.log(s.slice(-5), s.slice(2, -2), s.substring(5, 2), s.substr(-5, 3), s.toUpperCase(), s.toLowerCase());
  console.log(
    s.includes('World'),
    s.startsWith('Hell'),
    s.endsWith('World'),
    s.startsWith('World', 7),
    s.endsWith('Hello', 5),
  );
  console.log(
    JSON.stringify(s.split(', ')),
    JSON.stringify(s.split('')),
    JSON.stringify(s.split('', 3)),
    JSON.stringify('a,b,'.split(',')),
  );
  console.log(s.concat('!', 1, null), s[0], s.at(-1), s.at(100));
}
