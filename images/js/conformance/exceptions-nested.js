/* eslint-disable preserve-caught-error -- the semantics under test */
export default function () {
  const log = [];
  try {
    try {
      throw new Error('inner');
    } catch (e) {
      log.push(`caught ${e.message}`);
      throw new Error(`outer from ${e.message}`);
    } finally {
      log.push('inner finally');
    }
  } catch (e) {
    log.push(`caught ${e.message}`);
  }
  console.log(log.join(' | '));
  try {
    try {
      throw 1;
    } finally {
      log.length = 0;
    }
  } catch (e) {
    console.log('rethrown past finally:', e, log.length);
  }
}
