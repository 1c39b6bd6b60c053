export default function () {
  const u = new Uint8Array([10, 20, 30]);
  const out = [];
  for (const x of u) out.push(x);
  console.log(out.join(','), [...u.keys()].join(','), JSON.stringify([...u.entries()]), [...u].length);
  console.log(JSON.stringify(u), JSON.stringify({ u: new Uint8Array(0) }), Object.keys(u).join(','));
}
