export default async function () {
  const thenable = {
    then(resolve) {
      console.log('then called');
      resolve('from thenable');
    },
  };
  console.log(await thenable);
  const p = Promise.resolve(thenable);
  console.log(p instanceof Promise, await p);
  const native = Promise.resolve(5);
  console.log(Promise.resolve(native) === native);
}
