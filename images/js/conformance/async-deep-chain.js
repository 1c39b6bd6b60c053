export default async function () {
  async function depth(n) {
    if (n === 0) return 0;
    return 1 + (await depth(n - 1));
  }
  console.log(await depth(100));
  let p = Promise.resolve(0);
  for (let i = 0; i < 300; i++) p = p.then((v) => v + 1);
  console.log(await p);
}
