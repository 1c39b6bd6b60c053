export default function () {
  console.log(
    String(123),
    String(true),
    String(null),
    String(undefined),
    String([1, [2, 3]]),
    String({}),
    String(Symbol('s')),
  );
  console.log(
    (255).toString(16),
    (255).toString(2),
    (-255).toString(36),
    (35).toString(36),
    parseInt('ff', 16),
    parseInt('0x1A'),
    parseInt('12px'),
    parseInt(''),
  );
  console.log(
    parseFloat('3.14abc'),
    parseFloat('.5'),
    parseFloat('-1e3'),
    parseFloat('Infinityx'),
    Number(''),
    Number(' 12 '),
    Number('12px'),
    Number('0b101'),
    Number('0o17'),
    Number('1_000'),
  );
  console.log(+[], +{}, +[5], +'\n', 1 + '2', '3' * '4', true + 1, null + 1, undefined + 1, [] + {}, [1] + [2]);
}
