// `--publish HOST:GUEST` on the v86 engine: each TCP connection to 127.0.0.1:HOST is carried
// byte for byte to the guest's port through the host stack, like `docker run -p`.
import { createServer, type Server, type Socket } from 'node:net';
import type { Network } from '../worker/net/network.ts';
import type { TcpSocket } from '../worker/net/tcp-socket.ts';

export interface PortMapping {
  host: number;
  guest: number;
}

/** Parses "8080:80"; undefined if malformed. */
export function parsePortMapping(text: string): PortMapping | undefined {
  const match = /^(\d{1,5}):(\d{1,5})$/.exec(text);
  if (!match) return undefined;
  const [host, guest] = [Number(match[1]), Number(match[2])];
  const valid = (port: number): boolean => port >= 1 && port <= 65535;
  return valid(host) && valid(guest) ? { host, guest } : undefined;
}

/** Listens on 127.0.0.1:mapping.host; `network()` gives the guest's network once it is ready. */
export function publish(mapping: PortMapping, network: () => Network | undefined): Promise<Server> {
  const server = createServer({ pauseOnConnect: true }, (client) => void forward(client, mapping.guest, network()));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(mapping.host, '127.0.0.1', () => resolve(server));
  });
}

/** Carries one connection both ways until both sides closed; a reset on one side resets the other. */
async function forward(client: Socket, port: number, network: Network | undefined): Promise<void> {
  const guestIp = network?.guest?.ip;
  if (!network || guestIp === undefined) return void client.destroy();
  let guest: TcpSocket;
  try {
    guest = network.connect(guestIp, port);
    await guest.opened();
  } catch {
    return void client.resetAndDestroy();
  }
  client.on('error', () => guest.abort());
  client.on('data', (chunk: Buffer) => {
    try {
      if (guest.write(new Uint8Array(chunk))) return;
    } catch {
      return void client.resetAndDestroy();
    }
    client.pause();
    guest.drained().then(
      () => client.resume(),
      () => client.resetAndDestroy(),
    );
  });
  client.on('end', () => {
    if (!guest.error) guest.close();
  });
  client.resume();
  try {
    for await (const chunk of guest) {
      if (!client.write(chunk)) await new Promise((resolve) => client.once('drain', resolve));
    }
    client.end();
  } catch {
    client.resetAndDestroy();
  }
}

/** A loopback TCP port that is free right now (for tests, benchmarks and QEMU's hostfwd). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
