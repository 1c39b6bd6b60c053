class Point {
  constructor(x, y) {
    this.x = x;
    this.y = y;
  }
  add(other) {
    return new Point(this.x + other.x, this.y + other.y);
  }
  toString() {
    return `(${this.x}, ${this.y})`;
  }
}

export default function () {
  const p = new Point(1, 2).add(new Point(3, 4));
  console.log(String(p));
  console.log(p instanceof Point, typeof Point, Point.name);
  console.log(Object.keys(p).join(','));
}
