export default function () {
  const text = '{"date":"2020-02-03T04:05:06.000Z","n":1,"nested":{"n":2,"list":[3,4]}}';
  const order = [];
  const v = JSON.parse(text, (k, val) => {
    order.push(k === '' ? '(root)' : k);
    if (k === 'date') return new Date(val);
    if (typeof val === 'number') return val * 100;
    return val;
  });
  console.log(order.join(','));
  console.log(v.date.getUTCFullYear(), v.n, v.nested.n, v.nested.list.join(','));
  const dropped = JSON.parse('{"keep":1,"drop":2}', (k, val) => (k === 'drop' ? undefined : val));
  console.log(JSON.stringify(dropped), 'drop' in dropped);
}
