/* eslint-disable no-undef -- the semantics under test */
export default async function () {
  const log = [];
  Promise.resolve()
    .then(() => log.push('a1'))
    .then(() => log.push('a2'))
    .then(() => log.push('a3'));
  Promise.resolve()
    .then(() => log.push('b1'))
    .then(() => log.push('b2'))
    .then(() => log.push('b3'));
  log.push('sync');
  await new Promise((r) => setTimeout(r, 0));
  console.log(log.join(','));
}
