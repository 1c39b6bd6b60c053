export default async function () {
  const value = await 42;
  console.log('awaited', value);
  const p = await Promise.resolve('resolved');
  console.log(p);
  async function f() {
    return 'from async';
  }
  console.log(f() instanceof Promise, await f());
}
