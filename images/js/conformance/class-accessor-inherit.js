class Base {
  #hidden = 0;
  get value() {
    return this.#hidden;
  }
  set value(v) {
    this.#hidden = v * 2;
  }
}
class Child extends Base {}

export default function () {
  const c = new Child();
  c.value = 21;
  console.log(c.value);
  console.log('value' in c, Object.keys(c).length);
}
