/* eslint-disable no-undef -- the semantics under test */
export default async function () {
  const log = [];
  await new Promise((done) => {
    setTimeout(() => {
      log.push('outer');
      Promise.resolve().then(() => log.push('micro in timer'));
      setTimeout(() => {
        log.push('inner');
        done();
      }, 0);
    }, 0);
    setTimeout(() => log.push('second outer'), 0);
  });
  console.log(log.join(','));
}
