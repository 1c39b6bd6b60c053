/* eslint-disable no-undef -- the semantics under test */
export default async function () {
  const log = [];
  await new Promise((done) => {
    setTimeout(() => log.push('30'), 30);
    setTimeout(() => log.push('10'), 10);
    setTimeout(() => log.push('0a'), 0);
    setTimeout(() => log.push('0b'), 0);
    setTimeout(() => log.push('20'), 20);
    setTimeout(() => {
      log.push('40');
      done();
    }, 40);
  });
  console.log(log.join(','));
}
