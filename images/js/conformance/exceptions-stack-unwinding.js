export default function () {
  const log = [];
  function level(n) {
    try {
      if (n === 0) throw new Error('bottom');
      return level(n - 1);
    } finally {
      log.push(n);
    }
  }
  try {
    level(4);
  } catch (e) {
    console.log(e.message, log.join(','));
  }
  function recurse(n) {
    return recurse(n + 1) + 1;
  }
  try {
    recurse(0);
  } catch (e) {
    console.log('stack overflow:', e instanceof RangeError || e instanceof Error);
  }
}
