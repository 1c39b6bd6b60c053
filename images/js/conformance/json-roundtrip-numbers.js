export default function () {
  const nums = [
    0.1,
    0.1 + 0.2,
    1 / 3,
    123456789012345680000,
    1e-7,
    5e-324,
    1.7976931348623157e308,
    -1e-10,
    100,
    2 ** 53 + 2,
  ];
  console.log(JSON.stringify(nums));
  console.log(nums.every((n) => JSON.parse(JSON.stringify(n)) === n));
  console.log(JSON.stringify({ big: 1e300 * 1e10, neg: -1e300 * 1e10 }));
}
