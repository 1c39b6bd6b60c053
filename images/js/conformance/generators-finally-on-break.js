function* guarded() {
  try {
    yield 1;
    yield 2;
    yield 3;
  } finally {
    console.log('cleanup');
  }
}

export default function () {
  for (const x of guarded()) {
    console.log('got', x);
    if (x === 2) break;
  }
  const [first] = guarded();
  console.log('first', first);
}
