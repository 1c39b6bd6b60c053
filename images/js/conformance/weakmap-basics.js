export default function () {
  const wm = new WeakMap();
  const k = {};
  wm.set(k, 'meta');
  console.log(wm.get(k), wm.has(k), wm.has({}), wm.delete(k), wm.has(k));
  try {
    wm.set('str', 1);
  } catch (e) {
    console.log('primitive key:', e instanceof TypeError);
  }
  const ws = new WeakSet();
  ws.add(k);
  console.log(ws.has(k), ws.has({}));
}
