/* eslint-disable no-undef -- the semantics under test */
export default async function () {
  const log = [];
  const p1 = new Promise((r) => setTimeout(() => r('late'), 100));
  const p2 = Promise.resolve('early');
  log.push(await p2);
  log.push(await p1);
  const [a, b] = await Promise.all([p1, p2]);
  log.push(a + b);
  console.log(log.join(' '));
}
