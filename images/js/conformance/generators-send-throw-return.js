function* dialog() {
  const name = yield 'name?';
  let greeting;
  try {
    greeting = yield `hello ${name}`;
  } catch (e) {
    yield `caught ${e}`;
  } finally {
    console.log('finally runs');
  }
  return greeting;
}

export default function () {
  const d = dialog();
  console.log(d.next().value);
  console.log(d.next('ann').value);
  console.log(d.throw('oops').value);
  console.log(JSON.stringify(d.next()));
  const e = dialog();
  e.next();
  e.next('bob');
  console.log(JSON.stringify(e.return('early')));
  console.log(JSON.stringify(e.next()));
}
