const make = (base) =>
  class extends base {
    hello() {
      return `hello from ${super.hello()}`;
    }
  };
class Root {
  hello() {
    return 'root';
  }
}

export default function () {
  const C = make(make(Root));
  console.log(new C().hello());
  const Anon = class {};
  console.log(Anon.name);
  const Named = class Inner {
    who() {
      return Inner.name;
    }
  };
  console.log(new Named().who());
}
