/* eslint-disable no-undef -- the semantics under test */
export default async function () {
  const log = [];
  const t1 = setTimeout(() => log.push('cleared, never runs'), 5);
  const t2 = setTimeout(() => log.push('runs'), 5);
  clearTimeout(t1);
  let n = 0;
  await new Promise((done) => {
    const iv = setInterval(() => {
      log.push(`tick ${++n}`);
      if (n === 3) {
        clearInterval(iv);
        setTimeout(done, 20);
      }
    }, 5);
  });
  console.log(log.join(','), t2 !== undefined);
}
