class Animal {
  constructor(name) {
    this.name = name;
  }
  speak() {
    return `${this.name} makes a sound`;
  }
  get kind() {
    return 'animal';
  }
}
class Dog extends Animal {
  constructor(name, breed) {
    super(name);
    this.breed = breed;
  }
  speak() {
    return `${super.speak()}; ${this.name} the ${this.breed} barks`;
  }
  get kind() {
    return `dog, an ${super.kind}`;
  }
}

export default function () {
  const d = new Dog('Rex', 'beagle');
  console.log(d.speak());
  console.log(d.kind);
  console.log(d instanceof Dog, d instanceof Animal, Object.getPrototypeOf(Dog) === Animal);
  console.log(Object.getPrototypeOf(Dog.prototype) === Animal.prototype);
}
