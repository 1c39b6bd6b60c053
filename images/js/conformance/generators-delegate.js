function* inner() {
  yield 1;
  const r = yield 2;
  return `inner got ${r}`;
}
function* outer() {
  const result = yield* inner();
  yield result;
  yield* [3, 4];
  yield* 'ab';
}

export default function () {
  const g = outer();
  const out = [];
  let step = g.next();
  while (!step.done) {
    out.push(step.value);
    step = g.next('x');
  }
  console.log(out.join('|'));
}
