export default function () {
  const v = { a: [1, { b: 2 }, []], c: {}, d: 'x' };
  console.log(JSON.stringify(v, null, 2));
  console.log(JSON.stringify(v, null, '--'));
  console.log(JSON.stringify(v, null, 20).split('\n')[1].length);
  console.log(JSON.stringify([1, [2, [3]]], null, '\t'));
}
