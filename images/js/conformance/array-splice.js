export default function () {
  const a = [1, 2, 3, 4, 5];
  console.log(JSON.stringify(a.splice(1, 2)), JSON.stringify(a));
  console.log(JSON.stringify(a.splice(1, 0, 'x', 'y')), JSON.stringify(a));
  console.log(JSON.stringify(a.splice(-2)), JSON.stringify(a));
  console.log(JSON.stringify(a.splice(0, 1, 'z')), JSON.stringify(a));
  console.log(JSON.stringify(a.splice(10, 1, 'end')), JSON.stringify(a));
  console.log(JSON.stringify(a.splice()), JSON.stringify(a.splice(undefined, 1)), JSON.stringify(a));
}
