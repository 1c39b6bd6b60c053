const method = 'dyn';
class C {
  [method + 'amic']() {
    return 'dynamic method';
  }
  static ['s' + 1]() {
    return 'static s1';
  }
  get ['g' + 'et']() {
    return 'computed getter';
  }
}

export default function () {
  const c = new C();
  console.log(c.dynamic(), C.s1(), c.get);
}
