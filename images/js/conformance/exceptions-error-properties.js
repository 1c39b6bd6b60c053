export default function () {
  const e = new TypeError('msg');
  console.log(e.name, e.message, String(e), e instanceof TypeError, e instanceof Error, TypeError.prototype.name);
  console.log(
    Object.keys(e).length,
    typeof e.stack,
    'message' in e,
    Object.prototype.hasOwnProperty.call(e, 'message'),
  );
  const plain = new Error();
  console.log(JSON.stringify(plain.message), String(plain), Error('no new') instanceof Error);
  const custom = { name: 'Custom', message: 'obj' };
  console.log(
    Error.prototype.toString.call(custom),
    RangeError.name,
    new SyntaxError('s').name,
    new EvalError('e').name,
    new URIError('u').name,
  );
}
