function tag(strings, ...values) {
  return strings.map((s, i) => `[${s}]` + (i < values.length ? `<${values[i]}>` : '')).join('');
}
function raw(strings) {
  return `${strings.raw[0]} vs ${strings[0]}`;
}
function identity(strings) {
  return strings;
}

export default function () {
  console.log(tag`a${1}b${2}c`);
  console.log(tag`${'only'}`);
  console.log(raw`x\ny`);
  console.log(String.raw`C:\temp\${1 + 1}`);
  const s = identity`frozen`;
  console.log(Object.isFrozen(s), Array.isArray(s), s.length);
  const same = [];
  for (let i = 0; i < 2; i++) same.push(identity`site`);
  console.log(same[0] === same[1], identity`a` === identity`a`);
}
