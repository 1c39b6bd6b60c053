function count() {
  return arguments.length;
}
function tail(head, ...rest) {
  return `${head}:${rest.length}:${Array.isArray(rest)}`;
}
function sloppyArgs() {
  return Array.prototype.slice.call(arguments).reverse().join(',');
}

export default function () {
  console.log(count(), count(1, undefined, 3), tail(1), tail(1, 2, 3));
  console.log(sloppyArgs(1, 2, 3));
  console.log(tail.length, count.length);
}
