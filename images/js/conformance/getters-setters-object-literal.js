export default function () {
  let log = [];
  const o = {
    _v: 1,
    get v() {
      log.push('get');
      return this._v;
    },
    set v(x) {
      log.push(`set ${x}`);
      this._v = x;
    },
    get readOnly() {
      return 'ro';
    },
  };
  o.v = o.v + 1;
  try {
    o.readOnly = 'ignored';
  } catch (e) {
    log.push(e.name);
  }
  console.log(o.v, o.readOnly, log.join(','));
  const d = Object.getOwnPropertyDescriptor(o, 'readOnly');
  console.log(typeof d.get, d.set, d.enumerable, JSON.stringify(o));
}
