export default function () {
  const name = 'world';
  const n = 3;
  console.log(`hello ${name}, ${n} + ${n} = ${n + n}`);
  console.log(`multi
line
${'text'}`);
  console.log(`nested ${`inner ${n > 2 ? `big ${n}` : 'small'}`}`);
  console.log(`escapes: \` \${not} \\ \u0041 \x42`);
  console.log(`${{}} ${[1, 2]} ${null} ${undefined} ${true}`);
  const o = { toString: () => 'custom toString', valueOf: () => 42 };
  console.log(`${o}`, '' + o);
}
