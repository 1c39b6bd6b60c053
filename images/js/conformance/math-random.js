export default function () {
  let ok = true;
  const seen = new Set();
  for (let i = 0; i < 300; i++) {
    const r = Math.random();
    if (!(r >= 0 && r < 1)) ok = false;
    seen.add(Math.floor(r * 10));
  }
  console.log(ok, seen.size);
}
