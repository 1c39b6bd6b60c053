export default function () {
  const values = [0, 1, 123.456, 0.000123456, 1e21, -9.99, 5e-7, 255];
  for (const v of values) console.log(v.toExponential(), v.toExponential(0), v.toExponential(2), v.toExponential(10));
}
