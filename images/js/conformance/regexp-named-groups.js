export default function () {
  const re = new RegExp('(?<year>\\d{4})-(?<month>\\d{2})');
  const m = re.exec('2024-03');
  console.log(m.groups.year, m.groups.month);
  console.log('2024-03'.replace(re, '$<month>/$<year>'));
}
