/* eslint-disable no-constant-binary-expression -- the semantics under test */
export default function () {
  console.log(null ?? 'a', undefined ?? 'b', 0 ?? 'c', '' ?? 'd', false ?? 'e', NaN ?? 'f');
  console.log(0 || 'x', '' || 'y');
  let calls = 0;
  const f = () => (calls++, 'f');
  console.log('set' ?? f(), calls);
  const opts = { timeout: 0, retries: null };
  console.log(opts.timeout ?? 1000, opts.retries ?? 3, opts.missing?.deep ?? 'fallback');
  let a = null;
  a ??= 'assigned';
  let b = 0;
  b ||= 'or-assigned';
  let c = 1;
  c &&= 'and-assigned';
  console.log(a, b, c);
}
