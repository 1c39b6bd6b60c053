export default function () {
  const f = new Float64Array([3.5, -0, 0, NaN, -Infinity, 1e-300, -2]);
  f.sort();
  console.log(
    Array.from(f)
      .map((x) => (Object.is(x, -0) ? '-0' : String(x)))
      .join(','),
  );
  const g = new Float32Array([1.1, 2.2]);
  console.log(g[0] === 1.1, Math.fround(1.1) === g[0], g[1].toFixed(7));
}
