export default function () {
  console.log((0.1).toString(3), (1 / 3).toString(3), Math.PI.toString(16), (0.3).toString(36));
}
