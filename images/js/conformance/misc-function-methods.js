export default function () {
  function show(a, b) {
    return `${this && this.tag}:${a}:${b}`;
  }
  console.log(show.call({ tag: 'c' }, 1, 2), show.apply({ tag: 'a' }, [3, 4]), show.bind({ tag: 'b' }, 5)(6));
  const bound = show.bind(null, 'x');
  console.log(bound.length, bound.name, show.name, show.length, function () {}.name, (() => {}).name);
  const named = function inner() {
    return typeof inner;
  };
  console.log(named(), named.name);
  console.log(typeof Function.prototype, Function.prototype.toString.call(Math.max).includes('native code'));
  const obj = {
    method() {},
    ['comp' + 'uted']() {},
    get acc() {
      return 1;
    },
  };
  console.log(obj.method.name, obj.computed.name, Object.getOwnPropertyDescriptor(obj, 'acc').get.name);
}
