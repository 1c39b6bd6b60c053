export default function () {
  const found = [];
  outer: for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      if (j === 2) continue outer;
      if (i === 3) break outer;
      found.push(`${i}${j}`);
    }
  }
  console.log(found.join(','));
  let n = 0;
  block: {
    n++;
    if (n > 0) break block;
    n = 100;
  }
  console.log(n);
  let k = 0;
  loop: while (true) {
    do {
      k++;
      if (k > 5) break loop;
    } while (k % 2);
  }
  console.log(k);
}
