class Tree {
  constructor(value, ...children) {
    this.value = value;
    this.children = children;
  }
  *[Symbol.iterator]() {
    yield this.value;
    for (const c of this.children) yield* c;
  }
}
const obj = {
  *pairs() {
    yield ['a', 1];
    yield ['b', 2];
  },
};

export default function () {
  const t = new Tree(1, new Tree(2, new Tree(3)), new Tree(4));
  console.log([...t].join(','));
  console.log(JSON.stringify(Object.fromEntries(obj.pairs())));
}
