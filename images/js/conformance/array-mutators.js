export default function () {
  const a = [1, 2, 3];
  console.log(a.push(4, 5), a.pop(), a.shift(), a.unshift(0, 0.5), JSON.stringify(a));
  console.log(JSON.stringify(a.reverse()), JSON.stringify(a.fill(9, 1, 3)), JSON.stringify(new Array(3).fill(0)));
  console.log(JSON.stringify([1, 2, 3, 4, 5].copyWithin(0, 3)), JSON.stringify([1, 2, 3, 4, 5].copyWithin(1, 0, 2)));
  const b = [1, 2, 3];
  b.length = 1;
  console.log(JSON.stringify(b), b[2]);
  b[4] = 'x';
  console.log(b.length, JSON.stringify(b), 2 in b);
}
