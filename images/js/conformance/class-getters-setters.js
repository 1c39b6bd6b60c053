class Temperature {
  constructor(celsius) {
    this._c = celsius;
  }
  get fahrenheit() {
    return this._c * 1.8 + 32;
  }
  set fahrenheit(f) {
    this._c = (f - 32) / 1.8;
  }
  get celsius() {
    return this._c;
  }
}

export default function () {
  const t = new Temperature(100);
  console.log(t.fahrenheit);
  t.fahrenheit = 32;
  console.log(t.celsius);
  t.fahrenheit = 212;
  console.log(t.celsius.toFixed(6));
  const d = Object.getOwnPropertyDescriptor(Temperature.prototype, 'fahrenheit');
  console.log(typeof d.get, typeof d.set, d.enumerable, d.configurable);
}
