export default function () {
  const m = /(\d{4})-(\d{2})-(\d{2})(T)?/.exec('on 2024-03-15!');
  console.log(m[0], m[1], m[2], m[3], m[4], m.index, m.input, m.length);
  console.log(/a(b)?c/.exec('ac')[1], /x/.exec('y'));
  console.log(/(a)|(b)/.exec('b').join('|'));
  console.log(/(?:non)(capture)/.exec('noncapture').length);
}
