export default function () {
  const obj = { x: 1, y: 2 };
  const m = new Map(Object.entries(obj));
  m.set('z', 3);
  console.log(JSON.stringify(Object.fromEntries(m)));
  const doubled = new Map([...m].map(([k, v]) => [k, v * 2]));
  console.log(JSON.stringify([...doubled]));
  const grouped = new Map();
  for (const w of ['apple', 'avocado', 'banana', 'blueberry', 'cherry']) {
    const k = w[0];
    grouped.set(k, [...(grouped.get(k) ?? []), w]);
  }
  console.log(JSON.stringify([...grouped]));
}
