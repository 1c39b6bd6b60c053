export default function () {
  console.log(
    Number.isInteger(5),
    Number.isInteger(5.5),
    Number.isInteger('5'),
    Number.isFinite('5'),
    isFinite('5'),
    Number.isNaN('x'),
    isNaN('x'),
  );
  console.log(
    Number.parseFloat === parseFloat,
    Number.parseInt('101', 2),
    parseInt('z', 36),
    parseInt('8', 8),
    parseInt('-0'),
    1 / parseInt('-0'),
  );
  console.log(
    parseInt(0.0000005),
    parseInt('123', 0),
    parseInt('123', 1),
    parseInt('11', 37),
    parseFloat('1e1000'),
    parseInt('9007199254740993'),
  );
}
