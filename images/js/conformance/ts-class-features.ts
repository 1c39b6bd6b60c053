class Base {
  protected readonly created = 'base';
  static readonly registry: string[] = [];
  constructor() {
    Base.registry.push(this.constructor.name);
  }
}
class Derived extends Base {
  declare extra: string;
  override toString(): string {
    return `Derived(${this.created})`;
  }
}
class WithDefaults {
  constructor(
    public a = 1,
    public b: string = `b${a}`,
  ) {}
}

export default function (): void {
  const d = new Derived();
  new Base();
  console.log(String(d), Base.registry.join(','), 'extra' in d);
  console.log(JSON.stringify(new WithDefaults()), JSON.stringify(new WithDefaults(5)));
}
