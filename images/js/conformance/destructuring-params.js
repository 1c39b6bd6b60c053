function draw({ x = 0, y = 0, size: { w = 1, h = w } = {} } = {}) {
  return `${x},${y} ${w}x${h}`;
}
const pairs = ([k, v]) => `${k}=${v}`;

export default function () {
  console.log(draw());
  console.log(draw({ x: 3, size: { w: 4 } }));
  console.log(draw({ y: 2, size: { w: 4, h: 5 } }));
  console.log(Object.entries({ a: 1, b: 2 }).map(pairs).join('&'));
}
