export default function () {
  const a = { name: 'a' };
  a.self = a;
  try {
    JSON.stringify(a);
    console.log('no error');
  } catch (e) {
    console.log(e instanceof TypeError);
  }
  const shared = { x: 1 };
  console.log(JSON.stringify({ p: shared, q: shared }));
}
