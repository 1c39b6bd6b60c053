function Legacy() {}
Legacy.prototype = { kind: 'legacy' };
class Animal {}
class Cat extends Animal {}

export default function () {
  const l = new Legacy();
  console.log(l instanceof Legacy, l.constructor === Object, l.kind);
  try {
    console.log({} instanceof 5);
  } catch (e) {
    console.log(e.name);
  }
  console.log(Object.create(null) instanceof Object, [] instanceof Object, (() => {}) instanceof Function);
  console.log(
    new Cat() instanceof Animal,
    Object.prototype.isPrototypeOf.call(Animal.prototype, new Cat()),
    new Animal() instanceof Cat,
  );
}
