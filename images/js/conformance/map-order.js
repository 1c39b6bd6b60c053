export default function () {
  const m = new Map();
  m.set('z', 1).set('a', 2).set('m', 3);
  m.set('z', 'updated');
  console.log([...m.keys()].join(','), m.get('z'));
  m.delete('a');
  m.set('a', 'again');
  console.log([...m.entries()].map(([k, v]) => `${k}=${v}`).join(','));
  const seen = [];
  m.forEach(
    function (v, k, map) {
      seen.push(k + (map === m ? '!' : '?') + (this ? this.tag : ''));
    },
    { tag: 't' },
  );
  console.log(seen.join(' '));
}
