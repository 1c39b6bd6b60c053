export default function () {
  const o = {};
  o.b = 1;
  o[2] = 1;
  o.a = 1;
  o[1] = 1;
  o['01'] = 1;
  o[4294967294] = 1;
  o[4294967295] = 1;
  o[-1] = 1;
  o[Symbol('s')] = 1;
  console.log(Object.keys(o).join(','));
  console.log(JSON.stringify(o));
  console.log(Object.getOwnPropertyNames(o).length, Object.getOwnPropertySymbols(o).length, Reflect.ownKeys(o).length);
}
