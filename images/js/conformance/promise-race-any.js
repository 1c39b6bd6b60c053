/* eslint-disable no-undef -- the semantics under test */
const delay = (ms, v, fail) => new Promise((res, rej) => setTimeout(() => (fail ? rej(new Error(v)) : res(v)), ms));

export default async function () {
  console.log(await Promise.race([delay(300, 'slow'), delay(5, 'fast')]));
  try {
    await Promise.race([delay(5, 'fast failure', true), delay(300, 'slow')]);
  } catch (e) {
    console.log('race rejected:', e.message);
  }
  console.log(await Promise.any([delay(5, 'a', true), delay(100, 'b'), delay(200, 'c')]));
  try {
    await Promise.any([delay(1, 'x', true), Promise.reject(new Error('y'))]);
  } catch (e) {
    console.log(e.constructor.name, e.errors.map((x) => x.message).join(','));
  }
}
