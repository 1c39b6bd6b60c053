class Thing {
  get [Symbol.toStringTag]() {
    return 'Thing';
  }
}

export default function () {
  console.log(Object.prototype.toString.call(new Thing()));
  console.log(Object.prototype.toString.call([]), Object.prototype.toString.call(null));
  console.log(Object.prototype.toString.call(new Date(0)), Object.prototype.toString.call(/x/));
}
