/* eslint-disable no-undef -- the semantics under test */
export default async function () {
  const log = [];
  setTimeout(() => log.push('timeout 0'), 0);
  Promise.resolve().then(() => log.push('micro 1'));
  queueMicrotask(() => log.push('queueMicrotask'));
  Promise.resolve().then(() => log.push('micro 2'));
  log.push('sync');
  await new Promise((r) => setTimeout(r, 5));
  console.log(log.join(','));
}
