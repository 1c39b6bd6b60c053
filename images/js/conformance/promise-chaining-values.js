export default async function () {
  const v = await Promise.resolve(1)
    .then((x) => x + 1)
    .then((x) => Promise.resolve(x * 10))
    .then((x) => {
      throw new Error(`boom at ${x}`);
    })
    .then(() => 'skipped')
    .catch((e) => e.message)
    .finally(() => console.log('finally sees nothing'))
    .then((x) => `${x}!`);
  console.log(v);
  const f = await Promise.resolve('kept').finally(() => 'ignored');
  console.log(f);
  try {
    await Promise.resolve('x').finally(() => {
      throw new Error('finally throws');
    });
  } catch (e) {
    console.log(e.message);
  }
}
