/* eslint-disable no-undef -- the semantics under test */
export default async function () {
  const r = Promise.reject(new RangeError('bad'));
  const caught = await r.then(
    () => 'no',
    (e) => `${e.name}: ${e.message}`,
  );
  console.log(caught);
  console.log(typeof Promise.prototype.then, typeof Promise.all, Promise.name);
  const withResolvers = {};
  withResolvers.p = new Promise((res) => (withResolvers.res = res));
  setTimeout(() => withResolvers.res('externally resolved'), 1);
  console.log(await withResolvers.p);
}
