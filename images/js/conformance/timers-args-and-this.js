/* eslint-disable no-undef -- the semantics under test */
export default async function () {
  const log = [];
  await new Promise((done) => {
    setTimeout((a, b) => log.push(`args ${a} ${b}`), 1, 'x', 'y');
    setTimeout(() => {
      log.push('last');
      done();
    }, 100);
  });
  console.log(log.join(','));
}
