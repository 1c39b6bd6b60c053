export default function () {
  const frozen = Object.freeze({ a: 1, nested: { b: 2 } });
  try {
    frozen.a = 2;
  } catch (e) {
    console.log('assign to frozen:', e.name);
  }
  frozen.nested.b = 3;
  console.log(frozen.a, frozen.nested.b, Object.isFrozen(frozen), Object.isFrozen(frozen.nested));
  const getterOnly = {
    get g() {
      return 1;
    },
  };
  try {
    getterOnly.g = 2;
  } catch (e) {
    console.log('assign to getter-only:', e.name);
  }
  const sealed = Object.seal({ s: 1 });
  sealed.s = 2;
  try {
    sealed.t = 1;
  } catch (e) {
    console.log('add to sealed:', e.name, sealed.s);
  }
  try {
    delete sealed.s;
  } catch (e) {
    console.log('delete sealed:', e.name);
  }
  const nonExt = Object.preventExtensions({});
  console.log(Object.isExtensible(nonExt), Object.isSealed(sealed));
}
