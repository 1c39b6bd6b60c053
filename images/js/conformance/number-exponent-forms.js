export default function () {
  const values = [
    1e21,
    1e20,
    123e18,
    1e-6,
    1e-7,
    1.5e-7,
    2 ** 70,
    1 / 3,
    2 / 3,
    100,
    1e300 * 10,
    -1e-323,
    0.1 + 0.7,
    123456789.12345679,
  ];
  console.log(values.map(String).join(' '));
  console.log(String(-0), (-0).toString(), `${-0}`, JSON.stringify([-0]), Object.is(-0 * 1, -0), 1 / -0);
  console.log(
    Number('1e3'),
    Number('-.5e-2'),
    Number('1e400'),
    Number('0x10'),
    Number('   '),
    Number(null),
    Number(undefined),
    Number([]),
    Number(['7']),
  );
}
