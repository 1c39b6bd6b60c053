/* eslint-disable no-undef -- the semantics under test */
export default async function () {
  const a = Date.now();
  await new Promise((r) => setTimeout(r, 30));
  const b = Date.now();
  console.log(b - a >= 20, b - a < 5000);
  const p1 = performance.now();
  const p2 = performance.now();
  console.log(typeof p1, p2 >= p1);
}
