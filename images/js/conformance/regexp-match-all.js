export default function () {
  const text = 'k1=v1;k2=v2;k3=v3';
  const pairs = [...text.matchAll(/(\w+)=(\w+)/g)].map((m) => `${m[1]}:${m[2]}@${m.index}`);
  console.log(pairs.join(' '));
  console.log(text.search(/k2/), text.search(/zz/));
  try {
    text.matchAll(/x/);
  } catch (e) {
    console.log('non-global matchAll:', e.name);
  }
}
