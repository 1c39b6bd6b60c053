export default function () {
  for (const v of [42, 'str', null, undefined, { code: 7 }, [1, 2]]) {
    try {
      throw v;
    } catch (e) {
      console.log(typeof e, JSON.stringify(e) ?? 'undefined');
    }
  }
  try {
    throw new Error('with cause', { cause: 'root' });
  } catch (e) {
    console.log(e.message, e.cause);
  }
  try {
    throw new Error();
  } catch {
    console.log('optional catch binding');
  }
}
