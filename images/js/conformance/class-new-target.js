class Shape {
  constructor() {
    this.kind = new.target === Shape ? 'plain shape' : 'derived shape';
  }
}
class Square extends Shape {}
function F() {
  return new.target === undefined ? 'called' : 'constructed';
}

export default function () {
  console.log(new Shape().kind);
  console.log(new Square().kind);
  console.log(F(), new F() instanceof F);
}
