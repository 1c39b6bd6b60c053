export default function () {
  const day = 24 * 60 * 60 * 1000;
  const a = new Date(Date.UTC(2024, 0, 1));
  const b = new Date(Date.UTC(2024, 11, 31));
  console.log((b - a) / day, b > a, a < b, +a === a.getTime());
  const next = new Date(a.getTime() + 59 * day);
  console.log(next.toISOString().slice(0, 10), next.getUTCDay());
  const days = [];
  for (let m = 0; m < 12; m++) days.push(new Date(Date.UTC(2023, m + 1, 0)).getUTCDate());
  console.log(days.join(','));
  console.log(
    new Date(Date.UTC(1900, 1, 29)).toISOString().slice(0, 10),
    new Date(Date.UTC(2000, 1, 29)).getUTCMonth(),
  );
}
