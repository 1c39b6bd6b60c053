class Even {
  static [Symbol.hasInstance](n) {
    return n % 2 === 0;
  }
}

export default function () {
  console.log(2 instanceof Even, 3 instanceof Even);
}
