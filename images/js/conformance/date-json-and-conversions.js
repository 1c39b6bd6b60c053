export default function () {
  const d = new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 999));
  console.log(d.toJSON(), JSON.stringify({ d }), d.toUTCString());
  console.log(new Date(0).toISOString(), new Date(-1).toISOString(), new Date(8.64e15).toISOString());
  console.log(new Date(8.64e15 + 1).getTime(), typeof Date.now(), Date.now() > 1.5e12);
  console.log(new Date('2020-01-01T00:00:00Z').getTime(), new Date(2020, 0) instanceof Date, typeof Date());
}
