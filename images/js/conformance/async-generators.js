/* eslint-disable no-undef -- the semantics under test */
async function* ticker(n) {
  for (let i = 0; i < n; i++) {
    await new Promise((r) => setTimeout(r, 1));
    yield i;
  }
}

export default async function () {
  const got = [];
  for await (const x of ticker(3)) got.push(x);
  console.log(got.join(','));
  for await (const x of [Promise.resolve('a'), 'b']) console.log(x);
}
