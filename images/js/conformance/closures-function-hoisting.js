/* eslint-disable no-constant-condition -- the semantics under test */
export default function () {
  console.log(typeof hoisted, hoisted());
  function hoisted() {
    return 'hoisted';
  }
  console.log(typeof v, v);
  var v = 1;
  console.log(v);
  if (true) {
    var inBlock = 'var escapes the block';
  }
  console.log(inBlock);
}
