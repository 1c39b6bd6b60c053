export default function () {
  const words = ['banana', 'Apple', 'cherry', 'apple', '10', '9', 'Banana'];
  console.log([...words].sort().join(','));
  console.log('a' < 'b', 'B' < 'a', 'abc' < 'abd', '10' < '9', 'a' < 'aa', '' < 'a');
  console.log(
    [...words]
      .sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0))
      .join(','),
  );
}
