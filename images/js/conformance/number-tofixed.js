export default function () {
  const values = [0, 1, -1.5, 1.005, 1.45, 1.55, 2.5, 123.456, 0.000001, 1e21, -0.0001, 99.995, 1234.5678];
  for (const v of values) console.log(v, v.toFixed(0), v.toFixed(2), v.toFixed(5));
  console.log((0.5).toFixed(0), (1.5).toFixed(0), (2.5).toFixed(0), (-2.5).toFixed(0), (1e-10).toFixed(20));
}
