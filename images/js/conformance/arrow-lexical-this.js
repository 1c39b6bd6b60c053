class Timer {
  constructor() {
    this.ticks = 0;
  }
  run() {
    [1, 2, 3].forEach(() => this.ticks++);
    const inner = () => () => this.ticks * 10;
    return inner()();
  }
}

export default function () {
  console.log(new Timer().run());
  const obj = {
    name: 'obj',
    regular() {
      return [1].map(function () {
        return this === undefined ? 'undefined this' : 'some this';
      })[0];
    },
    arrow() {
      return [1].map(() => this.name)[0];
    },
  };
  console.log(obj.regular(), obj.arrow());
}
