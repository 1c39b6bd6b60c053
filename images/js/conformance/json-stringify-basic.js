export default function () {
  console.log(
    JSON.stringify({
      s: 'str',
      n: 1.5,
      b: true,
      z: null,
      u: undefined,
      f() {},
      arr: [undefined, () => 1, NaN, Infinity],
    }),
  );
  console.log(JSON.stringify('he said "hi"\n\t\u0001\u2028'), JSON.stringify(undefined), JSON.stringify(null));
  console.log(JSON.stringify(new Date(Date.UTC(2021, 5, 15, 12))), JSON.stringify([new Map([[1, 2]]), new Set([1])]));
  console.log(
    JSON.stringify({
      toJSON() {
        return { replaced: true };
      },
    }),
    JSON.stringify(-0),
    JSON.stringify(1e21),
  );
  console.log(JSON.stringify('\ud800'), JSON.stringify('😀'));
}
