export default function () {
  const fns = [];
  rows: for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      if (c > r) continue rows;
      fns.push(() => `${r}${c}`);
    }
  }
  console.log(fns.map((f) => f()).join(' '));
  let s = '';
  outer: for (const a of 'abc') {
    for (const b of 'xyz') {
      if (b === 'y' && a === 'b') break outer;
      s += a + b + ' ';
    }
  }
  console.log(s);
}
