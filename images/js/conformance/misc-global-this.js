export default function () {
  console.log(typeof globalThis, typeof globalThis.Array, globalThis.Math === Math);
  globalThis.__conformanceGlobal = 'set';
  console.log(typeof __conformanceGlobal, delete globalThis.__conformanceGlobal, typeof globalThis.__conformanceGlobal);
  console.log(typeof globalThis.setTimeout, typeof globalThis.console.log);
}
