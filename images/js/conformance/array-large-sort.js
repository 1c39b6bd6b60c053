export default function () {
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const nums = Array.from({ length: 200 }, () => Math.floor(rand() * 1000));
  const sorted = [...nums].sort((a, b) => a - b);
  let ok = true;
  for (let i = 1; i < sorted.length; i++) if (sorted[i - 1] > sorted[i]) ok = false;
  console.log(
    ok,
    sorted[0],
    sorted[99],
    sorted[199],
    sorted.reduce((s, x) => s + x, 0),
  );
  const strs = nums.slice(0, 50).map(String).sort();
  console.log(strs.slice(0, 5).join(','), strs.slice(-3).join(','));
}
