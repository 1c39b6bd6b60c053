const range = {
  from: 1,
  to: 4,
  [Symbol.iterator]() {
    let cur = this.from;
    const last = this.to;
    return {
      next: () => (cur <= last ? { value: cur++, done: false } : { value: undefined, done: true }),
      return() {
        console.log('return called');
        return { done: true };
      },
    };
  },
};

export default function () {
  for (const x of range) console.log(x);
  for (const x of range) {
    if (x === 2) break;
    console.log('before break', x);
  }
  try {
    for (const x of range) {
      if (x === 1) throw new Error('thrown in loop');
    }
  } catch (e) {
    console.log(e.message);
  }
  console.log([...range].join(','));
}
