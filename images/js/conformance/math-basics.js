export default function () {
  console.log(
    Math.floor(-1.5),
    Math.ceil(-1.5),
    Math.round(-1.5),
    Math.round(2.5),
    Math.round(-2.5),
    Math.round(0.49999999999999994),
  );
  console.log(Math.trunc(-4.7), Math.sign(-3), Math.sign(0), Math.abs(-7), Math.max(), Math.min(), Math.max(1, NaN));
  console.log(Math.pow(2, 10), 2 ** 0.5, Math.sqrt(2), Math.cbrt(27), Math.hypot(3, 4), Math.hypot());
  console.log(Math.PI, Math.E, Math.LN2, Math.LN10, Math.LOG2E, Math.SQRT2);
  console.log(Math.min(0, -0) === 0, Object.is(Math.min(0, -0), -0), Object.is(Math.max(-0, 0), 0));
}
