interface Job {
  id: number;
  run(): Promise<string>;
}
const makeJob = (id: number, ms: number): Job => ({
  id,
  run: () => new Promise<string>((resolve) => setTimeout(() => resolve(`job ${id} after ${ms}`), ms)),
});

export default async function (): Promise<void> {
  const jobs: Job[] = [makeJob(1, 200), makeJob(2, 20), makeJob(3, 100)];
  const results = await Promise.all(jobs.map((j) => j.run()));
  console.log(results.join('; '));
  const first = await Promise.race(jobs.map(async (j) => ({ id: j.id, r: await j.run() })));
  console.log(first.id);
}
