async function fails(msg) {
  await null;
  throw new Error(msg);
}

export default async function () {
  try {
    await fails('first');
  } catch (e) {
    console.log('caught', e.message);
  } finally {
    console.log('finally 1');
  }
  const r = await fails('second').catch((e) => `handled ${e.message}`);
  console.log(r);
  async function f() {
    try {
      return await fails('third');
    } catch (e) {
      return `recovered ${e.message}`;
    } finally {
      console.log('finally in f');
    }
  }
  console.log(await f());
}
