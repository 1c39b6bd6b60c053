export default function () {
  const people = [
    { name: 'ann', age: 31, tags: ['a', 'b'] },
    { name: 'bob', age: 25, tags: [] },
  ];
  for (const {
    name,
    age,
    tags: [firstTag = 'none'],
  } of people)
    console.log(name, age, firstTag);
  for (const [i, { name }] of people.entries()) console.log(i, name);
  const m = new Map([
    [1, 'one'],
    [2, 'two'],
  ]);
  for (const [k, v] of m) console.log(k, v);
}
