class User {
  constructor(first, last) {
    this.first = first;
    this.last = last;
  }
  get full() {
    return `${this.first} ${this.last}`;
  }
  toJSON() {
    return { name: this.full };
  }
}

export default function () {
  console.log(JSON.stringify([new User('a', 'b')]), JSON.stringify({ u: new User('c', 'd') }, null, 1));
}
