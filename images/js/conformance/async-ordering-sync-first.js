export default async function () {
  const log = [];
  const p = (async () => {
    log.push('async start');
    await null;
    log.push('after await');
  })();
  log.push('sync after call');
  await p;
  log.push('done');
  console.log(log.join(' | '));
}
