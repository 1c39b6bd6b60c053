export default function () {
  console.log('john smith'.replace(/(\w+)\s(\w+)/, '$2, $1'));
  console.log('a-b-c'.replace(/-/g, '$&$&'), 'abc'.replace('b', "[$`|$']"), 'x'.replace(/x/, '$$'));
  console.log('price: 10, 20'.replace(/\d+/g, (m, offset) => `${m * 2}@${offset}`));
  console.log('aaa'.replace(/a/g, (m, off, str) => (off === str.length - 1 ? 'Z' : m)));
  console.log('border-top-color'.replace(/-([a-z])/g, (_, c) => c.toUpperCase()));
  console.log('abc'.replace(/(z)?b/, (m, g1) => `[${g1}]`));
  console.log('a.b.c'.split('.').join('/'), 'a1b2c3'.split(/\d/).join('|'), 'a1b2'.split(/(\d)/).join('|'));
  console.log('aaa'.replaceAll('a', 'b'), 'x.x'.replaceAll('.', '$&!'));
}
