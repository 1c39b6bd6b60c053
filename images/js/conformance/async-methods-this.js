class Service {
  constructor() {
    this.name = 'svc';
  }
  async load() {
    await null;
    return this.name;
  }
  static async make() {
    const s = new this();
    s.name = await Promise.resolve('made');
    return s;
  }
}

export default async function () {
  const s = new Service();
  console.log(await s.load());
  console.log((await Service.make()).name);
  const arrow = async () => {
    await null;
    return typeof this;
  };
  console.log(await arrow());
  const obj = {
    v: 7,
    async get() {
      return [1, 2].map(() => this.v).join('');
    },
  };
  console.log(await obj.get());
}
