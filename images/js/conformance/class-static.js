class Counter {
  static count = 0;
  static create() {
    Counter.count++;
    return new this();
  }
  static get total() {
    return `total ${Counter.count}`;
  }
}
class Sub extends Counter {
  static create() {
    const made = super.create();
    return made;
  }
}

export default function () {
  Counter.create();
  const s = Sub.create();
  console.log(Counter.count, Counter.total);
  console.log(s instanceof Sub, s instanceof Counter);
  console.log(Sub.count, typeof Sub.create);
}
