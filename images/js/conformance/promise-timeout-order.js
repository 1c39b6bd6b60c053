/* eslint-disable no-undef -- the semantics under test */
export default async function () {
  const log = [];
  await new Promise((done) => {
    setTimeout(() => log.push('30'), 300);
    setTimeout(() => log.push('10'), 100);
    setTimeout(() => log.push('0a'), 0);
    setTimeout(() => log.push('0b'), 0);
    setTimeout(() => log.push('20'), 200);
    setTimeout(() => {
      log.push('40');
      done();
    }, 400);
  });
  console.log(log.join(','));
}
