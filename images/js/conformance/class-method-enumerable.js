class A {
  m() {
    return 1;
  }
}

export default function () {
  const keys = [];
  for (const k in new A()) keys.push(k);
  console.log('for-in keys:', JSON.stringify(keys));
  console.log('prototype keys:', JSON.stringify(Object.keys(A.prototype)));
}
