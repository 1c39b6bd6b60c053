export default function () {
  const r = (x) => x.toPrecision(12);
  console.log(
    r(Math.sin(1)),
    r(Math.cos(1)),
    r(Math.tan(1)),
    r(Math.atan2(1, 2)),
    r(Math.asin(0.5)),
    r(Math.acos(0.5)),
    r(Math.atan(1)),
  );
  console.log(
    r(Math.exp(1)),
    r(Math.log(10)),
    r(Math.log2(8)),
    r(Math.log10(1000)),
    r(Math.log1p(1e-10)),
    r(Math.expm1(1e-10)),
  );
  console.log(
    r(Math.sinh(1)),
    r(Math.cosh(1)),
    r(Math.tanh(1)),
    r(Math.asinh(1)),
    r(Math.acosh(2)),
    r(Math.atanh(0.5)),
  );
  console.log(Math.sin(0), Math.cos(0), Math.exp(0), Math.log(1), Math.log(0), Math.log(-1), Math.sqrt(-1));
}
