export default function () {
  const m = new Map();
  const objKey = {};
  m.set('a', 1).set(objKey, 'object').set(1, 'number one').set('1', 'string one');
  console.log(m.size, m.get('a'), m.get(objKey), m.get(1), m.get('1'), m.get({}));
  console.log(m.has('a'), m.delete('a'), m.has('a'), m.delete('a'), m.size);
  m.set(NaN, 'nan');
  console.log(m.get(NaN), m.has(NaN));
  m.set(-0, 'zero');
  console.log(m.get(0), m.get(-0), Object.is([...m.keys()].pop(), -0));
  m.clear();
  console.log(m.size, m.get(1));
}
