export default function () {
  const inputs = [
    '2020-01-02',
    '2020-01-02T03:04:05Z',
    '2020-01-02T03:04:05.678Z',
    '2020-01-02T03:04:05+02:00',
    '2020-01-02T03:04:05.5-05:30',
    '2020-06',
    '2020',
    '+010000-01-01T00:00:00Z',
    '-000001-01-01T00:00:00Z',
    '2020-13-01',
    'not a date',
  ];
  for (const s of inputs) {
    const t = Date.parse(s);
    console.log(s, '=>', Number.isNaN(t) ? 'NaN' : new Date(t).toISOString());
  }
}
