/* eslint-disable no-undef -- the semantics under test */
const wait = (ms) => new Promise((r) => setTimeout(r, ms));

export default async function () {
  const out = [];
  for (const ms of [150, 50, 100]) {
    await wait(ms);
    out.push(ms);
  }
  console.log('sequential', out.join(','));
  const par = [];
  await Promise.all(
    [150, 50, 100].map(async (ms) => {
      await wait(ms);
      par.push(ms);
    }),
  );
  console.log('parallel', par.join(','));
  let i = 0;
  while (i < 3) {
    await null;
    i++;
  }
  console.log('while', i);
}
