class Builder {
  constructor() {
    this.parts = [];
  }
  add(p) {
    this.parts.push(p);
    return this;
  }
  build() {
    return this.parts.join('-');
  }
}
class Weird {
  constructor() {
    return { replaced: true };
  }
}

export default function () {
  console.log(new Builder().add('a').add('b').add('c').build());
  const w = new Weird();
  console.log(w.replaced, w instanceof Weird);
}
