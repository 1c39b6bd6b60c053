/* eslint-disable @typescript-eslint/no-unused-vars -- the semantics under test */
function greet(name = 'world', punct = name.length > 3 ? '!' : '?') {
  return `hello ${name}${punct}`;
}
let calls = 0;
const f = (x = ++calls) => x;

export default function () {
  console.log(greet(), greet('bob'), greet(undefined, '.'), greet(''));
  console.log(f(), f(), f(10), f(undefined), calls);
  console.log(greet.length, f.length, ((a, b = 1, c) => 0).length);
}
