enum Color {
  Red,
  Green = 5,
  Blue,
}
enum Direction {
  Up = 'UP',
  Down = 'DOWN',
}
const enum Flags {
  None = 0,
  A = 1 << 0,
  B = 1 << 1,
  AB = A | B,
}

export default function (): void {
  console.log(Color.Red, Color.Green, Color.Blue, Color[6], Color[Color.Red]);
  console.log(Direction.Up, Object.keys(Direction).join(','), JSON.stringify(Color));
  const f: Flags = Flags.AB;
  console.log(f, (f & Flags.B) !== 0, Flags.None);
}
