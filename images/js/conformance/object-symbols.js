export default function () {
  const s = Symbol('desc');
  const o = { [s]: 'hidden', visible: 1 };
  console.log(o[s], Object.keys(o).join(','), JSON.stringify(o), s.toString(), s.description);
  console.log(Symbol.for('app') === Symbol.for('app'), Symbol('a') === Symbol('a'), Symbol.keyFor(Symbol.for('app')));
  console.log(typeof Symbol.iterator, Object.getOwnPropertySymbols(o).length);
}
