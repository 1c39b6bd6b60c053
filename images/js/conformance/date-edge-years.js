export default function () {
  for (const y of [0, 1, 99, 100, 1582, 1970, 2038, 9999, 10000, -1, -10000]) {
    const d = new Date(Date.UTC(2000, 0, 1));
    d.setUTCFullYear(y);
    console.log(y, d.toISOString());
  }
}
