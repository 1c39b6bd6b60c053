export default function () {
  const t = Date.UTC(2024, 1, 29, 13, 45, 30, 123);
  console.log(t);
  const d = new Date(t);
  console.log(d.toISOString(), d.getTime() === t, d.valueOf() === t);
  console.log(
    d.getUTCFullYear(),
    d.getUTCMonth(),
    d.getUTCDate(),
    d.getUTCDay(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
  console.log(Date.UTC(1970, 0), Date.UTC(2000, 0, 1), Date.UTC(99, 0), Date.UTC(2020, 12, 1) === Date.UTC(2021, 0, 1));
}
