export default function () {
  const o = { b: 1, a: 2, 10: 'ten', 2: 'two', '-1': 'neg', 1.5: 'frac' };
  const keys = [];
  for (const k in o) keys.push(k);
  console.log(keys.join(','));
  function P() {
    this.own = 1;
  }
  P.prototype.inherited = 2;
  const seen = [];
  for (const k in new P()) seen.push(k);
  console.log(seen.join(','));
}
