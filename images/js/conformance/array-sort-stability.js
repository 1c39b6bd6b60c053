export default function () {
  const people = [];
  const names = ['ann', 'bob', 'cid', 'dan', 'eve', 'fay', 'gus', 'hal', 'ida', 'jon', 'kim', 'lee', 'max'];
  for (let i = 0; i < 40; i++) people.push({ name: names[i % names.length] + i, age: 20 + (i % 4) });
  const sorted = [...people].sort((a, b) => a.age - b.age);
  console.log(sorted.map((p) => p.name).join(','));
}
