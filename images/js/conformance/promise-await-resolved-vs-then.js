/* eslint-disable no-undef -- the semantics under test */
export default async function () {
  const log = [];
  const resolved = Promise.resolve();
  (async () => {
    log.push('A1');
    await resolved;
    log.push('A2');
    await resolved;
    log.push('A3');
  })();
  resolved
    .then(() => log.push('B1'))
    .then(() => log.push('B2'))
    .then(() => log.push('B3'));
  await new Promise((r) => setTimeout(r, 0));
  console.log(log.join(' '));
}
