class V {
  constructor(...parts) {
    this.parts = parts;
  }
}

export default function () {
  const args = [1, 2, 3];
  console.log(new V(...args, 4).parts.join(''));
  const d = new Date(...[Date.UTC(2020, 0, 2)]);
  console.log(d.toISOString());
  const obj = {
    n: 10,
    add(...xs) {
      return xs.reduce((s, x) => s + x, this.n);
    },
  };
  console.log(obj.add(...args));
  console.log(String.fromCharCode(...[72, 105]));
}
