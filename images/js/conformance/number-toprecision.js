export default function () {
  const values = [0, 1, 123.456, 0.000123456, 123456789, 1e21, -9.99, 5e-7, 0.1];
  for (const v of values) console.log(v, v.toPrecision(1), v.toPrecision(3), v.toPrecision(8), v.toPrecision(21));
}
