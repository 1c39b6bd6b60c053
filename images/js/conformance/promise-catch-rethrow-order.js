/* eslint-disable no-undef -- the semantics under test */
export default async function () {
  const log = [];
  const p = Promise.reject(new Error('e'));
  p.catch(() => log.push('catch 1'));
  p.then(null, () => log.push('then-reject 2'));
  p.catch(() => log.push('catch 3')).then(() => log.push('after catch 3'));
  Promise.resolve().then(() => log.push('resolved'));
  await new Promise((r) => setTimeout(r, 0));
  console.log(log.join(', '));
}
