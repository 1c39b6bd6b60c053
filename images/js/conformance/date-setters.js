export default function () {
  const d = new Date(Date.UTC(2021, 0, 31));
  d.setUTCMonth(1);
  console.log(d.toISOString());
  d.setUTCDate(0);
  console.log(d.toISOString());
  d.setUTCHours(25, 61, 61, 1001);
  console.log(d.toISOString());
  d.setUTCFullYear(2024, 1, 29);
  console.log(d.toISOString());
  console.log(d.setTime(0), d.toISOString());
  const bad = new Date(NaN);
  console.log(bad.getTime(), String(bad.getUTCFullYear()), bad.toString());
  try {
    bad.toISOString();
  } catch (e) {
    console.log(e.name);
  }
}
