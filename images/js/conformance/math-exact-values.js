export default function () {
  console.log(
    Math.sqrt(16),
    Math.pow(10, 15),
    Math.pow(2, -1),
    Math.pow(0, 0),
    Math.pow(NaN, 0),
    Math.pow(1, Infinity),
  );
  console.log(Math.exp(0), Math.log2(1024), Math.log10(1e15), Math.cbrt(-8), Math.fround(5.5), Math.fround(5.05));
  console.log(Math.clz32(1), Math.clz32(0), Math.imul(0xffffffff, 5), Math.imul(3, 4));
  console.log(Math.atan2(0, -0), Math.atan2(-0, 0) === 0, Math.floor(-0.5), 1 / Math.round(-0.4));
}
