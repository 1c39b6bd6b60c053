export default function () {
  const re = new RegExp('(?<=\\$)\\d+');
  console.log(re.exec('cost: $42')[0]);
  console.log('a1 b2'.replace(new RegExp('(?<!a)\\d', 'g'), '#'));
}
