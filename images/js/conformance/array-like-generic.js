export default function () {
  const arrayLike = { 0: 'a', 1: 'b', 2: 'c', length: 3 };
  console.log(Array.prototype.map.call(arrayLike, (x) => x.toUpperCase()).join(''));
  console.log(Array.from(arrayLike).reverse().join(''), Array.prototype.join.call('xyz', '-'));
  console.log(Array.prototype.indexOf.call(arrayLike, 'c'), Array.from(new Set([3, 3, 4])).length);
  console.log(
    Array.from(
      [1, 2, 3],
      function (x) {
        return x * this.k;
      },
      { k: 10 },
    ).join(','),
  );
}
