export default function () {
  const fns = [];
  for (let i = 0; i < 3; i++) fns.push(() => i);
  console.log(fns.map((f) => f()).join(','));
  const vars = [];
  for (var j = 0; j < 3; j++) vars.push(() => j);
  console.log(vars.map((f) => f()).join(','));
  const fromOf = [];
  for (const k of ['a', 'b']) fromOf.push(() => k);
  console.log(fromOf.map((f) => f()).join(','));
  const mutated = [];
  for (let i = 0; i < 3; i++) {
    mutated.push(() => i);
    i++;
  }
  console.log(mutated.map((f) => f()).join(','));
}
