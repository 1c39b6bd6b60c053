/* eslint-disable no-undef -- the semantics under test */
export default async function () {
  const log = [];
  async function returnsPromise() {
    return Promise.resolve('inner');
  }
  returnsPromise().then((v) => log.push(`returned ${v}`));
  Promise.resolve()
    .then(() => log.push('t1'))
    .then(() => log.push('t2'))
    .then(() => log.push('t3'))
    .then(() => log.push('t4'));
  await new Promise((r) => setTimeout(r, 0));
  console.log(log.join(' '));
}
