const proto = {
  get full() {
    return `${this.first} ${this.last}`;
  },
  set full(v) {
    [this.first, this.last] = v.split(' ');
  },
};

export default function () {
  const p = Object.create(proto);
  p.full = 'Ada Lovelace';
  console.log(p.first, p.last, p.full, Object.keys(p).join(','), Object.prototype.hasOwnProperty.call(p, 'full'));
  const q = Object.create(proto, {
    first: { value: 'Alan', enumerable: true },
    last: { value: 'Turing', enumerable: true },
  });
  console.log(q.full, JSON.stringify(q));
}
