export default function () {
  const obj = { n: 0, s: '', o: null, k: 'keep' };
  obj.n ||= 5;
  obj.s ??= 'not assigned';
  obj.o ??= { fresh: true };
  obj.k &&= obj.k.toUpperCase();
  console.log(JSON.stringify(obj));
  let count = 0;
  const target = {
    get v() {
      count++;
      return 'truthy';
    },
    set v(x) {
      count += 100;
    },
  };
  target.v ||= 'no set';
  console.log(count);
}
