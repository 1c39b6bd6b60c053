export default function () {
  console.log(`[${'5'.padStart(3, '0')}] [${'abc'.padEnd(6, '12')}] [${'x'.padStart(4)}] [${'long'.padStart(2)}]`);
  console.log(`[${'  a b  '.trim()}] [${'  a  '.trimStart()}] [${'  a  '.trimEnd()}] [${'\t\n\u00a0\ufeffx'.trim()}]`);
  console.log('ab'.repeat(3), `[${'x'.repeat(0)}]`);
  try {
    'x'.repeat(-1);
  } catch (e) {
    console.log(e.name);
  }
}
