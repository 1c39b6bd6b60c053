// `--publish HOST:GUEST` on the v86 engine: each TCP connection to 127.0.0.1:HOST is carried
// byte for byte to the guest's port through the host stack, like `docker run -p`.
import { connect, createServer, type Server, type Socket } from 'node:net';
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

/** The connections each published port carries, so that unpublish() can end them. */
const carried = new WeakMap<Server, Set<Socket>>();

/** A host port of `-p` that is taken: bad usage (exit 2), found before the guest boots. */
export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`port ${port} on 127.0.0.1 is already in use: choose another HOST port for --publish`);
    this.name = 'PortInUseError';
  }
}

/** Listens on 127.0.0.1:mapping.host; `network()` gives the guest's network once it is ready. */
export function publish(mapping: PortMapping, network: () => Network | undefined): Promise<Server> {
  const sockets = new Set<Socket>();
  const server = createServer({ pauseOnConnect: true }, (client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    void forward(client, mapping.guest, network());
  });
  carried.set(server, sockets);
  return listen(server, mapping.host);
}

/**
 * `--publish HOST:GUEST` on the QEMU engine: 127.0.0.1:HOST relays each connection to QEMU's hostfwd on
 * 127.0.0.1:target. QEMU's user network listens there with a backlog of 1, so a burst of clients straight
 * to it overflows the kernel's accept queue and their SYNs are dropped; each client then waits out its
 * kernel's SYN backoff (1, 3, 7, 15, 31 s...). Here clients queue in this listener's own backlog, at most
 * RELAY_CONNECTING connections to QEMU are being opened at once, and one whose SYN may have been dropped
 * gets another attempt within milliseconds instead of seconds.
 */
export function relay(mapping: PortMapping, target: number): Promise<Server> {
  const sockets = new Set<Socket>();
  const gate = new Gate(RELAY_CONNECTING);
  const server = createServer({ pauseOnConnect: true, allowHalfOpen: true }, (client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    void splice(client, target, gate);
  });
  carried.set(server, sockets);
  return listen(server, mapping.host);
}

/** Connects to QEMU attempted at once by relay(). */
const RELAY_CONNECTING = 2;
/** A loopback connect not done after this may have lost its SYN to a full accept queue: try another beside it. */
const RELAY_RETRY_MS = 20;
const RELAY_RETRY_MAX_MS = 200;
/** Attempts of one connection under way at once; the first to connect is kept. */
const RELAY_ATTEMPTS = 4;
const RELAY_GIVE_UP_MS = 15_000;

/** A counting semaphore. */
class Gate {
  private readonly waiting: (() => void)[] = [];
  constructor(private free: number) {}
  async enter(): Promise<void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  leave(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

/** Joins client to a new connection to 127.0.0.1:target, both ways, half-close and reset included. */
async function splice(client: Socket, target: number, gate: Gate): Promise<void> {
  client.on('error', () => undefined);
  await gate.enter();
  let upstream: Socket | undefined;
  try {
    if (!client.destroyed) upstream = await connectPromptly(target);
  } finally {
    gate.leave();
  }
  if (!upstream) return void client.resetAndDestroy();
  if (client.destroyed) return void upstream.resetAndDestroy();
  const up = upstream;
  up.on('error', () => client.resetAndDestroy());
  client.on('error', () => up.resetAndDestroy());
  client.once('close', () => up.destroy());
  up.once('close', () => client.destroy());
  client.pipe(up);
  up.pipe(client);
  client.resume();
}

/**
 * A connection to 127.0.0.1:port. While the listener's accept queue is full the kernel drops SYNs and would
 * resend one only after 1 s; here a further attempt starts beside the pending ones every few milliseconds,
 * and the first to connect wins (the others are closed).
 */
function connectPromptly(port: number): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const pending = new Set<Socket>();
    let wait = RELAY_RETRY_MS;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const finish = (winner: Socket | undefined): void => {
      clearTimeout(retry);
      clearTimeout(giveUp);
      for (const socket of pending) if (socket !== winner) socket.destroy();
      pending.clear();
      resolve(winner);
    };
    const attempt = (): void => {
      if (pending.size >= RELAY_ATTEMPTS) {
        // The oldest has surely lost its SYN: the kernel would resend it only after a second.
        const oldest = pending.values().next().value!;
        pending.delete(oldest);
        oldest.destroy();
      }
      const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
      pending.add(socket);
      socket.once('connect', () => finish(socket));
      socket.once('error', () => pending.delete(socket));
      retry = setTimeout(attempt, wait);
      wait = Math.min(wait * 2, RELAY_RETRY_MAX_MS);
    };
    const giveUp = setTimeout(() => finish(undefined), RELAY_GIVE_UP_MS);
    attempt();
  });
}

/** Stops listening and ends every connection still carried (the guest's side is reset). */
export async function unpublish(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const socket of carried.get(server) ?? []) socket.destroy();
  await closed;
}

/** Throws PortInUseError unless every host port can be listened on now (checked before a boot). */
export async function checkPortsFree(mappings: PortMapping[]): Promise<void> {
  const seen = new Set<number>();
  for (const { host } of mappings) {
    if (seen.has(host)) throw new PortInUseError(host);
    seen.add(host);
    const probe = await listen(createServer(), host);
    await new Promise((resolve) => probe.close(resolve));
  }
}

function listen(server: Server, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error),
    );
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** Guest socket states in which both directions are done (or the socket is gone). */
const FINISHED = new Set(['closed', 'closing', 'last-ack', 'time-wait']);

/** Carries one connection both ways until both sides closed; a reset on one side resets the other. */
async function forward(client: Socket, port: number, network: Network | undefined): Promise<void> {
  let guest: TcpSocket | undefined;
  // The client may go away at any point, even before the guest answered: the guest's side is then reset.
  client.on('error', () => guest?.abort());
  client.once('close', () => {
    if (guest && !FINISHED.has(guest.state)) guest.abort();
  });
  const guestIp = network?.guest?.ip;
  if (!network || guestIp === undefined) return void client.destroy();
  try {
    guest = network.connect(guestIp, port);
    await guest.opened();
  } catch {
    return void client.resetAndDestroy();
  }
  if (client.destroyed) return guest.abort();
  const to = guest;
  client.on('data', (chunk: Buffer) => {
    try {
      if (to.write(new Uint8Array(chunk))) return;
    } catch {
      return void client.resetAndDestroy();
    }
    client.pause();
    to.drained().then(
      () => client.resume(),
      () => client.resetAndDestroy(),
    );
  });
  client.on('end', () => {
    if (!to.error) to.close();
  });
  client.resume();
  try {
    for await (const chunk of guest) {
      if (!client.write(chunk)) await drainedOrClosed(client);
    }
    client.end();
  } catch {
    client.resetAndDestroy();
  }
}

/** Resolves once the client can take more, or is gone. */
function drainedOrClosed(client: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      client.off('drain', done).off('close', done);
      resolve();
    };
    client.once('drain', done).once('close', done);
  });
}

/** A loopback TCP port that is free right now (for tests, benchmarks and QEMU's hostfwd). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
