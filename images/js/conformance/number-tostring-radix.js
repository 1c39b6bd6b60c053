export default function () {
  const ints = [0, 1, 255, -255, 1e10, 2 ** 53, 123456789];
  for (const v of ints) console.log(v, v.toString(2), v.toString(8), v.toString(16), v.toString(36));
  console.log((0.5).toString(2), (0.25).toString(16), (0.1).toString(2), (255.5).toString(16));
}
