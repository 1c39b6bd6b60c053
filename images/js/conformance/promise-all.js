/* eslint-disable no-undef -- the semantics under test */
const delay = (ms, v) => new Promise((r) => setTimeout(() => r(v), ms));

export default async function () {
  console.log((await Promise.all([delay(20, 'slow'), delay(5, 'fast'), 'plain', Promise.resolve(1)])).join(','));
  try {
    await Promise.all([
      delay(5, 'ok'),
      Promise.reject(new Error('first failure')),
      delay(1).then(() => {
        throw new Error('second');
      }),
    ]);
  } catch (e) {
    console.log('rejected:', e.message);
  }
  console.log(JSON.stringify(await Promise.all([])));
}
