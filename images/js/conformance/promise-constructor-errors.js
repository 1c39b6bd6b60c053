export default async function () {
  const p = new Promise(() => {
    throw new TypeError('thrown in executor');
  });
  try {
    await p;
  } catch (e) {
    console.log(e.name, e.message);
  }
  const once = new Promise((resolve, reject) => {
    resolve('first');
    resolve('second');
    reject(new Error('ignored'));
  });
  console.log(await once);
  const afterResolve = new Promise((resolve) => {
    resolve('value');
    throw new Error('ignored after resolve');
  });
  console.log(await afterResolve);
}
