type Route = readonly [method: 'GET' | 'POST', path: string];
const routes = [
  ['GET', '/'],
  ['POST', '/items'],
] as const satisfies readonly Route[];

function head<T extends readonly unknown[]>(xs: T): T[0] {
  return xs[0];
}

export default function (): void {
  for (const [method, path] of routes) console.log(method, path);
  console.log(head(routes)[1], head([3, 'x'] as const));
  const [a, b = 'default'] = ['only'] as [string, string?];
  console.log(a, b);
}
