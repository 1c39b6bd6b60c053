interface Config {
  name: string;
  port?: number;
  tls?: { cert: string; key?: string };
}

function describe(c: Config): string {
  const port = c.port ?? 80;
  const key = c.tls?.key ?? 'none';
  return `${c.name}:${port} key=${key} cert=${c.tls?.cert.length ?? 0}`;
}

export default function (): void {
  console.log(describe({ name: 'a' }));
  console.log(describe({ name: 'b', port: 0, tls: { cert: 'xyz' } }));
  const raw: unknown = JSON.parse('{"name":"c","port":8080}');
  console.log(describe(raw as Config), (raw as Config).name!.length);
  const n = <number>(<unknown>'5');
  console.log(typeof n);
}
