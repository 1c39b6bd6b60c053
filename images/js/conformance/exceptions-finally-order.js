/* eslint-disable @typescript-eslint/no-unused-vars, no-unsafe-finally -- the semantics under test */
export default function () {
  const log = [];
  function f() {
    try {
      log.push('try');
      return 'from try';
    } finally {
      log.push('finally');
    }
  }
  console.log(f(), log.join(','));
  function g() {
    try {
      throw new Error('x');
    } catch (e) {
      return 'from catch';
    } finally {
      return 'finally overrides';
    }
  }
  console.log(g());
  function h() {
    for (let i = 0; i < 3; i++) {
      try {
        if (i === 1) continue;
        if (i === 2) break;
        log.push(`body ${i}`);
      } finally {
        log.push(`finally ${i}`);
      }
    }
    return log.slice(2).join(',');
  }
  console.log(h());
}
