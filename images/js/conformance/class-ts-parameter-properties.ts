abstract class Shape {
  constructor(public readonly name: string) {}
  abstract area(): number;
  describe(): string {
    return `${this.name} with area ${this.area().toFixed(2)}`;
  }
}
class Circle extends Shape {
  constructor(private r: number) {
    super('circle');
  }
  area(): number {
    return Math.PI * this.r * this.r;
  }
}
class Rect extends Shape {
  constructor(
    private w: number,
    private h: number,
  ) {
    super('rect');
  }
  area(): number {
    return this.w * this.h;
  }
}

export default function (): void {
  const shapes: Shape[] = [new Circle(1), new Rect(2, 3)];
  for (const s of shapes) console.log(s.describe());
  console.log(JSON.stringify(shapes));
}
