function classify(x) {
  const out = [];
  switch (x) {
    case 1:
      out.push('one');
    // falls through
    case 2:
      out.push('one-or-two');
      break;
    case '1':
      out.push('string one');
      break;
    default:
      out.push('default');
    // falls through
    case 3:
      out.push('three-or-default');
  }
  return out.join('+');
}

export default function () {
  console.log([1, 2, '1', 3, 4, NaN].map(classify).join(' | '));
  const key = 'b';
  switch (true) {
    case key > 'a':
      console.log('range match');
      break;
  }
  switch (1) {
    case 1: {
      const scoped = 'block scoped';
      console.log(scoped);
    }
  }
}
