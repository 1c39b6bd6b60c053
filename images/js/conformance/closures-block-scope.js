export default function () {
  let x = 'outer';
  {
    let x = 'inner';
    console.log(x);
  }
  console.log(x);
  const fs = [];
  let i = 0;
  while (i < 3) {
    const captured = i;
    fs.push(() => captured);
    i++;
  }
  console.log(fs.map((f) => f()).join(''));
  try {
    console.log(typeof notYet);
    notYet = 1;
    let notYet;
  } catch (e) {
    console.log(e instanceof ReferenceError);
  }
}
