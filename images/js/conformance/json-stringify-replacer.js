export default function () {
  const v = { name: 'n', secret: 's', nested: { secret: 'deep', keep: 1 }, list: [1, 2, 3] };
  console.log(JSON.stringify(v, (k, val) => (k === 'secret' ? undefined : typeof val === 'number' ? val * 10 : val)));
  console.log(JSON.stringify(v, ['name', 'nested', 'keep']));
  const calls = [];
  JSON.stringify({ a: { b: 1 }, c: [2] }, function (k, val) {
    calls.push(`${k || '(root)'}:${Array.isArray(this) ? 'array' : typeof this}`);
    return val;
  });
  console.log(calls.join(' '));
}
