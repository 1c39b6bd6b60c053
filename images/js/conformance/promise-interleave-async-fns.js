export default async function () {
  const log = [];
  async function worker(name, steps) {
    for (let i = 0; i < steps; i++) {
      log.push(`${name}${i}`);
      await null;
    }
  }
  await Promise.all([worker('a', 3), worker('b', 2), worker('c', 4)]);
  console.log(log.join(' '));
}
