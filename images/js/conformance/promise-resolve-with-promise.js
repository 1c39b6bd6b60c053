/* eslint-disable no-undef -- the semantics under test */
export default async function () {
  const log = [];
  new Promise((resolve) => resolve(Promise.resolve('p'))).then((v) => log.push(`outer ${v}`));
  Promise.resolve()
    .then(() => log.push('x1'))
    .then(() => log.push('x2'))
    .then(() => log.push('x3'));
  await new Promise((r) => setTimeout(r, 0));
  console.log(log.join(' '));
}
