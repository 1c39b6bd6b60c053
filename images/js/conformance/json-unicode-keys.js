export default function () {
  const o = { ключ: 'значение', 日本: '語', 'emoji😀': '✓', '': 'empty key' };
  const s = JSON.stringify(o);
  console.log(s);
  console.log(JSON.stringify(JSON.parse(s)) === s, Object.keys(JSON.parse(s)).length);
}
