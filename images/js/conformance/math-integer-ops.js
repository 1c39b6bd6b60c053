/* eslint-disable no-loss-of-precision -- the semantics under test */
export default function () {
  console.log(7 % 3, -7 % 3, 7 % -3, 5.5 % 2, -0 % 1 === 0, (2 ** 31) | 0, ~~3.7, ~~-3.7);
  console.log(1 << 31, 1 << 32, -1 >>> 0, -1 >>> 28, -16 >> 2, 0xff & 0x0f, 0xf0 | 0x0f, 0xff ^ 0x0f);
  console.log(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, Number.EPSILON > 0, Number.MAX_VALUE, Number.MIN_VALUE);
  console.log(2 ** 53 === 2 ** 53 + 1, Number.isSafeInteger(2 ** 53), Number.isSafeInteger(2 ** 53 - 1));
  console.log(0.1 + 0.2, 0.1 * 3, 1 - 0.9, 9007199254740993 - 1, 1e16 + 1);
}
