class Stack<T> {
  private items: T[] = [];
  push(...xs: T[]): this {
    this.items.push(...xs);
    return this;
  }
  pop(): T | undefined {
    return this.items.pop();
  }
  get size(): number {
    return this.items.length;
  }
}
function pick<T, K extends keyof T>(obj: T, ...keys: K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) out[k] = obj[k];
  return out;
}
type Shape = { kind: 'circle'; r: number } | { kind: 'square'; side: number };
function area(s: Shape): number {
  switch (s.kind) {
    case 'circle':
      return Math.round(Math.PI * s.r * s.r);
    case 'square':
      return s.side * s.side;
  }
}

export default function (): void {
  const s = new Stack<number>().push(1, 2, 3);
  console.log(s.pop(), s.size);
  console.log(JSON.stringify(pick({ a: 1, b: 'two', c: true }, 'a', 'c')));
  console.log(area({ kind: 'circle', r: 2 }), area({ kind: 'square', side: 3 }));
}
